"""Property tests over the rules that must hold whatever members do."""

from datetime import timedelta

from core_harness import COMMUNITY, FAST, Harness, with_harness
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select

from handlers.kernel import Scope, ensure_community
from handlers.ladder import Credit, credit, missing, standings
from models import CallInvite, CallSignup, Contribution, Member


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
def test_promotions_follow_the_config(kinds: list[str], days: int) -> None:
    """After any contributions, a member meets every rule up to their level and not the next."""

    async def body(harness: Harness) -> None:
        await harness.post("p", "hi")
        member = await harness.member("p")
        harness.later(days=days)
        async with harness.ladder.sessions() as session, session.begin():
            community = await ensure_community(session, COMMUNITY, harness.ladder.config)
            scope = Scope(session, harness.ladder.config, harness.clock.now(), community)
            points = harness.ladder.config.points
            await credit(
                scope,
                [
                    Credit(
                        member.id or 0,
                        kind,
                        getattr(points, kind),
                        f"{kind}{i}",
                        harness.clock.now(),
                    )
                    for i, kind in enumerate(kinds)
                ],
            )
        async with harness.ladder.sessions() as session:
            scope = Scope(
                session,
                harness.ladder.config,
                harness.clock.now(),
                await ensure_community(session, COMMUNITY, harness.ladder.config),
            )
            stored = (await session.exec(select(Member).where(Member.id == member.id))).one()
            standing = (await standings(scope, [stored]))[stored.id or 0]
            config = harness.ladder.config
            for level in range(1, stored.level + 1):
                assert missing(config.level(level), standing, config, scope.now) == []
            if stored.level < config.top_level:
                assert missing(config.level(stored.level + 1), standing, config, scope.now) != []

    with_harness(body)
