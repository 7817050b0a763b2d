"""The Overview page and finding a community by the reference an operator types."""

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.dashboard._progress import digest_period, ready_for_confirmation
from handlers.dashboard._shape import LadderShape, ladder_shape
from handlers.health import HealthReport, build_report
from handlers.kernel import Scope
from models import Community


@dataclass(frozen=True, slots=True)
class Overview:
    """The digest's figures and flags for the period ending now (``report``, the same object the
    digest and ``/ladder health`` are written from), the ladder's shape week by week, and how many
    members wait for a manager's confirmation (``ready``; the stalled count is ``report.stalled``)."""

    report: HealthReport
    shape: LadderShape
    ready: int


async def overview(scope: Scope, weeks: int = 12) -> Overview:
    """Everything the Overview page shows."""
    start, end = digest_period(scope)
    report = await build_report(scope, start, end)
    return Overview(report, await ladder_shape(scope, weeks), len(await ready_for_confirmation(scope)))


async def find_community(session: AsyncSession, reference: str) -> Community | None:
    """The community an operator names: its id (``12``) or ``platform:external_id``
    (``slack:T0123``, ``console:demo``); None when there is none."""
    reference = reference.strip()
    if reference.isdigit():
        return await session.get(Community, int(reference))
    platform, _, external_id = reference.partition(":")
    if not platform or not external_id:
        return None
    found = await session.exec(
        select(Community).where(
            col(Community.platform) == platform, col(Community.external_id) == external_id
        )
    )
    return found.first()
