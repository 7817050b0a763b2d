"""Pages of a table: opaque cursors, keyset pages for the big tables, offset pages for small ones.

Keyset pagination (``WHERE (sort, id) > (last sort, last id) ORDER BY sort, id LIMIT n``) costs the
same on the last page of 100,000 members as on the first: each page is one index range scan. The
sort column may hold NULLs (``last_active_at``): those rows always come last, read in a second
index scan, so SQLite and PostgreSQL (which order NULLs differently) show the same order.

Cursors are opaque to the web layer: URL-safe base64 of a small JSON document carrying the query
they belong to (a hash), the key to continue from and the position for "rows 51–100 of N". A
cursor from another query, or a tampered one, is ignored: the first page is shown.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal, tuple_
from sqlalchemy import select as sql_select
from sqlmodel.ext.asyncio.session import AsyncSession

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a table: its rows, how many rows match in all, and cursors to move on.

    ``first`` is the 1-based position of ``rows[0]`` among all matching rows (0 when empty), so a
    page can say "51–100 of 100,000". Pass ``next_cursor`` / ``previous_cursor`` back as the
    ``cursor`` argument of the same function to get the next / previous page; None means there is
    no such page.
    """

    rows: tuple[T, ...]
    total: int
    first: int
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def last(self) -> int:
        """The 1-based position of the last row shown (0 when empty)."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def query_tag(*parts: object) -> str:
    """A short fingerprint of a query (table, sort, filters): a cursor only works for its query."""
    return hashlib.blake2s(repr(parts).encode(), digest_size=6).hexdigest()


def encode_cursor(tag: str, body: dict[str, Any]) -> str:
    """An opaque, URL-safe cursor."""
    raw = json.dumps({"q": tag, **body}, separators=(",", ":"), default=_json_value)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(tag: str, cursor: str | None) -> dict[str, Any] | None:
    """The cursor's body when it belongs to ``tag``; None for no cursor, another query's or garbage."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(body, dict) or body.get("q") != tag:
        return None
    return body


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _key_value(value: object) -> object:
    """A sort value read back from a cursor (times come back as aware datetimes)."""
    if isinstance(value, dict) and isinstance(value.get("t"), str):
        return datetime.fromisoformat(value["t"])
    return value


async def count_rows(session: AsyncSession, table: Any, *conditions: ColumnElement[bool]) -> int:
    """How many rows of ``table`` match: a page's total."""
    found = await session.execute(sql_select(func.count()).select_from(table).where(*conditions))
    return int(found.scalar_one())


def clamp(limit: int) -> int:
    """A page size between 1 and ``MAX_LIMIT``."""
    return max(1, min(limit, MAX_LIMIT))


# Offset pages: small tables (open questions, calls, quest reviews, digests, a member's ledger).


def offset_of(tag: str, cursor: str | None) -> int:
    """Where an offset page starts (0 for the first page or a foreign cursor)."""
    body = decode_cursor(tag, cursor)
    offset = body.get("o") if body else 0
    return offset if isinstance(offset, int) and offset >= 0 else 0


def offset_page(tag: str, rows: Sequence[T], total: int, offset: int, limit: int) -> Page[T]:
    """The page of rows read at ``offset`` (``limit`` of them at most)."""
    shown = tuple(rows[:limit])
    following = encode_cursor(tag, {"o": offset + limit}) if offset + limit < total else None
    preceding = encode_cursor(tag, {"o": max(0, offset - limit)}) if offset > 0 else None
    return Page(shown, total, offset + 1 if shown else 0, following, preceding)


# Keyset pages: the big tables (members, the audit log).


@dataclass(frozen=True, slots=True)
class Keyset:
    """How a keyset-paged query is ordered: one sort column, then ``tiebreak`` (unique), in one
    direction; ``nullable`` sort columns put their NULL rows last in either direction."""

    column: Any
    tiebreak: Any
    descending: bool
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class _Key:
    value: object
    ident: int


