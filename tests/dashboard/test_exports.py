"""Exports: every table as CSV and JSON, streamed, safe to open in a spreadsheet."""

import csv
import io
import json

import pytest
from core_harness import INTRO_CHANNEL, Harness
from dashboard_kit import viewing
from scenario import credit_member, many_members

from bot.database import read_session_factory
from handlers.dashboard import (
    ExportFormat,
    ExportOptions,
    ExportTable,
    MemberQuery,
    MemberSort,
    export_filename,
    export_table,
    members_page,
)
from handlers.kernel import Scope
from models import ContributionKind

NAMES = ('=HYPERLINK("http://x")', "@everyone", "+33 1 23", "-bob", "Zoë", "plain")


async def exported(
    scope: Scope, table: ExportTable, fmt: ExportFormat, options: ExportOptions | None = None
) -> list[bytes]:
    """The chunks an export streams."""
    return [chunk async for chunk in export_table(scope, table, fmt, options)]


async def named_members(harness: Harness) -> None:
    """Members whose names a spreadsheet would run as formulas, one with an accent, with points."""
    for n, name in enumerate(NAMES):
        await harness.post(name, "Hi, I'm new", channel=INTRO_CHANNEL)
        await credit_member(harness, name, ContributionKind.ANSWER_GIVEN, 3, times=n)


async def test_members_csv_is_the_page_with_formulas_defused(harness: Harness) -> None:
    """The CSV has a header row and the Members page's rows in its order; text a spreadsheet
    would run starts with ' while numbers stay numbers; UTF-8 keeps accents."""
    await named_members(harness)
    async with viewing(harness) as scope:
        chunks = await exported(scope, ExportTable.MEMBERS, ExportFormat.CSV)
        page = await members_page(scope, MemberQuery(sort=MemberSort.POINTS))
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "member_id",
        "external_id",
        "name",
        "level",
        "level_name",
        "status",
        "is_manager",
        "points",
    ]
    assert [int(r[0]) for r in body] == [r.member_id for r in page.rows]
    names = {r[header.index("points")]: r[header.index("name")] for r in body}
    assert names == {
        "19": "plain",
        "16": "Zoë",
        "13": "'-bob",
        "10": "'+33 1 23",
        "7": "'@everyone",
        "4": '\'=HYPERLINK("http://x")',
    }
    missing = body[0][header.index("missing")]
    assert missing == "; ".join(page.rows[0].missing)


async def test_json_holds_the_same_rows_as_data(harness: Harness) -> None:
    """JSON is an array of objects keyed by the CSV's header, values as stored (it is data)."""
    await named_members(harness)
    async with viewing(harness) as scope:
        document = json.loads(b"".join(await exported(scope, ExportTable.MEMBERS, ExportFormat.JSON)))
        names = [row.name for row in (await members_page(scope, MemberQuery())).rows]
    assert [row["name"] for row in document] == names
    assert document[-1]["name"] == NAMES[0] and document[-1]["missing"][0] == "16 more points (4 of 20)"
    assert document[0]["is_manager"] is False and document[0]["last_active_at"].endswith("+00:00")


async def test_every_table_exports_in_both_formats(harness: Harness) -> None:
    """Every table downloads with a header row (CSV) or as an array (JSON), named for the file."""
    await named_members(harness)
    await harness.say("manager", "promote @plain 3 helps a lot")
    async with viewing(harness) as scope:
        for table in ExportTable:
            text = b"".join(await exported(scope, table, ExportFormat.CSV)).decode()
            document = json.loads(b"".join(await exported(scope, table, ExportFormat.JSON)))
            header = next(csv.reader(io.StringIO(text)))
            assert isinstance(document, list) and header
            assert all(list(row) == header for row in document), table
        audit = json.loads(b"".join(await exported(scope, ExportTable.AUDIT, ExportFormat.JSON)))
        ledger = json.loads(b"".join(await exported(scope, ExportTable.LEDGER, ExportFormat.JSON)))
        name = export_filename(scope, ExportTable.QUEST_REVIEWS, ExportFormat.CSV)
    assert audit[0]["by_name"] == "manager" and audit[0]["reason"] == "helps a lot"
    assert sum(row["points"] for row in ledger if row["member_name"] == "plain") == 19
    assert name == f"ladder-test-community-quest-reviews-{scope.now:%Y-%m-%d}.csv"


async def test_big_tables_stream_in_batches(harness: Harness) -> None:
    """A table of a few thousand members comes in several chunks, every row once."""
    await harness.post("first", "hello")
    await many_members(harness, 1_200)
    async with viewing(harness) as scope:
        chunks = await exported(scope, ExportTable.MEMBERS, ExportFormat.CSV)
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode())))
    assert len(chunks) >= 3 and len(rows) == 1 + 1_201
    assert len({r[0] for r in rows[1:]}) == 1_201


@pytest.mark.parametrize("fmt", list(ExportFormat))
async def test_an_export_in_progress_never_blocks_the_bot(harness: Harness, fmt: ExportFormat) -> None:
    """While a download is being streamed, members keep talking and their messages are recorded
    (a read-only session holds no write lock)."""
    await harness.post("first", "hello")
    await many_members(harness, 1_200)
    engine = harness.ladder.sessions.kw["bind"]
    async with read_session_factory(engine)() as session:
        async with viewing(harness) as scope:
            reading = Scope(session, scope.config, scope.now, scope.community)
        stream = export_table(reading, ExportTable.MEMBERS, fmt)
        first = await anext(stream)
        await harness.post("second", "I am talking during an export")
        rest = [chunk async for chunk in stream]
    assert first and rest
    assert (await harness.member("second")).last_active_at is not None
