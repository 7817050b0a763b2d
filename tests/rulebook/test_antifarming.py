"""Properties of the limits that keep acceptance honest, through the real write paths.

Each oracle is written here from DESIGN.md's words, independently of the code under test: a
plain loop over the events in time order (live), and window invariants that must hold whatever
order an import reads its files in.
"""

from datetime import datetime, timedelta

from conversation_script import Script, feed, with_harness
from core_harness import START, Harness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from models import Contribution, ContributionKind

FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEEK = timedelta(days=7)
SAME_ASKER_MAX, GIVEN_PER_DAY = 3, 5


async def times_of(harness: Harness, kind: str) -> list[datetime]:
    """When each contribution of a kind was credited, in time order."""
    async with harness.ladder.sessions() as session:
        rows = await session.exec(
            select(Contribution.created_at)
            .where(Contribution.kind == kind)
            .order_by(col(Contribution.created_at))
        )
        return list(rows.all())


def greedy_same_asker(times: list[datetime]) -> list[datetime]:
    """DESIGN.md read literally, in time order: an acceptance counts when fewer than 3 of the same
    asker's acceptances counted in the 7 days before it."""
    counted: list[datetime] = []
    for at in sorted(times):
        if sum(1 for t in counted if at - WEEK < t <= at) < SAME_ASKER_MAX:
            counted.append(at)
    return counted


def every_week_holds_at_most(times: list[datetime], limit: int) -> bool:
    """No 7-day span holds more than ``limit`` of ``times``."""
    return all(sum(1 for t in times if start <= t < start + WEEK) <= limit for start in times)


def acceptances(hours: list[int]) -> Script:
    """Ann asks a question at each hour; Bob answers it a minute later; Ann's 👍 a minute after."""
    talk = Script()
    for hour in hours:
        question = talk.ask("ann", f"How do I do task {hour}?", hour * 60)
        answer = talk.say("bob", f"Like this, for task {hour}", hour * 60 + 1, thread=question)
        talk.react("ann", answer, "👍", hour * 60 + 2)
    return talk


@FAST
@given(hours=st.lists(st.integers(0, 24 * 30), min_size=1, max_size=9, unique=True), live=st.booleans())
def test_the_same_asker_counts_three_times_a_week_in_time_order(hours: list[int], live: bool) -> None:
    """Read in time order (live, or one history batch), exactly the acceptances the literal rule
    counts earn points; the rest stay in the ledger at 0 points."""

    async def body(harness: Harness) -> None:
        await feed(harness, acceptances(hours).events, live=live)
        counted = await times_of(harness, ContributionKind.ANSWER_ACCEPTED)
        over = await times_of(harness, ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT)
        reacted = [START + timedelta(minutes=h * 60 + 2) for h in hours]
        assert counted == greedy_same_asker(reacted)
        assert sorted(counted + over) == sorted(reacted)

    with_harness(body)


@FAST
@given(
    hours=st.lists(st.integers(0, 24 * 20), min_size=2, max_size=9, unique=True),
    size=st.integers(1, 4),
    data=st.data(),
)
def test_the_same_asker_limit_holds_whatever_order_history_arrives_in(
    hours: list[int], size: int, data: st.DataObject
) -> None:
    """An import reads channel after channel, so later acceptances may come first: no 7-day span
    ever counts more than 3, every acceptance is recorded, and one alone in its weeks counts."""
    talk = acceptances(sorted(hours))
    step = size * 3
    chunks = [talk.events[i : i + step] for i in range(0, len(talk.events), step)]
    order = data.draw(st.permutations(range(len(chunks))))

    async def body(harness: Harness) -> None:
        for index in order:
            await harness.ladder.events(chunks[index], live=False)
        counted = await times_of(harness, ContributionKind.ANSWER_ACCEPTED)
        over = await times_of(harness, ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT)
        reacted = [START + timedelta(minutes=h * 60 + 2) for h in hours]
        alone = [t for t in reacted if not any(o != t and abs(o - t) < WEEK for o in reacted)]
        assert every_week_holds_at_most(counted, SAME_ASKER_MAX)
        assert sorted(counted + over) == sorted(reacted)
        assert set(alone) <= set(counted)

    with_harness(body)


def replies(plan: list[tuple[int, int]]) -> Script:
    """Bob replies at each (question, hour) of the plan; each question is asked by someone new."""
    talk = Script()
    asked: dict[int, str] = {}
    for question, hour in sorted(plan, key=lambda item: item[1]):
        if question not in asked:
            asked[question] = talk.ask(f"asker{question}", f"How do I do task {question}?", hour * 60)
        talk.say("bob", f"reply about task {question}", hour * 60 + 1, thread=asked[question])
    return talk


def literal_given(plan: list[tuple[int, int]]) -> dict[str, int]:
    """DESIGN.md read literally, in time order: a reply earns `answer_given` once per question and
    at most 5 times a day per member. Returns credits per day."""
    credited: set[int] = set()
    per_day: dict[str, int] = {}
    for question, hour in sorted(plan, key=lambda item: item[1]):
        day = (START + timedelta(minutes=hour * 60 + 1)).date().isoformat()
        if question in credited or per_day.get(day, 0) >= GIVEN_PER_DAY:
            continue
        credited.add(question)
        per_day[day] = per_day.get(day, 0) + 1
    return per_day


@FAST
@given(
    plan=st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 60)), min_size=1, max_size=20, unique_by=lambda p: p
    ),
    live=st.booleans(),
)
def test_plain_replies_earn_answer_given_once_per_question_five_a_day(
    plan: list[tuple[int, int]], live: bool
) -> None:
    """However many questions Bob replies to, and however often, he earns `answer_given` once per
    question and never more than 5 times on one day, live and in history alike."""

    async def body(harness: Harness) -> None:
        await feed(harness, replies(plan).events, live=live)
        per_day: dict[str, int] = {}
        for at in await times_of(harness, ContributionKind.ANSWER_GIVEN):
            per_day[at.date().isoformat()] = per_day.get(at.date().isoformat(), 0) + 1
        assert per_day == literal_given(plan)

    with_harness(body)


@FAST
@given(rejections=st.integers(1, 14), approve=st.booleans())
def test_a_quest_review_earns_once_per_submission_however_often_it_is_resubmitted(
    rejections: int, approve: bool
) -> None:
    """Rejecting a resubmitted quest 13 times earns the reviewer one review credit (2 points), not 26."""

    async def body(harness: Harness) -> None:
        await harness.set_level("reviewer", 3)
        await harness.post("dan", "Hello, I'm Dan!", channel="intros")
        for number in range(rejections):
            await harness.say("dan", f"quest submit read-the-guide attempt {number}")
            await harness.say("reviewer", f"quest reject @dan read-the-guide not yet {number}")
        if approve:
            await harness.say("dan", "quest submit read-the-guide final attempt")
            await harness.say("reviewer", "quest approve @dan read-the-guide good")
        assert len(await times_of(harness, ContributionKind.REVIEW)) == 1

    with_harness(body)
