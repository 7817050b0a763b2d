"""The ladder's shape week by week, from the level-change audit, agreeing with the digest's."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from db import migrated_database_url

from bot.database import create_engine, session_factory
from handlers.dashboard import ladder_shape
from handlers.health import shape_at
from handlers.kernel import LadderConfig, Scope
from models import Community, LevelChange, Member, MemberStatus

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
DAY, WEEK = timedelta(days=1), timedelta(weeks=1)


class Builder:
    """Members written straight through the models, each with their audited level changes."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    async def member(
        self,
        handle: str,
        level: int,
        joined: datetime,
        changes: tuple[tuple[int, int, datetime], ...] = (),
        *,
        is_bot: bool = False,
        status: MemberStatus = MemberStatus.ACTIVE,
    ) -> None:
        """A member at ``level`` who joined at ``joined``, and their changes ``(from, to, at)``."""
        member = Member(
            community_id=self.scope.community_id,
            platform="console",
            external_id=handle,
            display_name=handle,
            level=level,
            joined_at=joined,
            level_since=changes[-1][2] if changes else joined,
            is_bot=is_bot,
            status=status,
        )
        self.scope.session.add(member)
        await self.scope.session.flush()
        for before, after, at in changes:
            self.scope.session.add(
                LevelChange(
                    community_id=self.scope.community_id,
                    member_id=member.id or 0,
                    from_level=before,
                    to_level=after,
                    created_at=at,
                )
            )


async def test_members_per_level_at_each_weeks_end(tmp_path: Path) -> None:
    """Each week's end counts members who had joined by then, at the level of their last change by
    then; bots never count, an erased member still does (anonymously); every level is present."""
    engine = create_engine(migrated_database_url(tmp_path))
    async with session_factory(engine)() as session:
        community = Community(platform="console", external_id="c1", name="Gardeners")
        session.add(community)
        await session.flush()
        scope = Scope(session, LadderConfig(), NOW, community)
        build = Builder(scope)
        old = NOW - 20 * WEEK
        await build.member("ann", 2, old, ((0, 1, NOW - 10 * WEEK), (1, 2, NOW - 3 * WEEK - DAY)))
        await build.member("bob", 1, old, ((0, 1, NOW - 12 * WEEK),))
        await build.member("cyd", 3, NOW - 5 * WEEK, ((0, 3, NOW - 2 * WEEK),))
        await build.member("dee", 1, old, ((0, 3, NOW - 9 * WEEK), (3, 1, NOW - 1 * WEEK)))  # demoted
        await build.member("eve", 0, NOW - 1 * DAY)
        await build.member("gone", 1, old, ((0, 1, NOW - 30 * WEEK),), status=MemberStatus.FORGOTTEN)
        await build.member("bot", 4, old, ((0, 4, old),), is_bot=True)
        await session.flush()
        shape = await ladder_shape(scope, weeks=12, end=NOW)
        digest = [await shape_at(session, scope.community_id, week.ends_at) for week in shape.weeks]
    await engine.dispose()
    assert [w.ends_at for w in shape.weeks] == [NOW - (11 - k) * WEEK for k in range(12)]
    assert shape.levels[:3] == ((0, "Newcomer"), (1, "Participant"), (2, "Contributor"))
    table = [(w.members[0], w.members[1], w.members[2], w.members[3]) for w in shape.weeks]
    assert table == [
        (2, 2, 0, 0),  # 11 weeks ago: ann and dee Newcomers; bob and the erased member Participants
        (1, 3, 0, 0),  # ann a Participant 10 weeks ago, at that very week's end
        (0, 3, 0, 1),  # dee a Helper 9 weeks ago
        (0, 3, 0, 1),
        (0, 3, 0, 1),
        (0, 3, 0, 1),
        (1, 3, 0, 1),  # cyd joined 5 weeks ago, a Newcomer until 2 weeks ago
        (1, 3, 0, 1),
        (1, 2, 1, 1),  # ann a Contributor (3 weeks and a day ago)
        (0, 2, 1, 2),  # cyd a Helper
        (0, 3, 1, 1),  # dee demoted to Participant a week ago
        (1, 3, 1, 1),  # eve joined yesterday
    ]
    assert all(w.members[4] == w.members[5] == 0 for w in shape.weeks)  # the bot is not counted
    assert [w.total for w in shape.weeks] == [4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6]
    assert [{lv: n for lv, n in w.members.items() if n} for w in shape.weeks] == digest
