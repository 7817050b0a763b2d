"""Importing the real houstondatavis Slack export end to end, as a manager would run it."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from db import migrated_database_url
from importer.conftest import HOUSTON, NOW
from rich.console import Console
from sqlalchemy import func
from sqlmodel import col, select

from bot.database import create_engine, session_factory
from bot.importer import import_history
from bot.importer._replay import Batch
from bot.importer._summary import render
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.kernel import FakeClock, LadderConfig
from models import ActiveDay, Answer, Contribution, Member, Question

EVENTS = 1345 + 198  # messages and joins, then one event per reactor


def _expected(files: list[Path] | None = None) -> dict[str, int]:
    """The figures a manager should see, counted straight from the export files."""
    messages = [m for day in files or HOUSTON.glob("*/*.json") for m in json.loads(day.read_text())]
    bots = [m for m in messages if m.get("subtype") == "bot_message" or m.get("bot_id")]
    human = [m for m in messages if m not in bots and m.get("user")]
    spoken = [m for m in human if m.get("subtype") in (None, "file_share")]
    joins = [m for m in human if m.get("subtype") == "channel_join"]
    reactions = [u for m in spoken for r in m.get("reactions", ()) for u in r["users"]]
    return {
        "reactions": len(reactions),
        "bots": len(bots),
        "no_author": sum(1 for m in messages if not m.get("user") and m not in bots),
        "spoken": len(spoken),
        "joins": len(joins),
        "members": len({m["user"] for m in spoken + joins}),
    }


async def _count(runtime: Runtime, table: Any) -> int:
    async with runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(table))).one())


async def _counts(runtime: Runtime) -> dict[str, int]:
    return {t.__name__: await _count(runtime, t) for t in (Member, Question, Answer, Contribution, ActiveDay)}


async def test_summary_matches_the_export_files(runtime: Runtime) -> None:
    """Messages, joins, members and skipped bots agree with counts taken from the files."""
    expected = _expected()
    [summary] = await import_history(runtime, "slack", HOUSTON)
    assert summary.community == "T061A2UFL"
    assert summary.events == expected["spoken"] + expected["joins"] + expected["reactions"] == EVENTS
    assert summary.new_events == summary.events
    assert summary.members == expected["members"] == await _count(runtime, Member)
    assert summary.skipped.reasons["bot messages"] == expected["bots"] == 1
    assert summary.skipped.reasons["messages without an author"] == expected["no_author"]
    assert summary.skipped.bad_files == []
    assert sum(summary.levels.values()) == summary.members
    assert summary.questions > 0 and 0 < summary.answered <= summary.questions


async def test_a_real_question_and_its_answer_are_recognised(runtime: Runtime) -> None:
    """Colinnlsn asks neerajt about the 'visited' column; neerajt's reply 17 s later answers it.
    Colin's follow-up question a minute later is part of the same conversation. His "thanks" at
    15:03 follows Neeraj's "merged" (a pull request, after talk of a README), so it shows no answer:
    the question is answered, not solved, and nothing said 13 minutes earlier is its answer."""
    await import_history(runtime, "slack", HOUSTON)
    day = json.loads((HOUSTON / "datajam" / "2015-08-08.json").read_text())
    asked = next(m for m in day if 'is the "visited" column' in m["text"])
    reply = next(m for m in day if "Yes, and yes" in m["text"])
    async with runtime.sessions() as session:
        question = (
            await session.exec(select(Question).where(Question.source_id == f"slack:C061A0WJG:{asked['ts']}"))
        ).one()
        responder = await session.get(Member, question.first_responder_id)
        asker = await session.get(Member, question.asker_id)
        answers = (await session.exec(select(Answer).where(Answer.question_id == question.id))).all()
    assert asker is not None and asker.external_id == asked["user"] == "U066MTL5U"
    assert responder is not None and responder.external_id == reply["user"] == "U061A5N1G"
    assert question.first_response_at == datetime.fromtimestamp(float(reply["ts"]), UTC)
    assert question.status == "answered" and question.accepted_answer_id is None
    assert "<@U066MTL5U>: Yes, and yes" in [a.text for a in answers]
    assert [a.text for a in answers if a.accepted_at is not None] == []
    assert not any(a.text.startswith("it's probably better") for a in answers)


async def test_reimport_adds_nothing(runtime: Runtime) -> None:
    """Importing the same export twice leaves every table as the first import left it."""
    await import_history(runtime, "slack", HOUSTON)
    before = await _counts(runtime)
    [again] = await import_history(runtime, "slack", HOUSTON)
    assert await _counts(runtime) == before
    assert again.new_events == 0
    assert again.skipped.resumed_files == 375


async def test_a_corrupted_file_is_reported_and_skipped(runtime: Runtime, tmp_path: Path) -> None:
    """One unreadable day file is named in the summary; every other file is imported."""
    copy = tmp_path / "export"
    shutil.copytree(HOUSTON, copy)
    broken = copy / "general" / "2016-01-13.json"
    lost = _expected([broken])
    broken.chmod(0o644)
    broken.write_text('[{"type": "message", "user": "U1", "te')
    [summary] = await import_history(runtime, "slack", copy)
    assert [path for path, _ in summary.skipped.bad_files] == ["general/2016-01-13.json"]
    assert summary.events == EVENTS - lost["spoken"] - lost["joins"] - lost["reactions"]
    text = Console(record=True, width=200)
    render(summary, text)
    assert "malformed file general/2016-01-13.json" in text.export_text()


async def test_an_interrupted_import_resumes(runtime: Runtime, tmp_path: Path) -> None:
    """Stopped after two committed batches, a second run finishes with what one run gives."""
    written: list[Batch] = []

    def stop_after_two(batch: Batch) -> None:
        written.append(batch)
        if len(written) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await import_history(runtime, "slack", HOUSTON, on_batch=stop_after_two, batch_size=200)
    partial = await _counts(runtime)
    [resumed] = await import_history(runtime, "slack", HOUSTON, batch_size=200)
    assert resumed.skipped.resumed_files == sum(len(b.markers) for b in written) > 0
    assert resumed.new_events == EVENTS - partial_events(written)
    assert partial["Member"] < resumed.members == 71


async def test_an_import_stopped_inside_a_file_resumes_recording_each_event_once(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Batches smaller than a day file split it; stopped after two batches, inside a file, a
    second run reads that file again from its start yet counts each event once, and every
    member's activity (join, last seen, active days) is what one uninterrupted import gives."""
    written: list[Batch] = []

    def stop_after_two(batch: Batch) -> None:
        written.append(batch)
        if len(written) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await import_history(runtime, "slack", HOUSTON, on_batch=stop_after_two, batch_size=3)
    assert not written[-1].markers  # the second batch ended inside a file
    [resumed] = await import_history(runtime, "slack", HOUSTON, batch_size=3)
    assert resumed.new_events == EVENTS - partial_events(written)
    (tmp_path / "once").mkdir()
    url = migrated_database_url(tmp_path / "once")
    engine = create_engine(url)
    once = Runtime(Settings(), LadderConfig(), session_factory(engine), url, FakeClock(NOW))
    await import_history(once, "slack", HOUSTON)
    assert await _activity(runtime) == await _activity(once)
    await engine.dispose()


async def _activity(runtime: Runtime) -> tuple[list[Any], list[Any]]:
    """Each member's join and last-seen times, and every active day, in a stable order."""
    async with runtime.sessions() as session:
        members = await session.exec(
            select(Member.external_id, Member.joined_at, Member.last_active_at).order_by(
                col(Member.external_id)
            )
        )
        days = await session.exec(
            select(col(Member.external_id), col(ActiveDay.day))
            .join(Member, col(Member.id) == col(ActiveDay.member_id))
            .order_by(col(Member.external_id), col(ActiveDay.day))
        )
        return list(members.all()), list(days.all())


def partial_events(batches: list[Batch]) -> int:
    """Events the interrupted run committed."""
    return sum(len(b.events) for b in batches)
