"""Starting and stopping the scheduler, and leading it only while this instance holds the lock."""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.leadership import Lock, contend, lock_for
from bot.observability import Metrics, count_logged_errors
from bot.runtime import Runtime
from bot.scheduling._jobs import Jobs
from handlers.health import DigestOutcome
from handlers.service import LadderService

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
REFRESH_SECONDS = 60
INTERVAL_MISFIRE_GRACE_SECONDS = 30


@dataclass
class SchedulerHandle:
    """A started scheduler: whether it leads, the catch-up it ran on taking the lead, and stop()."""

    jobs: Jobs
    lock: Lock
    metrics: Metrics
    catch_up: "asyncio.Task[dict[int, DigestOutcome]] | None" = None
    _contender: "asyncio.Task[None] | None" = field(default=None, repr=False)
    _stopped: bool = False
    _leading: bool = field(default=False, repr=False)

    @property
    def is_leader(self) -> bool:
        """Whether this instance runs the jobs now: only once taking the lead is complete (its
        catch-up started), so no one sees a leader without the catch-up it owes."""
        scheduler = self.jobs.scheduler
        return self._leading and scheduler is not None and scheduler.running

    def state(self) -> str:
        """``leader``, ``standby`` (waiting to take over) or ``stopped``, for ``/healthz``."""
        if self._stopped or self._contender is None or self._contender.done():
            return "stopped"
        return "leader" if self.is_leader else "standby"

    async def stop(self) -> None:
        """Stop the jobs and give up the lock; jobs still queued do nothing."""
        self._stopped = self.jobs.stopped = True
        if self._contender is not None:
            self._contender.cancel()
            await asyncio.gather(self._contender, return_exceptions=True)
        if self.catch_up is not None and not self.catch_up.done():
            self.catch_up.cancel()
            await asyncio.gather(self.catch_up, return_exceptions=True)
        await self._lose()
        await self.lock.release()

    async def _gain(self) -> None:
        scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": INTERVAL_MISFIRE_GRACE_SECONDS,
            },
        )
        scheduler.add_job(
            self.jobs.sweep,
            IntervalTrigger(seconds=SWEEP_SECONDS),
            id="sweep",
            name="escalations, call deadlines, resting helpers",
        )
        scheduler.add_job(
            self.jobs.refresh,
            IntervalTrigger(seconds=REFRESH_SECONDS),
            id="refresh",
            name="re-read digest schedules",
        )
        self.jobs.scheduler = scheduler
        self.jobs.schedules.clear()
        scheduler.start()
        self.metrics.scheduler_leader.set(1)
        await self.jobs.refresh()
        self.catch_up = asyncio.create_task(self.jobs.catch_up(), name="ladder-digest-catch-up")
        self._leading = True

    async def _lose(self) -> None:
        self._leading = False
        scheduler, self.jobs.scheduler = self.jobs.scheduler, None
        self.jobs.schedules.clear()
        self.metrics.scheduler_leader.set(0)
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)


async def start_scheduler(
    runtime: Runtime,
    service: LadderService,
    *,
    lock: Lock | None = None,
    retry_seconds: float = 15.0,
    check_seconds: float = 10.0,
) -> SchedulerHandle:
    """Start scheduling for ``service``: lead now if the lock is free, else stand by and retry.

    Call inside async startup (APScheduler needs the running loop). On return the instance
    either leads (digests scheduled, a catch-up of missed digests under way in
    ``handle.catch_up``) or stands by; ``await handle.stop()`` on shutdown.
    """
    count_logged_errors(runtime.metrics)
    handle = SchedulerHandle(Jobs(service), lock or lock_for(runtime.database_url), runtime.metrics)
    try:
        held = await handle.lock.try_acquire()
    except Exception as error:  # noqa: BLE001 - database down at start: stand by, the contender retries
        log.warning("scheduler lock: database unreachable (%s); standing by", error)
        held = False
    if held:
        log.info("this instance runs the scheduled jobs", extra={"kind": "leader"})
        await handle._gain()
    else:
        log.info("another instance runs the scheduled jobs; standing by", extra={"kind": "standby"})
    handle._contender = asyncio.create_task(
        contend(
            handle.lock,
            on_gain=handle._gain,
            on_loss=handle._lose,
            held=held,
            retry_seconds=retry_seconds,
            check_seconds=check_seconds,
        ),
        name="ladder-scheduler-leadership",
    )
    return handle
