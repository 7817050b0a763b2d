"""The scheduler: digests on each community's cron, the minute sweep, schedule refresh.

Adapters call :func:`start_scheduler` once their :class:`~handlers.service.LadderService` is built,
and ``await handle.stop()`` on shutdown; the jobs live on ``handle.jobs``. See ``docs/deploy.md``
for running several instances.
"""

from bot.scheduling._handle import SchedulerHandle, start_scheduler
from bot.scheduling._jobs import Jobs
from bot.scheduling._trigger import CrontabTrigger

__all__ = ["CrontabTrigger", "Jobs", "SchedulerHandle", "start_scheduler"]
