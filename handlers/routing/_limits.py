"""Limits that keep the ladder honest: how many questions one member may have open, and ask a day.

A member who asks past a limit is told which limit, and when (or on what) it frees up. The
numbers are ``routing.max_open_questions_per_member`` and
``routing.max_questions_per_member_per_day`` in the ladder config.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import col, select

from handlers.kernel import Scope, plural
from models import Member, Question, QuestionStatus
from models.queries import chunks

DAY = timedelta(hours=24)
SHOWN_IDS = 5


async def question_limit(scope: Scope, asker: Member) -> str | None:
    """Why ``asker`` may not open another question now, in words; None when they may."""
    assert asker.id is not None, "a member is stored before they ask"
    return (await question_limits(scope, [asker.id]))[asker.id]


async def question_limits(scope: Scope, askers: Iterable[int]) -> dict[int, str | None]:
    """:func:`question_limit` for many askers (by member id) at once: two set-based reads, so a
    live batch that opens many questions pays two statements, not two per question."""
    wanted = sorted(set(askers))
    waiting: dict[int, list[int]] = {asker: [] for asker in wanted}
    asked: dict[int, list[datetime]] = {asker: [] for asker in wanted}
    for chunk in chunks(wanted):
        rows = await scope.session.exec(
            select(Question.asker_id, Question.id)
            .where(
                Question.community_id == scope.community_id,
                col(Question.asker_id).in_(chunk),
                Question.status == QuestionStatus.OPEN,
            )
            .order_by(col(Question.id))
        )
        for asker, question in rows.all():
            if question is not None:
                waiting[asker].append(question)
        moments = await scope.session.exec(
            select(Question.asker_id, Question.asked_at)
            .where(
                Question.community_id == scope.community_id,
                col(Question.asker_id).in_(chunk),
                Question.asked_at > scope.now - DAY,
            )
            .order_by(col(Question.asked_at))
        )
        for asker, at in moments.all():
            asked[asker].append(at)
    return {asker: _reason(scope, waiting[asker], asked[asker]) for asker in wanted}


def _reason(scope: Scope, waiting: list[int], asked: list[datetime]) -> str | None:
    """The limit an asker with these open questions and these last-day questions is at, if any."""
    routing = scope.config.routing
    if len(waiting) >= routing.max_open_questions_per_member:
        shown = ", ".join(f"#{number}" for number in waiting[:SHOWN_IDS])
        more = ", …" if len(waiting) > SHOWN_IDS else ""
        return (
            f"you already have {plural(len(waiting), 'open question')} waiting for a first reply "
            f"({shown}{more}) and the limit is {routing.max_open_questions_per_member}. A place frees "
            "up as soon as someone replies to one of them."
        )
    per_day = routing.max_questions_per_member_per_day
    if len(asked) >= per_day:
        frees = _next_minute(asked[len(asked) - per_day] + DAY)
        return (
            f"you have asked {plural(len(asked), 'question')} in the last 24 hours and the limit is "
            f"{per_day} a day. You can ask again from {frees:%d %b %H:%M} UTC."
        )
    return None


def _next_minute(moment: datetime) -> datetime:
    """The first whole minute at or after ``moment``, so the time said is never too early."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)
