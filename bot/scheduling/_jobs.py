"""The scheduled jobs: methods of one :class:`Jobs` object per scheduler, whose arguments are plain
data (a community id).

Each catches its own failures, so a database outage is logged (and counted) and the next run tries
again; nothing propagates into the scheduler or crashes the process. The object lives on the
scheduler handle: nothing is registered process-wide.
"""

import logging
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.scheduling._trigger import CrontabTrigger
from handlers.health import DigestOutcome, post_latest, schedule_of
from handlers.kernel import all_communities, cron_schedule
from handlers.service import LadderService

log = logging.getLogger(__name__)

DIGEST_JOB_PREFIX = "digest:"
MIN_DIGEST_MISFIRE_GRACE_SECONDS = 60


@dataclass
class Jobs:
    """One scheduler's service, its APScheduler (while leading) and its digest schedules."""

    service: LadderService
    scheduler: AsyncIOScheduler | None = None
    schedules: dict[int, tuple[str, str]] = field(default_factory=dict)
    stopped: bool = False

    async def digest(self, community_id: int) -> DigestOutcome | None:
        """Post the digest of the period that just ended (claimed first: at most once)."""
        if self._skipped("digest"):
            return None
        try:
            return await post_latest(self.service, community_id)
        except Exception:
            log.exception("digest job failed", extra={"community": community_id, "kind": "digest_error"})
            return None

    async def sweep(self) -> int:
        """Escalate due questions, close calls past their deadline, rest inactive helpers."""
        if self._skipped("sweep"):
            return 0
        try:
            changed = await self.service.sweep()
        except Exception:
            log.exception("sweep failed", extra={"kind": "sweep_error"})
            return 0
        if changed:
            log.info("sweep changed %d records", changed, extra={"kind": "sweep"})
        return changed

    async def refresh(self) -> None:
        """Re-read every community's digest schedule and (re)schedule the ones that changed."""
        if self._skipped("refresh") or self.scheduler is None:
            return
        try:
            async with self.service.sessions() as session:
                communities = await all_communities(session)
        except Exception:
            log.exception("schedule refresh failed", extra={"kind": "refresh_error"})
            return
        wanted = {c.id: schedule_of(c, self.service.config) for c in communities if c.id is not None}
        for community_id, schedule in wanted.items():
            if self.schedules.get(community_id) != schedule:
                self._schedule_digest(community_id, schedule)
        for gone in set(self.schedules) - set(wanted):
            self.scheduler.remove_job(f"{DIGEST_JOB_PREFIX}{gone}")
            del self.schedules[gone]

    async def catch_up(self) -> dict[int, DigestOutcome]:
        """On taking the lead: post, once and marked late, any digest missed while nobody ran."""
        if self._skipped("catch-up"):
            return {}
        try:
            async with self.service.sessions() as session:
                ids = [c.id for c in await all_communities(session) if c.id is not None]
        except Exception:
            log.exception("digest catch-up failed", extra={"kind": "catch_up_error"})
            return {}
        outcomes: dict[int, DigestOutcome] = {}
        for community_id in ids:
            outcome = await self.digest(community_id)
            if outcome is not None:
                outcomes[community_id] = outcome
        return outcomes

    def _schedule_digest(self, community_id: int, schedule: tuple[str, str]) -> None:
        assert self.scheduler is not None
        cron, timezone = schedule
        try:
            trigger = CrontabTrigger(cron_schedule(cron, timezone))
        except (ValueError, KeyError) as error:
            log.error(
                "digest schedule %r in %s is invalid: %s",
                cron,
                timezone,
                error,
                extra={"community": community_id, "kind": "schedule_invalid"},
            )
            self.schedules[community_id] = schedule
            return
        grace = self.service.config.digest.late_grace_hours * 3600
        self.scheduler.add_job(
            self.digest,
            trigger,
            args=(community_id,),
            id=f"{DIGEST_JOB_PREFIX}{community_id}",
            name=f"digest of community {community_id}",
            replace_existing=True,
            misfire_grace_time=max(grace, MIN_DIGEST_MISFIRE_GRACE_SECONDS),
            coalesce=True,
            max_instances=1,
        )
        self.schedules[community_id] = schedule
        log.info(
            "digest scheduled on %r in %s",
            cron,
            timezone,
            extra={"community": community_id, "kind": "schedule"},
        )

    def _skipped(self, job: str) -> bool:
        """A job still queued when its scheduler stopped does nothing."""
        if self.stopped:
            log.warning("%s job for a stopped scheduler skipped", job)
        return self.stopped
