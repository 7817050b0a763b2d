"""Property tests over the rules that must hold whatever members do."""

from datetime import timedelta

from core_harness import COMMUNITY, FAST, Harness, config_for_tests, with_harness
from hypothesis import example, given
from hypothesis import strategies as st
from sqlmodel import func, select

from handlers.kernel import Scope, ensure_community
from handlers.ladder import Credit, credit
from models import ActiveDay, CallInvite, CallSignup, Contribution, Member


@FAST
@given(need=st.integers(1, 4), moves=st.lists(st.tuples(st.integers(0, 6), st.booleans()), max_size=25))
def test_a_call_never_has_more_than_need_confirmed(need: int, moves: list[tuple[int, bool]]) -> None:
    """Whatever the order of joins and leaves, confirmed members never exceed `need`."""

    async def body(harness: Harness) -> None:
        await harness.say("manager", f'call new "Property" need={need}')
        for member, joining in moves:
            await harness.say(f"m{member}", f"call {'join' if joining else 'leave'} 1")
            async with harness.ladder.sessions() as session:
                confirmed = (
                    await session.exec(
                        select(func.count()).select_from(CallSignup).where(CallSignup.status == "confirmed")
                    )
                ).one()
                waiting = (
                    await session.exec(
                        select(func.count()).select_from(CallSignup).where(CallSignup.status == "waitlisted")
                    )
                ).one()
            assert confirmed <= need
            assert waiting == 0 or confirmed == need, "nobody waits while a place is free"

    with_harness(body)


@FAST
@given(gaps=st.lists(st.integers(0, 4), min_size=1, max_size=8))
def test_nobody_is_invited_more_than_the_weekly_cap(gaps: list[int]) -> None:
    """Across calls opened on any days, no member gets more than 2 invitations in 7 days."""

    async def body(harness: Harness) -> None:
        for name in ("a", "b", "c"):
            await harness.set_level(name, 2)
        for number, gap in enumerate(gaps):
            harness.later(days=gap)
            for name in ("a", "b", "c"):
                await harness.post(name, "still active")
            await harness.say("manager", f'call new "Call {number}" need=1 deadline=1d')
            await harness.sweep(days=1, minutes=1)
        async with harness.ladder.sessions() as session:
            invites = (await session.exec(select(CallInvite))).all()
        for invite in invites:
            window = [
                other
                for other in invites
                if other.member_id == invite.member_id
                and invite.invited_at <= other.invited_at < invite.invited_at + timedelta(days=7)
            ]
            assert len(window) <= 2

    with_harness(body)


@FAST
@given(sources=st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), min_size=1, max_size=12))
def test_the_same_source_is_credited_once(sources: list[str]) -> None:
    """However often a source id is credited, in one batch or many, the ledger holds it once."""

    async def body(harness: Harness) -> None:
        await harness.post("x", "hi")
        member = await harness.member("x")
        for half in (sources[: len(sources) // 2], sources[len(sources) // 2 :]):
            async with harness.ladder.sessions() as session, session.begin():
                community = await ensure_community(session, COMMUNITY, harness.ladder.config)
                scope = Scope(session, harness.ladder.config, harness.clock.now(), community)
                await credit(
                    scope,
                    [Credit(member.id or 0, "review", 2, s, harness.clock.now()) for s in half],
                )
        async with harness.ladder.sessions() as session:
            stored = (
                await session.exec(select(Contribution.source_id).where(Contribution.kind == "review"))
            ).all()
        assert sorted(stored) == sorted(set(sources))

    with_harness(body)


@FAST
@given(
    kinds=st.lists(
        st.sampled_from(["answer_accepted", "answer_given", "review", "introduction"]), max_size=30
    ),
    days=st.integers(0, 40),
)
@example(kinds=["introduction", "answer_accepted", "answer_accepted"], days=6)  # 22 points, a day short
@example(kinds=["introduction", "answer_accepted", "answer_given", "answer_given"], days=7)  # 18 points
@example(kinds=["introduction", "answer_accepted", "answer_given", "answer_given", "review"], days=7)  # 20
@example(kinds=["answer_accepted"] * 3, days=30)  # no first step
@example(kinds=["introduction"] + ["answer_accepted"] * 6, days=30)  # Helper needs 10 active days
def test_promotions_follow_the_config(kinds: list[str], days: int) -> None:
    """After any contributions, a member stands at the level the config's numbers give, worked out
    here by plain arithmetic (the default ladder without quests): Participant after an
    introduction, Contributor at 20 points and 7 days, Helper at 60 points, 5 accepted answers and
    10 active days; Co-creator waits for a manager."""
    config = config_for_tests(quests=())
    points = config.points

    async def body(harness: Harness) -> None:
        await harness.post("p", "hi")
        member = await harness.member("p")
        harness.later(days=days)
        async with harness.ladder.sessions() as session, session.begin():
            community = await ensure_community(session, COMMUNITY, harness.ladder.config)
            scope = Scope(session, harness.ladder.config, harness.clock.now(), community)
            await credit(
                scope,
                [
                    Credit(member.id or 0, kind, getattr(points, kind), f"{kind}{i}", harness.clock.now())
                    for i, kind in enumerate(kinds)
                ],
            )
        async with harness.ladder.sessions() as session:
            stored = (await session.exec(select(Member).where(Member.id == member.id))).one()
            active_days = (
                await session.exec(
                    select(func.count()).select_from(ActiveDay).where(ActiveDay.member_id == member.id)
                )
            ).one()
        earned = sum(getattr(points, kind) for kind in kinds)
        expected = 0
        if "introduction" in kinds:
            expected = 1
            if earned >= 20 and days >= 7:
                expected = 2
                if earned >= 60 and kinds.count("answer_accepted") >= 5 and active_days >= 10:
                    expected = 3
        assert stored.level == expected

    with_harness(body, config)
