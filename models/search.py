"""Reading the full-text index of solved questions (migration 0008) on SQLite and PostgreSQL.

The index holds the stored terms of every solved question with an accepted answer. Two reads
serve the earlier-answer search: how many of a community's indexed questions hold each term
(so a term's weight reflects the whole history), and the few best candidates for a query. Both
read the index, never the questions: their cost grows with how many questions share the
query's terms (bounded by the caller and by ``FREQUENCY_CAP``), not with the history.
The SQL is written by hand because the two engines' full-text syntaxes have nothing in common.
"""

from collections.abc import Mapping, Sequence

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from models.queries import is_sqlite
from models.questions import QuestionStatus

SQLITE_TABLE = "question_search"
"""The FTS5 table (and the prefix of its shadow tables, its fts5vocab table and of
``question_search_size``, each community's number of indexed questions, on both engines)."""
POSTGRES_INDEX = "ix_question_search"
"""The GIN index over the terms' ``tsvector``."""
FREQUENCY_CAP = 4000
"""PostgreSQL counts a term's questions up to this many (each is a row visited; fts5vocab reads
SQLite's counts from the index): commoner terms weigh a little more than they would."""
_TSVECTOR = "array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))"
_INDEXED = (
    f"community_id = :community AND status = '{QuestionStatus.SOLVED.value}' "
    "AND accepted_answer_id IS NOT NULL AND terms <> ''"
)


def is_search_object(name: str | None) -> bool:
    """Say whether a database object belongs to the index, which the models do not describe
    (Alembic's autogenerate and the drift test leave it alone)."""
    return name is not None and (name.startswith(SQLITE_TABLE) or name == POSTGRES_INDEX)


def _token(community_id: int, term: str) -> str:
    return f"{community_id}_{term}"


async def frequencies(
    session: AsyncSession, community_id: int, terms: Sequence[str]
) -> tuple[dict[str, int], int]:
    """How many of the community's indexed questions hold each term, and how many there are."""
    distinct = sorted(set(terms))
    if not distinct:
        return {}, 0
    if is_sqlite(session):
        tokens = {_token(community_id, term): term for term in distinct}
        values = {f"t{i}": token for i, token in enumerate(tokens)}
        lookup = f"SELECT term, doc FROM {SQLITE_TABLE}_terms WHERE term = :"
        size = f"SELECT '', documents FROM {SQLITE_TABLE}_size WHERE community_id = :community"
        union = " UNION ALL ".join([size, *(lookup + name for name in values)])
        found = await session.execute(text(union), {**values, "community": community_id})
        rows: dict[str, int] = {str(row[0]): int(row[1]) for row in found}
        documents = rows.pop("", 0)
        return {tokens[token]: count for token, count in rows.items()}, documents
    counts = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM question WHERE {_INDEXED} "
        f"AND {_TSVECTOR} @@ CAST(:t{i} AS tsquery) LIMIT {FREQUENCY_CAP}) AS hits)"
        for i in range(len(distinct))
    )
    total = f"(SELECT documents FROM {SQLITE_TABLE}_size WHERE community_id = :community)"
    lexemes: dict[str, object] = {f"t{i}": _lexeme(term) for i, term in enumerate(distinct)}
    lexemes["community"] = community_id
    row = (await session.execute(text(f"SELECT {total}, {counts}"), lexemes)).one()
    return {term: n for term, n in zip(distinct, row[1:], strict=True) if n}, row[0] or 0


def _lexeme(term: str) -> str:
    """A term as one literal ``tsquery`` lexeme (terms hold only ``[a-z0-9+#]``)."""
    return "'" + term.replace("'", "''") + "'"


async def candidates(
    session: AsyncSession,
    community_id: int,
    groups: Sequence[Sequence[str]],
    weights: Mapping[str, float],
    limit: int,
    exclude: int | None,
) -> list[tuple[int, list[str]]]:
    """The ``limit`` indexed questions that best match, with their terms.

    A question matches when it holds every term of at least one of ``groups``. SQLite ranks
    with FTS5's BM25; PostgreSQL's ``ts_rank`` ignores how rare a term is, so it ranks by the
    summed ``weights`` of the terms each question holds.
    """
    if not groups:
        return []
    if is_sqlite(session):
        match = " OR ".join(
            "(" + " AND ".join(f'"{_token(community_id, term)}"' for term in group) + ")" for group in groups
        )
        # CROSS JOIN keeps SQLite's join order: the few hits first, then each question by key.
        found = await session.execute(
            text(
                f"SELECT question.id, question.terms FROM (SELECT rowid FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH :match ORDER BY rank LIMIT :limit) AS hit "
                f"CROSS JOIN question ON question.id = hit.rowid WHERE {_INDEXED}"
            ),
            {"match": match, "limit": limit, "community": community_id},
        )
    else:
        terms = sorted({term for group in groups for term in group})
        values: dict[str, object] = {"community": community_id, "limit": limit}
        values["either"] = " | ".join("(" + " & ".join(map(_lexeme, group)) + ")" for group in groups)
        values.update({f"t{i}": _lexeme(term) for i, term in enumerate(terms)})
        values.update({f"w{i}": weights.get(term, 0.0) for i, term in enumerate(terms)})
        score = " + ".join(
            f"CASE WHEN {_TSVECTOR} @@ CAST(:t{i} AS tsquery) THEN CAST(:w{i} AS float) ELSE 0 END"
            for i in range(len(terms))
        )
        found = await session.execute(
            text(
                f"SELECT id, terms FROM question WHERE {_INDEXED} "
                f"AND {_TSVECTOR} @@ CAST(:either AS tsquery) ORDER BY {score} DESC, id DESC LIMIT :limit"
            ),
            values,
        )
    return [(int(qid), str(terms).split()) for qid, terms in found if qid != exclude]