async def keyset_page(
    session: AsyncSession,
    statement: Select[*tuple[Any, ...]],
    keyset: Keyset,
    tag: str,
    cursor: str | None,
    limit: int,
    total: int,
) -> Page[tuple[Any, ...]]:
    """A page of ``statement`` (filters applied, the sort column and the tiebreak selected as its
    last two columns), after or before the cursor's row."""
    body = decode_cursor(tag, cursor)
    position = body.get("p", 0) if body else 0
    position = position if isinstance(position, int) and position >= 0 else 0
    key = _Key(_key_value(body.get("v")), body["i"]) if body and isinstance(body.get("i"), int) else None
    if body and key and body.get("d") == "before":
        rows = await _read(session, statement, keyset, key, limit + 1, forward=False)
        rows.reverse()
        if len(rows) > limit:
            rows = rows[1:]
            start = max(0, position - len(rows))
            return _keyset_result(tag, rows, total, start, has_before=True, has_after=True)
        key, position = None, 0  # back at the start: show the first page whole
    rows = await _read(session, statement, keyset, key, limit + 1, forward=True)
    has_after = len(rows) > limit
    return _keyset_result(tag, rows[:limit], total, position, has_before=key is not None, has_after=has_after)


def _keyset_result(
    tag: str, rows: Sequence[tuple[Any, ...]], total: int, start: int, *, has_before: bool, has_after: bool
) -> Page[tuple[Any, ...]]:
    if not rows:
        return Page((), total, 0, None, None)
    first, last = rows[0], rows[-1]
    following = (
        encode_cursor(tag, {"d": "after", "v": last[-2], "i": last[-1], "p": start + len(rows)})
        if has_after
        else None
    )
    preceding = (
        encode_cursor(tag, {"d": "before", "v": first[-2], "i": first[-1], "p": start})
        if has_before
        else None
    )
    return Page(tuple(rows), total, start + 1, following, preceding)


async def _read(
    session: AsyncSession,
    statement: Select[*tuple[Any, ...]],
    keyset: Keyset,
    key: _Key | None,
    limit: int,
    *,
    forward: bool,
) -> list[tuple[Any, ...]]:
    """Up to ``limit`` rows from ``key`` onwards (exclusive) in reading order, or backwards."""
    descending = keyset.descending if forward else not keyset.descending
    # The non-NULL rows come first in reading order; going backwards they come after the NULL ones.
    phases = [False, True] if keyset.nullable else [False]
    if not forward:
        phases.reverse()
    if key is not None and keyset.nullable:
        phases = phases[phases.index(key.value is None) :]
    rows: list[tuple[Any, ...]] = []
    for null_phase in phases:
        condition = _beyond(keyset, key, null_phase, descending)
        ordered = statement.where(*condition)
        if null_phase:
            ordered = ordered.order_by(keyset.tiebreak.desc() if descending else keyset.tiebreak.asc())
        else:
            ordered = ordered.order_by(
                *(
                    (keyset.column.desc(), keyset.tiebreak.desc())
                    if descending
                    else (keyset.column.asc(), keyset.tiebreak.asc())
                )
            )
        found = (await session.execute(ordered.limit(limit - len(rows)))).all()
        rows.extend(tuple(row) for row in found)
        if len(rows) >= limit:
            break
    return rows


def _beyond(
    keyset: Keyset, key: _Key | None, null_phase: bool, descending: bool
) -> list[ColumnElement[bool]]:
    """The rows of one phase (NULL or non-NULL sort values) that come after ``key``."""
    conditions: list[ColumnElement[bool]] = []
    if keyset.nullable:
        conditions.append(keyset.column.is_(None) if null_phase else keyset.column.is_not(None))
    if key is None or (key.value is None) != null_phase:
        return conditions  # the key is in the other phase: this one is read from its start
    if null_phase:
        conditions.append(keyset.tiebreak < key.ident if descending else keyset.tiebreak > key.ident)
        return conditions
    pair = tuple_(keyset.column, keyset.tiebreak)
    bound = tuple_(literal(key.value, keyset.column.type), literal(key.ident, keyset.tiebreak.type))
    conditions.append(pair < bound if descending else pair > bound)
    return conditions
