"""The scheduler: digests on each community's cron, the minute sweep, schedule refresh.

Adapters call :func:`start_scheduler` once their :class:`~handlers.service.Ladder` is built, and
``await handle.stop()`` on shutdown. See ``docs/deploy.md`` for running several instances.
"""

from bot.scheduling._handle import SchedulerHandle, start_scheduler
from bot.scheduling._jobs import catch_up_job, digest_job, refresh_job, sweep_job

__all__ = [
    "SchedulerHandle",
    "catch_up_job",
    "digest_job",
    "refresh_job",
    "start_scheduler",
    "sweep_job",
]
