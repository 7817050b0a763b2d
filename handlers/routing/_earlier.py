"""Which solved questions a new one repeats, searched over the community's whole history.

The database's full-text index (:mod:`models.search`) does the searching: the question's terms
pick a few candidates among every solved question ever asked (see :func:`query_groups`), and
those few are scored with the TF-IDF cosine of ``_similar``, weighting each term by how many
of the community's solved questions hold it. So a score means the same whatever the history's size,
and ``similar_question_min_score`` keeps its meaning.
"""

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel import CommunityRef, Event, EventKind, LadderConfig, is_blank
from handlers.routing import _similar as similar
from models import Community, search

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


@dataclass(frozen=True, slots=True)
class EarlierMatches:
    """Earlier-answer searches run before a use case's write transaction, by the new question's
    stored terms: the closest solved question's id, or None when none is close enough.

    Scoring reads the whole index; run inside the write transaction, it would hold SQLite's
    write lock (and every other writer) while it scores. A question whose terms are not here
    (one the search before could not foresee) is searched inside, as before.
    """

    best: Mapping[str, int | None] = field(default_factory=dict)

    def __contains__(self, terms: object) -> bool:
        """Whether these stored terms were searched before the transaction."""
        return terms in self.best


def may_open_question(event: Event, config: LadderConfig) -> bool:
    """Whether a live event could open a question: a root message with words in a help channel
    (a superset of the rulebook's rule, which alone decides; see ``_rulebook.Rulebook._root``)."""
    root = event.reply_to is None and event.thread_id in (None, event.message_id)
    return (
        event.kind is EventKind.MESSAGE
        and root
        and not event.actor.is_bot
        and (event.channel_id or "") in config.routing.help_channels
        and not is_blank(event.text)
    )


async def search_ahead(
    session: AsyncSession, community: CommunityRef, stored_terms: Iterable[str], config: LadderConfig
) -> EarlierMatches:
    """Search earlier answers for these questions' terms in a read-only session, before writing."""
    found = (
        await session.exec(
            select(Community.id).where(
                Community.platform == community.platform, Community.external_id == community.external_id
            )
        )
    ).first()
    best: dict[str, int | None] = {}
    for terms in stored_terms:
        if terms in best:
            continue
        matches = [] if found is None else await closest_solved(session, found, terms.split(), None)
        close = matches and matches[0][1] >= config.routing.similar_question_min_score
        best[terms] = matches[0][0] if close else None
    return EarlierMatches(best)
