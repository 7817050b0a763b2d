"""Portable bulk statements shared by the write path (SQLite and PostgreSQL)."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

CHUNK = 500
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Split a sequence into slices small enough for one statement's bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_ignoring_conflicts(session: AsyncSession, table: Any, conflict: Sequence[str]) -> Insert:
    """An ``INSERT … ON CONFLICT (conflict) DO NOTHING`` for the session's dialect."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table).on_conflict_do_nothing(index_elements=list(conflict))


async def insert_new(
    session: AsyncSession,
    table: type[SQLModel],
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
    returning: Sequence[Any] = (),
) -> list[Any]:
    """Insert rows, skipping those that conflict; return the ``returning`` columns of new rows.

    One compiled statement executed for every row (SQLAlchemy's "insert many values"): far
    cheaper than a multi-row VALUES clause compiled per chunk, on SQLite and PostgreSQL alike.
    """
    if not rows:
        return []
    core = table.__table__  # type: ignore[attr-defined]
    statement = insert_ignoring_conflicts(session, core, conflict)
    connection = await session.connection()
    if not returning:
        await connection.execute(statement, list(rows))
        return []
    columns = [core.c[column.key] for column in returning]
    result = await connection.execute(statement.returning(*columns), list(rows))
    return list(result.all())
