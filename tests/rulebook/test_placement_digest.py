"""Placement from history is not a promotion: the digest's flow counts only climbs that happened."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_export import helpful_community
from sqlmodel import select

from bot.database import create_engine, session_factory, upgrade
from bot.importer import import_history
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.health import build_report
from handlers.kernel import FakeClock, LadderConfig, Scope
from handlers.ladder import record_level_change
from models import Community, LevelChange, LevelChangeKind, Member

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A runtime over a fresh SQLite database with the default ladder and a fixed clock."""
    url = f"sqlite:///{tmp_path / 'import.db'}"
    upgrade(url)
    engine = create_engine(url)
    yield Runtime(Settings(), LadderConfig(), session_factory(engine), url, FakeClock(NOW))
    await engine.dispose()


async def test_members_placed_by_an_import_are_not_this_week_s_promotions(
    runtime: Runtime, tmp_path: Path
) -> None:
    """An import this week places dozens of members; the week's digest still reads "none" for
    promotions, the audit keeps them as placements, and a real promotion afterwards is counted."""
    [summary] = await import_history(runtime, "slack", helpful_community().write(tmp_path / "export"))
    assert summary.placed > 10
    config = LadderConfig()
    async with runtime.sessions() as session:
        community = (await session.exec(select(Community))).one()
        kinds = set((await session.exec(select(LevelChange.kind))).all())
        assert kinds == {LevelChangeKind.PLACED}
        scope = Scope(session, config, NOW + timedelta(hours=1), community)
        report = await build_report(scope, NOW - timedelta(days=7), NOW + timedelta(hours=1))
        assert report.promotions == dict.fromkeys(range(1, 6), 0)
        member = (await session.exec(select(Member).where(Member.level == 1))).first()
        assert member is not None
        record_level_change(scope, member, 2, by=None, reason="met every requirement of Contributor")
        await session.flush()
        report = await build_report(scope, NOW - timedelta(days=7), NOW + timedelta(hours=2))
    assert report.promotions[2] == 1 and sum(report.promotions.values()) == 1
