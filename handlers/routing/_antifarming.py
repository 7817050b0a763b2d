"""What a batch's questions, answers and acceptances earn, within the limits that keep it honest.

- Asking credits ``question_asked`` once per question; introducing oneself ``introduction`` once.
- A reply by someone other than the asker earns ``answer_given`` once per question, at the time of
  the reply, at most ``answer_given_max_per_day`` times a (UTC) day per member.
- An accepted answer earns ``answer_accepted`` once per question and helper; the same asker's
  acceptances count towards a helper's promotion at most ``same_asker_max`` times in any
  ``same_asker_window_days`` days. Those over the limit stay in the ledger, visibly, as
  ``answer_accepted_over_limit`` worth 0 points.

Live and history use these same functions, so the limits hold whatever order an import reads
its files in, and an import overlapping live data credits nothing twice (source ids from
:mod:`handlers.sources`).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, cast, func
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from handlers.kernel import Scope
from handlers.ladder import Credit, accepted_source, asked_source, given_source, intro_source
from handlers.routing._rulebook import Acceptance, Decisions
from handlers.routing._threads import AnswerState
from models import Contribution, ContributionKind
from models.queries import CHUNK, chunks, is_sqlite


async def credits_for(scope: Scope, decisions: Decisions) -> list[Credit]:
    """Every credit a batch's decisions earn (the ledger skips source ids it already holds)."""
    points = scope.config.points
    credits = [
        Credit(thread.asker, ContributionKind.QUESTION_ASKED, points.question_asked, asked_source(qid), e.at)
        for thread, e in decisions.opened
        if (qid := thread.question_id) is not None
    ]
    credits += [
        Credit(member, ContributionKind.INTRODUCTION, points.introduction, intro_source(member), at)
        for member, at in decisions.introduced.items()
    ]
    credits += await given_credits(scope, [answer for answer, _ in decisions.answered])
    credits += await accepted_credits(scope, decisions.accepted)
    return credits


async def given_credits(scope: Scope, answers: Sequence[AnswerState]) -> list[Credit]:
    """``answer_given`` once per question and member, at most a few a day per member."""
    wanted = sorted(
        ((a.thread.question_id, a.author, a.at) for a in answers if a.thread.question_id is not None),
        key=lambda item: item[2],
    )
    if not wanted:
        return []
    cap = scope.config.acceptance.answer_given_max_per_day
    held = await _held_sources(
        scope,
        {
            given_source(a.thread.question_id, a.author)
            for a in answers
            if a.thread.question_id and not a.thread.new
        },
    )
    per_day = await _given_per_day(scope, {m for _, m, _ in wanted}, [at for _, _, at in wanted])
    points = scope.config.points.answer_given
    credits: list[Credit] = []
    for question, member, at in wanted:
        source = given_source(question, member)
        if source in held or per_day[(member, at.date())] >= cap:
            continue
        held.add(source)
        per_day[(member, at.date())] += 1
        credits.append(Credit(member, ContributionKind.ANSWER_GIVEN, points, source, at))
    return credits


async def accepted_credits(scope: Scope, acceptances: Sequence[Acceptance]) -> list[Credit]:
    """``answer_accepted`` per accepted answer; over the same-asker limit, recorded at 0 points."""
    wanted = sorted(
        (a for a in acceptances if a.answer.thread.question_id is not None),
        key=lambda a: a.at,
    )
    if not wanted:
        return []
    rules = scope.config.acceptance
    window = timedelta(days=rules.same_asker_window_days)
    counted = await _counted_acceptances(scope, wanted, window)
    points = scope.config.points.answer_accepted
    credits: list[Credit] = []
    for acceptance in wanted:
        answer = acceptance.answer
        asker, question = answer.thread.asker, answer.thread.question_id
        assert question is not None
        pair = counted[(answer.author, asker)]
        source = accepted_source(question, answer.author)
        if counts_towards_promotion(pair, acceptance.at, rules.same_asker_max, window):
            pair.append(acceptance.at)
            kind, earned = ContributionKind.ANSWER_ACCEPTED, points
        else:
            kind, earned = ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT, 0
        credits.append(Credit(answer.author, kind, earned, source, acceptance.at, asker_id=asker))
    return credits


def counts_towards_promotion(
    counted: Iterable[datetime], at: datetime, limit: int, window: timedelta
) -> bool:
    """Whether one more acceptance at ``at`` keeps every ``window``-long span at ``limit`` or fewer.

    Read in time order this is "fewer than ``limit`` counted in the ``window`` before ``at``"; it
    also holds when history arrives out of order (an import reads channel after channel).
    """
    near = sorted([t for t in counted if abs(t - at) < window] + [at])
    for start in near:
        if (
            start <= at
            and at - start < window
            and sum(1 for t in near if start <= t < start + window) > limit
        ):
            return False
    return True


async def _held_sources(scope: Scope, sources: set[str]) -> set[str]:
    """The source ids among ``sources`` the ledger already holds."""
    held: set[str] = set()
    for chunk in chunks(sorted(sources)):
        rows = await scope.session.exec(
            select(Contribution.source_id).where(
                Contribution.community_id == scope.community_id, col(Contribution.source_id).in_(chunk)
            )
        )
        held.update(rows.all())
    return held


async def _given_per_day(scope: Scope, members: set[int], times: list[datetime]) -> Counter[tuple[int, date]]:
    """How many ``answer_given`` each member already has on each (UTC) day of the batch's span,
    counted by the database."""
    start = datetime.combine(min(times).date(), time.min, UTC)
    end = datetime.combine(max(times).date(), time.min, UTC) + timedelta(days=1)
    created = col(Contribution.created_at)
    day = func.date(created) if is_sqlite(scope.session) else cast(func.timezone("UTC", created), Date)
    per_day: Counter[tuple[int, date]] = Counter()
    for chunk in chunks(sorted(members)):
        rows = await scope.session.execute(
            sql_select(col(Contribution.member_id), day, func.count())
            .where(
                col(Contribution.member_id).in_(chunk),
                col(Contribution.kind) == ContributionKind.ANSWER_GIVEN,
                created >= start,
                created < end,
            )
            .group_by(col(Contribution.member_id), day)
        )
        for member, on, count in rows.all():
            per_day[(member, on if isinstance(on, date) else date.fromisoformat(on))] += count
    return per_day


async def _counted_acceptances(
    scope: Scope, wanted: Sequence[Acceptance], window: timedelta
) -> defaultdict[tuple[int, int], list[datetime]]:
    """Counted acceptances already in the ledger per (helper, asker), near the batch's ones."""
    counted: defaultdict[tuple[int, int], list[datetime]] = defaultdict(list)
    pairs = {(a.answer.author, a.answer.thread.asker) for a in wanted}
    start, end = wanted[0].at - window, wanted[-1].at + window
    helpers = sorted({helper for helper, _ in pairs})
    askers = sorted({asker for _, asker in pairs})
    for chunk in chunks(helpers):
        query = select(Contribution.member_id, Contribution.asker_id, Contribution.created_at).where(
            col(Contribution.member_id).in_(chunk),
            Contribution.kind == ContributionKind.ANSWER_ACCEPTED,
            col(Contribution.created_at) > start,
            col(Contribution.created_at) < end,
        )
        if len(askers) <= CHUNK:
            query = query.where(col(Contribution.asker_id).in_(askers))
        rows = await scope.session.exec(query)
        for helper, asker, at in rows.all():
            if asker is not None and (helper, asker) in pairs:
                counted[(helper, asker)].append(at)
    return counted
