"""Which solved questions a new one repeats, searched over the community's whole history.

The database's full-text index (:mod:`models.search`) does the searching: the question's terms
pick a few candidates among every solved question ever asked (see :func:`query_groups`), and
those few are scored with the TF-IDF cosine of ``_similar``, weighting each term by how many
of the community's solved questions hold it. So a score means the same whatever the history's size,
and ``similar_question_min_score`` keeps its meaning.
"""

import itertools
from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.routing import _similar as similar
from models import search

POSTINGS = 1500
"""How many indexed questions the rarest terms may reach before the commoner ones only count in
pairs (a question then needs two of them): ranking every question that holds a word as common
as "test" would cost tens of milliseconds at 100,000 questions."""
COMMON_TERMS = 2
"""How many of the commoner terms are paired (the rarest of them): each pair more costs another
walk through two long lists of questions, for no better recall on the paraphrase set."""
SEARCH_CANDIDATES = 20
"""How many of the index's best matches are scored."""


def query_groups(frequency: Mapping[str, int]) -> list[tuple[str, ...]]:
    """The index query for terms with these document counts: the rarest alone, while the questions
    they reach stay within ``POSTINGS``, then the next ones in pairs (a lone term is always asked)."""
    ordered = sorted(frequency, key=lambda term: (frequency[term], term))
    groups: list[tuple[str, ...]] = []
    reached = 0
    for index, term in enumerate(ordered):
        if reached + frequency[term] > POSTINGS and (groups or index + 1 < len(ordered)):
            common = ordered[index : index + COMMON_TERMS]
            groups += list(itertools.combinations(common, 2))
            break
        groups.append((term,))
        reached += frequency[term]
    return groups


async def closest_solved(
    session: AsyncSession, community_id: int, terms: list[str], exclude: int | None, count: int = 1
) -> list[tuple[int, float]]:
    """The ``count`` solved questions closest to ``terms`` (not ``exclude``), best first, scored."""
    frequency, documents = await search.frequencies(session, community_id, terms)
    weights = {term: similar.weight(n, documents) for term, n in frequency.items()}
    candidates = await search.candidates(
        session, community_id, query_groups(frequency), weights, SEARCH_CANDIDATES, exclude
    )
    return similar.ranked(terms, candidates, frequency, documents, count)
