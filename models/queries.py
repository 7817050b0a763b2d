"""Portable bulk statements shared by the write path (SQLite and PostgreSQL)."""

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Insert, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

CHUNK = 500
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Split a sequence into slices small enough for one statement's bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def is_sqlite(session: AsyncSession) -> bool:
    """Whether the session talks to SQLite (else PostgreSQL, the only other supported engine)."""
    return session.bind is None or session.bind.dialect.name == "sqlite"


def insert_ignoring_conflicts(session: AsyncSession, table: Any, conflict: Sequence[str]) -> Insert:
    """An ``INSERT … ON CONFLICT (conflict) DO NOTHING`` for the session's dialect."""
    builder = sqlite.insert if is_sqlite(session) else postgresql.insert
    return builder(table).on_conflict_do_nothing(index_elements=list(conflict))


async def insert_new(
    session: AsyncSession,
    table: type[SQLModel],
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
    returning: Sequence[Any] = (),
) -> list[Any]:
    """Insert rows, skipping those that conflict; return the ``returning`` columns of new rows.

    On SQLite the rows travel as one JSON array through ``json_each``: one statement, no
    per-row parameter processing in Python. Elsewhere (and for rows that leave a column to its
    Python-side default) one compiled statement executed for every row (SQLAlchemy's "insert
    many values"), far cheaper than a multi-row VALUES clause compiled per chunk.
    """
    if not rows:
        return []
    core: Table = table.__table__  # type: ignore[attr-defined]
    columns = [core.c[column.key] for column in returning]
    connection = await session.connection()
    if is_sqlite(session) and _complete(core, rows[0]):
        keys = list(rows[0])
        picks = ", ".join(f"value ->> {i}" for i in range(len(keys)))
        # Identifiers come from the table's own metadata; every value travels bound.
        into, on = f"{_names([core.name])} ({_names(keys)})", _names(conflict)
        rows_in = f"SELECT {picks} FROM json_each(:rows) WHERE true"  # noqa: S608
        sql = f"INSERT INTO {into} {rows_in} ON CONFLICT ({on}) DO NOTHING"
        payload = json.dumps([[row[k] for k in keys] for row in rows], default=_json_value)
        if not columns:
            await connection.execute(text(sql), {"rows": payload})
            return []
        typed = text(f"{sql} RETURNING {_names([c.name for c in columns])}").columns(*columns)
        return list((await connection.execute(typed, {"rows": payload})).all())
    statement = insert_ignoring_conflicts(session, core, conflict)
    if not columns:
        await connection.execute(statement, list(rows))
        return []
    result = await connection.execute(statement.returning(*columns), list(rows))
    return list(result.all())


async def insert_new_keys(
    session: AsyncSession, table: type[SQLModel], scope: dict[str, Any], key: str, keys: Sequence[str]
) -> set[str]:
    """Insert one row per key (``scope`` fills the other columns alike; they and ``key`` make the
    table's unique key); return the keys that were not there yet.

    On SQLite only the keys travel, as one JSON array: the statement every replayed event paid
    for (rows of ``scope`` and key, as :func:`insert_new` would send, measured ~8% of replay).
    """
    if not keys:
        return set()
    core: Table = table.__table__  # type: ignore[attr-defined]
    if is_sqlite(session):
        columns = [*scope, key]
        binds = ", ".join(f":{name}" for name in scope)
        # Identifiers come from the table's own metadata; every value travels bound.
        into = f"{_names([core.name])} ({_names(columns)})"
        rows_in = f"SELECT {binds}, value FROM json_each(:keys) WHERE true"  # noqa: S608
        result = await session.execute(
            text(f"INSERT INTO {into} {rows_in} ON CONFLICT DO NOTHING RETURNING {_names([key])}"),
            {**scope, "keys": json.dumps(list(keys))},
        )
        return set(result.scalars().all())
    rows = [{**scope, key: value} for value in keys]
    inserted = await insert_new(session, table, rows, [*scope, key], returning=(core.c[key],))
    return {value for (value,) in inserted}


def _names(names: Sequence[str]) -> str:
    """Identifiers quoted for SQLite, comma-separated."""
    return ", ".join(f'"{name}"' for name in names)


def _complete(core: Table, row: dict[str, Any]) -> bool:
    """Whether a row names every column that has a Python-side default (JSON rows skip those)."""
    return all(column.key in row for column in core.columns if column.default is not None)


def sqlite_stamp(at: datetime) -> str:
    """A tz-aware time as SQLite stores a ``UTCDateTime``: UTC text that sorts in time order."""
    if at.tzinfo is not UTC:
        if at.tzinfo is None:
            raise ValueError("naive datetime: Ladder stores tz-aware UTC timestamps only")
        at = at.astimezone(UTC)
    return at.replace(tzinfo=None).isoformat(" ", "microseconds")


def _json_value(value: object) -> object:
    """A bound value as SQLite stores it: UTC times as sortable text, dates ISO, enums by value."""
    if isinstance(value, datetime):
        return sqlite_stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} through json_each")
