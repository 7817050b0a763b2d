"""The scheduled jobs: module-level functions whose arguments are plain data (a key, an id).

Each reaches the live service through :mod:`bot.scheduling._registry` and catches its own
failures, so a database outage is logged (and counted) and the next run tries again; nothing
propagates into the scheduler or crashes the process.
"""

import logging

from bot.digests import DigestOutcome, digest_trigger, post_latest, schedule_of
from bot.scheduling._registry import Live, lookup
from handlers.kernel import all_communities

log = logging.getLogger(__name__)

DIGEST_JOB_PREFIX = "digest:"
MIN_DIGEST_MISFIRE_GRACE_SECONDS = 60


async def digest_job(key: str, community_id: int) -> DigestOutcome | None:
    """Post the digest of the period that just ended (claimed first: at most once)."""
    live = _live(key, "digest")
    if live is None:
        return None
    try:
        return await post_latest(live.ladder, community_id)
    except Exception:
        log.exception("digest job failed", extra={"community": community_id, "kind": "digest_error"})
        return None


async def sweep_job(key: str) -> int:
    """Escalate due questions, close calls past their deadline, rest inactive helpers."""
    live = _live(key, "sweep")
    if live is None:
        return 0
    try:
        changed = await live.ladder.sweep()
    except Exception:
        log.exception("sweep failed", extra={"kind": "sweep_error"})
        return 0
    if changed:
        log.info("sweep changed %d records", changed, extra={"kind": "sweep"})
    return changed


async def refresh_job(key: str) -> None:
    """Re-read every community's digest schedule and (re)schedule the ones that changed."""
    live = _live(key, "refresh")
    if live is None or live.scheduler is None:
        return
    try:
        async with live.ladder.sessions() as session:
            communities = await all_communities(session)
    except Exception:
        log.exception("schedule refresh failed", extra={"kind": "refresh_error"})
        return
    wanted = {c.id: schedule_of(c, live.ladder.config) for c in communities if c.id is not None}
    for community_id, schedule in wanted.items():
        if live.schedules.get(community_id) != schedule:
            _schedule_digest(key, live, community_id, schedule)
    for gone in set(live.schedules) - set(wanted):
        live.scheduler.remove_job(f"{DIGEST_JOB_PREFIX}{gone}")
        del live.schedules[gone]


async def catch_up_job(key: str) -> dict[int, DigestOutcome]:
    """On taking the lead: post, once and marked late, any digest missed while nobody ran."""
    live = _live(key, "catch-up")
    if live is None:
        return {}
    try:
        async with live.ladder.sessions() as session:
            ids = [c.id for c in await all_communities(session) if c.id is not None]
    except Exception:
        log.exception("digest catch-up failed", extra={"kind": "catch_up_error"})
        return {}
    outcomes: dict[int, DigestOutcome] = {}
    for community_id in ids:
        outcome = await digest_job(key, community_id)
        if outcome is not None:
            outcomes[community_id] = outcome
    return outcomes


def _schedule_digest(key: str, live: Live, community_id: int, schedule: tuple[str, str]) -> None:
    assert live.scheduler is not None
    cron, timezone = schedule
    try:
        trigger = digest_trigger(cron, timezone)
    except (ValueError, KeyError) as error:
        log.error(
            "digest schedule %r in %s is invalid: %s",
            cron,
            timezone,
            error,
            extra={"community": community_id, "kind": "schedule_invalid"},
        )
        live.schedules[community_id] = schedule
        return
    grace = live.ladder.config.digest.late_grace_hours * 3600
    live.scheduler.add_job(
        digest_job,
        trigger,
        args=(key, community_id),
        id=f"{DIGEST_JOB_PREFIX}{community_id}",
        name=f"digest of community {community_id}",
        replace_existing=True,
        misfire_grace_time=max(grace, MIN_DIGEST_MISFIRE_GRACE_SECONDS),
        coalesce=True,
        max_instances=1,
    )
    live.schedules[community_id] = schedule
    log.info(
        "digest scheduled on %r in %s",
        cron,
        timezone,
        extra={"community": community_id, "kind": "schedule"},
    )


def _live(key: str, job: str) -> Live | None:
    live = lookup(key)
    if live is None:
        log.warning("%s job for a stopped scheduler (%s) skipped", job, key)
    return live
