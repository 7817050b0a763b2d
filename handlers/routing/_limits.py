"""Limits that keep the ladder honest: how many questions one member may have open, and ask a day.

A member who asks past a limit is told which limit, and when (or on what) it frees up. The
numbers are ``routing.max_open_questions_per_member`` and
``routing.max_questions_per_member_per_day`` in the ladder config.
"""

from datetime import datetime, timedelta

from sqlmodel import col, select

from handlers.kernel import Scope, plural
from models import Member, Question, QuestionStatus

DAY = timedelta(hours=24)
SHOWN_IDS = 5


async def question_limit(scope: Scope, asker: Member) -> str | None:
    """Why ``asker`` may not open another question now, in words; None when they may."""
    routing = scope.config.routing
    waiting = (
        await scope.session.exec(
            select(Question.id)
            .where(
                Question.community_id == scope.community_id,
                Question.asker_id == asker.id,
                Question.status == QuestionStatus.OPEN,
            )
            .order_by(col(Question.id))
        )
    ).all()
    if len(waiting) >= routing.max_open_questions_per_member:
        shown = ", ".join(f"#{number}" for number in waiting[:SHOWN_IDS])
        more = ", …" if len(waiting) > SHOWN_IDS else ""
        return (
            f"you already have {plural(len(waiting), 'open question')} waiting for a first reply "
            f"({shown}{more}) and the limit is {routing.max_open_questions_per_member}. A place frees "
            "up as soon as someone replies to one of them."
        )
    asked = (
        await scope.session.exec(
            select(Question.asked_at)
            .where(
                Question.community_id == scope.community_id,
                Question.asker_id == asker.id,
                Question.asked_at > scope.now - DAY,
            )
            .order_by(col(Question.asked_at))
        )
    ).all()
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
