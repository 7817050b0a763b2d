"""Placement from history (DESIGN.md): the highest level history meets, up to the first level a
manager confirms; quests history cannot show are waived and audited; never lower."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conversation_script import Script, feed, place
from core_harness import COMMUNITY, Harness
from slack_export import helpful_community
from sqlmodel import col, select

from bot.database import create_engine, session_factory, upgrade
from bot.importer import import_history
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.kernel import FakeClock, LadderConfig, Scope, ensure_community
from handlers.ladder import Credit, credit
from models import LevelChange, Member

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A runtime over a fresh SQLite database with the default ladder and a fixed clock."""
    url = f"sqlite:///{tmp_path / 'import.db'}"
    upgrade(url)
    engine = create_engine(url)
    yield Runtime(Settings(), LadderConfig(), session_factory(engine), url, FakeClock(NOW))
    await engine.dispose()


async def levels(runtime: Runtime) -> dict[str, int]:
    """Every member's level after the import, by platform id."""
    async with runtime.sessions() as session:
        return dict((await session.exec(select(Member.external_id, Member.level))).all())


async def test_an_import_places_the_most_helpful_members_at_helper_in_a_pyramid(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Ten weeks of threads where askers mostly thank in words: the two busy helpers are
    Helpers, and there are more Participants than Contributors and more Contributors than Helpers."""
    export = helpful_community().write(tmp_path / "export")
    [summary] = await import_history(runtime, "slack", export)
    placed = await levels(runtime)
    assert placed["U0HELPA"] == placed["U0HELPB"] == 3
    shape = summary.levels
    assert shape["Participant"] > shape["Contributor"] > shape["Helper"] > 0
    assert {name for name, _, _ in summary.top_helpers[:2]} == {"U0Helpa", "U0Helpb"}
    assert {name for name, level in summary.helpers if level == "Helper"} >= {"U0Helpa", "U0Helpb"}
    assert summary.signals["thanks"] > summary.signals["explicit"] > 0
    assert summary.placed == sum(1 for level in placed.values() if level > 0)
    async with runtime.sessions() as session:
        reasons = (await session.exec(select(LevelChange.reason).where(LevelChange.to_level == 3))).all()
    assert reasons and all("waived: placed from history" in reason for reason in reasons)
    assert all("Review a quest" in reason and "Write a FAQ entry" in reason for reason in reasons)


async def test_a_reimport_changes_no_level(runtime: Runtime, tmp_path: Path) -> None:
    """Importing the same export again adds nothing and moves nobody."""
    export = helpful_community().write(tmp_path / "export")
    await import_history(runtime, "slack", export)
    before = await levels(runtime)
    [again] = await import_history(runtime, "slack", export)
    assert await levels(runtime) == before and again.new_events == 0 and again.placed == 0


async def test_a_helper_who_never_asked_is_placed_by_their_answers(harness: Harness) -> None:
    """History rarely shows an introduction: a member who only answered others is placed as if
    they had said hello, and the audit says the first step was shown by answering."""
    talk = Script()
    for day in range(3):
        question = talk.ask(f"asker{day}", f"How do I set up part {day}?", day * 1440)
        talk.say("quiet", f"Run setup_{day}.sh first", day * 1440 + 5, thread=question)
        talk.say(f"asker{day}", "thanks!", day * 1440 + 9, thread=question)
    await feed(harness, talk.events, live=False)
    harness.later(days=10)
    await place(harness)
    assert (await harness.member("quiet")).level == 2
    quiet = await harness.member("quiet")
    async with harness.ladder.sessions() as session:
        first = (
            await session.exec(
                select(LevelChange.reason)
                .where(LevelChange.member_id == quiet.id)
                .order_by(col(LevelChange.id))
            )
        ).first()
    assert first is not None and "first step shown by answering others" in first
    assert "“Say hello” waived: placed from history" in first


async def test_placement_never_lowers_and_lists_who_is_ready_for_confirmation(harness: Harness) -> None:
    """A member set higher by hand keeps their level; one who meets Co-creator's rules but its
    confirmation is listed ready, not promoted."""
    await harness.set_level("veteran", 4)
    await harness.set_level("organiser", 3)
    organiser = await harness.member("organiser")
    async with harness.ladder.sessions() as session, session.begin():
        community = await ensure_community(session, COMMUNITY, harness.ladder.config)
        scope = Scope(session, harness.ladder.config, harness.clock.now(), community)
        calls = [
            Credit(organiser.id or 0, "call_fulfilled", 80, f"call:{n}:m{organiser.id}", scope.now)
            for n in range(2)
        ]
        await credit(scope, calls, promote=False)
    placement = await place(harness)
    assert (await harness.member("veteran")).level == 4
    assert (await harness.member("organiser")).level == 3
    assert [(member.external_id, level) for member, level in placement.ready] == [("organiser", 4)]
