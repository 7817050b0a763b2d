"""Totals on the member row always equal the ledger, whatever wrote the ledger."""

from core_harness import INTRO_CHANNEL, Harness
from importer.conftest import HOUSTON
from rulebook.conversation_script import Script, feed
from sqlalchemy import case, func
from sqlalchemy import select as sql_select
from sqlmodel import col

from bot.importer import import_history
from bot.runtime import Runtime
from handlers.kernel import CommunityRef, Scope, ensure_community
from handlers.ladder import standings
from models import TOTAL_OF_KIND, Contribution, ContributionKind, Member

TOTALS = ("points", *TOTAL_OF_KIND.values())


async def totals_and_ledger(
    sessions: object,
) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Per member: the totals kept on their row, and the same figures summed from the ledger."""
    async with sessions() as session:  # type: ignore[operator]
        kept = await session.execute(
            sql_select(col(Member.external_id), *(getattr(Member, name) for name in TOTALS))
        )
        counts = [
            func.coalesce(func.sum(case((col(Contribution.kind) == kind, 1), else_=0)), 0)
            for kind in TOTAL_OF_KIND
        ]
        summed = await session.execute(
            sql_select(col(Member.external_id), func.coalesce(func.sum(col(Contribution.points)), 0), *counts)
            .select_from(Member)
            .outerjoin(Contribution, col(Contribution.member_id) == col(Member.id))
            .group_by(col(Member.id), col(Member.external_id))
        )
        return (
            {row[0]: tuple(int(v) for v in row[1:]) for row in kept.all()},
            {row[0]: tuple(int(v) for v in row[1:]) for row in summed.all()},
        )


def farmed(helper: str, asker: str, times: int) -> Script:
    """``asker`` asks ``times`` questions in one day and thanks ``helper``'s answer to each."""
    talk = Script()
    for n in range(times):
        question = talk.ask(asker, f"How do I fix error {n}?", n * 30)
        answer = talk.say(helper, f"Restart service {n}", n * 30 + 1, thread=question)
        talk.react(asker, answer, "👍", n * 30 + 2)
    return talk


async def test_live_events_over_limit_credits_and_forget_me_keep_totals_equal_to_the_ledger(
    harness: Harness,
) -> None:
    """Introductions, answers, acceptances past the same-asker limit (0 points), quests, calls and
    an erased member: every member's totals are exactly what their ledger sums to."""
    await harness.post("ann", "Hi, I'm Ann", channel=INTRO_CHANNEL)
    await feed(harness, farmed("bob", "ann", 5).events, live=True)
    await harness.say("ann", "quest submit read-the-guide I read it")
    await harness.say("manager", "quest approve @ann read-the-guide thanks")
    await harness.set_level("cat", 4)
    await harness.say("cat", 'call new "Plant trees" need=1')
    await harness.say("dan", "call join 1")
    await harness.say("cat", "call done 1 @dan")
    await harness.say("bob", "forget-me confirm")
    kept, summed = await totals_and_ledger(harness.ladder.sessions)
    assert kept == summed
    over = TOTALS.index(TOTAL_OF_KIND[ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT])
    accepted = TOTALS.index(TOTAL_OF_KIND[ContributionKind.ANSWER_ACCEPTED])
    erased = [figures for who, figures in kept.items() if who.startswith("forgotten-")]
    assert [(f[accepted], f[over]) for f in erased] == [(3, 2)]
    assert kept["dan"][TOTALS.index("calls_fulfilled")] == 1


async def test_history_import_keeps_totals_equal_to_the_ledger(runtime: Runtime) -> None:
    """A real Slack export imported in batches (anti-farming limits applied across them):
    totals equal the ledger, and a member's standing reads the same points as the ledger."""
    await import_history(runtime, "slack", HOUSTON)
    kept, summed = await totals_and_ledger(runtime.sessions)
    assert kept == summed
    assert sum(figures[0] for figures in kept.values()) > 0
    async with runtime.sessions() as session:
        community = await ensure_community(session, CommunityRef("slack", "T061A2UFL"), runtime.config)
        scope = Scope(session, runtime.config, runtime.clock.now(), community)
        members = (await session.execute(sql_select(Member))).scalars().all()
        standing = await standings(scope, members)
    by_name = {m.external_id: standing[m.id or 0] for m in members}
    assert {who: (s.points, s.accepted_answers) for who, s in by_name.items()} == {
        who: (figures[0], figures[TOTALS.index("accepted_answers")]) for who, figures in summed.items()
    }
