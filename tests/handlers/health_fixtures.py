"""A real database per test and a small community whose digest figures are known by hand.

``build_community`` writes rows straight through the models; the comments next to each row say
which figure it feeds, so a failing assertion points at the row that explains it.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from db import migrated_database_url
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import create_engine, session_factory
from handlers.kernel import LadderConfig, Scope
from models import (
    ActiveDay,
    Answer,
    Call,
    CallSignup,
    Community,
    LevelChange,
    Member,
    MemberStatus,
    Quest,
    Question,
    QuestionStatus,
    QuestProgress,
    QuestStatus,
    SignupStatus,
)

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
PERIOD_START = NOW - 7 * DAY


def ident(row: Member | Question | Call | Quest) -> int:
    """A flushed row's primary key."""
    assert row.id is not None
    return row.id


@asynccontextmanager
async def open_session(tmp_path: Path) -> AsyncIterator[AsyncSession]:
    """A session on a freshly migrated database (SQLite, or PostgreSQL when CI asks for it)."""
    engine = create_engine(migrated_database_url(tmp_path))
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def new_scope(session: AsyncSession, config: LadderConfig | None = None, now: datetime = NOW) -> Scope:
    """A stored community and a scope on it at ``now``."""
    community = Community(platform="console", external_id="c1", name="Gardeners")
    session.add(community)
    await session.flush()
    return Scope(session, config or LadderConfig(), now, community)


@dataclass
class Builder:
    """Adds rows to one community, keeping members by handle."""

    scope: Scope
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def session(self) -> AsyncSession:
        """The scope's session."""
        return self.scope.session

    async def member(
        self,
        handle: str,
        level: int,
        joined: datetime,
        changes: tuple[tuple[int, int, datetime], ...] = (),
        *,
        is_bot: bool = False,
        status: str = MemberStatus.ACTIVE,
    ) -> Member:
        """A member and their level changes ``(from, to, at)``; ``level_since`` = last change."""
        since = changes[-1][2] if changes else joined
        member = Member(
            community_id=self.scope.community_id,
            platform="console",
            external_id=handle,
            display_name=handle,
            level=level,
            joined_at=joined,
            level_since=since,
            is_bot=is_bot,
            status=status,
        )
        self.session.add(member)
        await self.session.flush()
        for before, after, at in changes:
            self.session.add(
                LevelChange(
                    community_id=self.scope.community_id,
                    member_id=ident(member),
                    from_level=before,
                    to_level=after,
                    created_at=at,
                )
            )
        self.members[handle] = member
        return member

    def active(self, handle: str, *days: date) -> None:
        """Record active days, and the last-seen time that always goes with them."""
        member = self.members[handle]
        for day in days:
            self.session.add(ActiveDay(member_id=ident(member), day=day))
        member.last_active_at = datetime.combine(max(days), time(12), UTC)
        self.session.add(member)

    async def question(
        self,
        asker: str,
        asked: datetime,
        *,
        responded_after: timedelta | None = None,
        status: str | None = None,
        escalations: int = 0,
        tier_index: int = 0,
        exhausted: bool = False,
    ) -> Question:
        """A question; answered when ``responded_after`` is given."""
        who = self.members[asker]
        question = Question(
            community_id=self.scope.community_id,
            asker_id=ident(who),
            asker_level=who.level,
            text="how?",
            source_id=f"q-{asker}-{asked.isoformat()}",
            status=status
            or (QuestionStatus.ANSWERED if responded_after is not None else QuestionStatus.OPEN),
            escalations=escalations,
            tier_index=tier_index,
            exhausted=exhausted,
            asked_at=asked,
            first_response_at=asked + responded_after if responded_after is not None else None,
        )
        self.session.add(question)
        await self.session.flush()
        return question

    def answer(self, question: Question, by: str, at: datetime) -> None:
        """An answer row."""
        self.session.add(
            Answer(
                question_id=ident(question),
                member_id=ident(self.members[by]),
                text="like this",
                source_id=f"a-{question.id}-{by}-{at.isoformat()}",
                created_at=at,
            )
        )

    async def call(
        self,
        created: datetime,
        *,
        filled: datetime | None = None,
        closed: datetime | None = None,
        signups: tuple[tuple[str, SignupStatus, datetime], ...] = (),
    ) -> Call:
        """A call by the co-creator, with sign-ups ``(handle, status, joined)``."""
        call = Call(
            community_id=self.scope.community_id,
            creator_id=ident(self.members["carl"]),
            title="Plant trees",
            need=2,
            status="open" if closed is None else "closed",
            deadline=created + 7 * DAY,
            created_at=created,
            filled_at=filled,
            closed_at=closed,
        )
        self.session.add(call)
        await self.session.flush()
        for handle, status, joined in signups:
            self.session.add(
                CallSignup(
                    call_id=ident(call),
                    member_id=ident(self.members[handle]),
                    status=status,
                    joined_at=joined,
                    waitlisted_at=joined if status == SignupStatus.WAITLISTED else None,
                )
            )
        return call


