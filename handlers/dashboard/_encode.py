"""CSV and JSON, written as the rows come.

CSV is UTF-8 with a header row. A text cell that a spreadsheet would run as a formula (it starts
with ``= + - @``, a tab or a carriage return) is prefixed with ``'``, so a member named
``=HYPERLINK(…)`` stays text. Numbers are written as numbers (a negative count is not a formula).
JSON is one array of objects keyed by the same column names, values as stored (JSON is data).
The standard library's ``csv`` and ``json`` do the quoting and escaping.
"""

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Row = tuple[Any, ...]


class ExportFormat(StrEnum):
    """CSV (a header row, then one line per row) or JSON (an array of objects)."""

    CSV = "csv"
    JSON = "json"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json; charset=utf-8",
}


async def encode(
    fmt: ExportFormat, header: Sequence[str], batches: AsyncIterator[list[Row]]
) -> AsyncIterator[bytes]:
    """The header and the batches of rows as UTF-8 chunks of ``fmt``, one chunk per batch."""
    write = _csv if fmt is ExportFormat.CSV else _json
    async for text in write(header, batches):
        yield text.encode()


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as written: formula-looking text gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    """A value as a CSV cell: times in ISO 8601, durations in whole minutes, lists joined."""
    kind = type(value)
    if kind is int:
        return value
    if kind is str:
        return spreadsheet_safe(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds() // 60)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return "; ".join(str(_cell(v)) for v in value)
    return spreadsheet_safe(value)


def _plain(value: object) -> object:
    """A value as JSON holds it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds() // 60)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


async def _csv(header: Sequence[str], batches: AsyncIterator[list[Row]]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    async for batch in batches:
        writer.writerows([_cell(v) for v in row] for row in batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


async def _json(header: Sequence[str], batches: AsyncIterator[list[Row]]) -> AsyncIterator[str]:
    yield "["
    separator = "\n"
    async for batch in batches:
        parts = []
        for row in batch:
            document = json.dumps(dict(zip(header, map(_plain, row), strict=True)), ensure_ascii=False)
            parts.append(separator + document)
            separator = ",\n"
        yield "".join(parts)
    yield "\n]\n"
