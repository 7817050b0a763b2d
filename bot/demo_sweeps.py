"""When the demo's clock must run the sweep: the moments the real scheduler would act on.

The live scheduler sweeps every minute, day and night, so a question is escalated within a minute
of its timer and a call closes at its deadline. A simulation that swept only on the hour, in
daytime, would answer questions hours late with no escalation and teach a manager wrong figures;
the demo instead asks the database for the next due moment and sweeps exactly then.
"""

from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import Call, CallStatus, Question, QuestionStatus


async def next_sweep_due(session: AsyncSession, until: datetime) -> datetime | None:
    """The earliest escalation timer or call deadline at or before ``until`` (None: nothing due)."""
    escalation = (
        await session.exec(
            select(func.min(Question.next_escalation_at)).where(
                col(Question.status) == QuestionStatus.OPEN,
                col(Question.exhausted).is_(False),
                col(Question.next_escalation_at) <= until,
            )
        )
    ).one()
    deadline = (
        await session.exec(
            select(func.min(Call.deadline)).where(
                col(Call.status).in_([CallStatus.OPEN, CallStatus.FILLED]), col(Call.deadline) <= until
            )
        )
    ).one()
    due = [moment for moment in (escalation, deadline) if moment is not None]
    return min(due) if due else None