async def build_community(scope: Scope) -> None:
    """The community of the digest tests (period = the 7 days before NOW; 4 weeks ago = NOW-28d).

    Shape now: L0 nora zed · L1 newt nick dora olga · L2 sam pat · L3 hana hugo · L4 carl ·
    L5 stella (12). Shape 4 weeks ago: L0 nora nick · L1 pat olga · L2 hugo dora sam ·
    L3 carl hana · L5 stella (10). Bots and erased members never count.
    """
    b = Builder(scope)
    await b.member("stella", 5, NOW - 400 * DAY, ((0, 5, NOW - 300 * DAY),))
    await b.member("carl", 4, NOW - 300 * DAY, ((0, 3, NOW - 200 * DAY), (3, 4, NOW - 3 * DAY)))
    hana = await b.member("hana", 3, NOW - 200 * DAY, ((0, 3, NOW - 100 * DAY),))
    await b.member("hugo", 3, NOW - 60 * DAY, ((0, 2, NOW - 40 * DAY), (2, 3, NOW - 20 * DAY)))
    # Pat's promotion lands exactly on the period's start: included.
    await b.member("pat", 2, NOW - 50 * DAY, ((0, 1, NOW - 45 * DAY), (1, 2, PERIOD_START)))
    # The newcomer cohort joined in [NOW-42d, NOW-14d): newt made it within 14 days, nick in 20.
    await b.member("newt", 1, NOW - 20 * DAY, ((0, 1, NOW - 18 * DAY),))
    await b.member("nora", 0, NOW - 30 * DAY)
    await b.member("nick", 1, NOW - 40 * DAY, ((0, 1, NOW - 20 * DAY),))
    await b.member("zed", 0, NOW - 2 * DAY)
    # A demotion in the period is not a promotion.
    await b.member("dora", 1, NOW - 100 * DAY, ((0, 2, NOW - 80 * DAY), (2, 1, NOW - 4 * DAY)))
    await b.member("sam", 2, NOW - 150 * DAY, ((0, 2, NOW - 90 * DAY),))
    await b.member("olga", 1, NOW - 120 * DAY, ((0, 1, NOW - 110 * DAY),))
    await b.member("ladderbot", 0, NOW - 300 * DAY, is_bot=True)
    await b.member("gone", 2, NOW - 300 * DAY, ((0, 2, NOW - 2 * DAY),), status=MemberStatus.FORGOTTEN)

    # Stalled: sam only. Hana has a quest awaiting review; olga was active before the period;
    # stella is at the top; the bot doesn't count; hugo moved 20 days ago.
    today = NOW.date()
    for handle in ("sam", "hana", "stella", "ladderbot", "hugo", "nora"):
        b.active(handle, today - timedelta(days=1))
    b.active("olga", today - timedelta(days=10))
    quest = Quest(community_id=scope.community_id, key="write-a-faq", level=2, title="FAQ")
    b.session.add(quest)
    await b.session.flush()
    b.session.add(QuestProgress(quest_id=ident(quest), member_id=ident(hana), status=QuestStatus.SUBMITTED))
    b.session.add(
        QuestProgress(quest_id=ident(quest), member_id=ident(b.members["sam"]), status=QuestStatus.APPROVED)
    )

    # Questions of the period: 9 asked, 1 deflected, 7 answered; response times
    # 10, 15, 20, 35, 45 min, 2 h, 5 h -> median 35 min, 3 of 8 routed within 30 min.
    q1 = await b.question("nora", NOW - 6 * DAY, responded_after=10 * MINUTE)
    # Solved: zed thanked in words, olga reacted 👍 (any accepted answer solves).
    q2 = await b.question("zed", NOW - 5 * DAY, responded_after=20 * MINUTE, status=QuestionStatus.SOLVED)
    q3 = await b.question("newt", NOW - 5 * DAY, responded_after=35 * MINUTE)
    # Escalated once into the stewards' tier (asker level 1: tiers are [Helper], [Steward]).
    q4 = await b.question("nick", NOW - 4 * DAY, responded_after=120 * MINUTE, escalations=1, tier_index=1)
    # Ran through every tier.
    q5 = await b.question(
        "nora",
        NOW - 3 * DAY,
        responded_after=300 * MINUTE,
        escalations=2,
        tier_index=2,
        exhausted=True,
    )
    # Escalated once, but only to the helpers (asker level 0: Contributor, Helper, Steward).
    q6 = await b.question("zed", NOW - 2 * DAY, responded_after=45 * MINUTE, escalations=1, tier_index=1)
    await b.question("pat", NOW - 1 * DAY)  # still open
    await b.question("nora", NOW - 2 * DAY, status=QuestionStatus.DEFLECTED)
    q9 = await b.question("olga", NOW - 6 * DAY, responded_after=15 * MINUTE, status=QuestionStatus.SOLVED)
    await b.question("newt", NOW - 10 * DAY)  # asked earlier, still open: unanswered too
    old = await b.question("newt", NOW - 9 * DAY, responded_after=60 * MINUTE)
    await b.question("zed", NOW)  # asked at the period's end: next period

    # Answers of the period: hana 7, stella 2, carl 2, newt 1 (the bot's and older ones ignored).
    for q in (q1, q2, q3, q4, q5, q6):
        b.answer(q, "hana", q.asked_at + 50 * MINUTE)
    b.answer(old, "hana", NOW - DAY)  # a late answer to last week's question counts this week
    b.answer(q4, "stella", q4.asked_at + 120 * MINUTE)
    b.answer(q5, "stella", q5.asked_at + 300 * MINUTE)  # to a newcomer
    b.answer(q9, "carl", q9.asked_at + 15 * MINUTE)
    b.answer(q1, "carl", q1.asked_at + 10 * MINUTE)  # to a newcomer
    b.answer(q2, "newt", q2.asked_at + 20 * MINUTE)
    b.answer(q3, "ladderbot", q3.asked_at + MINUTE)
    b.answer(old, "stella", old.asked_at + 60 * MINUTE)

    # Calls: opened c1 c3 c4 c6; filled c1 (1 d) and c2 (2 d); unfilled c3 c6; c5 before.
    await b.call(
        NOW - 6 * DAY,
        filled=NOW - 5 * DAY,
        closed=NOW - 5 * DAY,
        signups=(
            ("sam", SignupStatus.CONFIRMED, NOW - 6 * DAY),
            ("pat", SignupStatus.FULFILLED, NOW - 6 * DAY),
            ("hugo", SignupStatus.WAITLISTED, NOW - 5 * DAY),
            ("nick", SignupStatus.WAITLISTED, NOW - 5 * DAY),
        ),
    )
    await b.call(NOW - 8 * DAY, filled=NOW - 6 * DAY, closed=NOW - 6 * DAY)
    await b.call(NOW - 4 * DAY, closed=NOW - DAY)
    await b.call(NOW - 3 * DAY)
    await b.call(
        NOW - 20 * DAY,
        closed=NOW - 15 * DAY,
        signups=(("olga", SignupStatus.WAITLISTED, NOW - 19 * DAY),),
    )
    await b.call(NOW - 5 * DAY, closed=NOW - 2 * timedelta(hours=1))
    await b.session.flush()
