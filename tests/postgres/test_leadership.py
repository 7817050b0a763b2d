"""Several instances on one PostgreSQL database: one runs the jobs; another takes over."""

import asyncio
from datetime import timedelta

import psycopg
from scheduling_harness import MONDAY_9, Deployment
from sqlalchemy.engine import make_url

from bot.scheduling import SchedulerHandle
from handlers.health import DigestOutcome

FAST = {"retry_seconds": 0.05, "check_seconds": 0.05}


async def eventually(handle: SchedulerHandle, state: str) -> None:
    """Wait (briefly) until a scheduler reaches a state."""
    for _ in range(250):
        if handle.state() == state:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"scheduler stayed {handle.state()}, never {state}")


async def test_only_the_lock_holder_runs_jobs_and_a_standby_takes_over(
    deployment: Deployment,
) -> None:
    """A second instance stands by while the first leads, and leads once the first stops."""
    first, second = deployment.instance(), deployment.instance()
    leader = await first.start(**FAST)
    standby = await second.start(**FAST)
    assert (leader.state(), standby.state()) == ("leader", "standby")
    assert standby.catch_up is None

    await first.stop()
    await eventually(standby, "leader")
    assert standby.catch_up is not None
    await standby.catch_up


async def test_one_late_digest_when_two_instances_start_together(deployment: Deployment) -> None:
    """Both instances come back after downtime; the digest is posted once, by the leader."""
    deployment.clock.set(MONDAY_9 + timedelta(hours=2))
    first, second = deployment.instance(), deployment.instance()
    handles = await asyncio.gather(first.start(**FAST), second.start(**FAST))

    outcomes = [await h.catch_up for h in handles if h.catch_up is not None]
    community = await deployment.community_id()
    assert outcomes == [{community: DigestOutcome.POSTED}]
    [digest] = first.digests() + second.digests()
    assert digest.text.startswith("This digest is late")


async def test_leader_that_loses_its_database_connection_steps_down(
    deployment: Deployment,
) -> None:
    """Killing the leader's lock connection frees the lock: the standby leads, no job runs twice."""
    first, second = deployment.instance(), deployment.instance()
    leader = await first.start(**FAST)
    standby = await second.start(**FAST)

    server = make_url(deployment.url).set(drivername="postgresql")
    async with await psycopg.AsyncConnection.connect(
        server.render_as_string(hide_password=False), autocommit=True
    ) as admin:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'ladder-scheduler-lock' AND datname = current_database()"
        )

    await eventually(standby, "leader")
    assert leader.state() in ("standby", "leader")
    await asyncio.sleep(0.2)
    assert sorted([leader.state(), standby.state()]) == ["leader", "standby"]
