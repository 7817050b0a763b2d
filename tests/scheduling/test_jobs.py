"""The scheduler's jobs: the minute sweep, schedule changes by command, a lost database."""

import logging
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from scheduling_harness import COMMUNITY, MANAGER, MONDAY_9, Deployment
from sqlalchemy.ext.asyncio import create_async_engine

from bot.database import session_factory
from handlers.health import DigestOutcome
from handlers.kernel import Actor, Context, Event, EventKind
from handlers.service import LadderService
from models import Community

PARIS = ZoneInfo("Europe/Paris")


async def test_sweep_job_escalates_an_unanswered_question_to_the_managers(
    deployment: Deployment,
) -> None:
    """No first response in 30 min: the scheduler's sweep moves it on and the managers hear."""
    instance = deployment.first()
    helper = Actor("helper", "Hal")
    chat = Event(
        EventKind.MESSAGE,
        COMMUNITY,
        helper,
        deployment.clock.now(),
        "m1",
        channel_id="general",
        message_id="m1",
        text="morning all",
    )
    await instance.ladder.events([chat])
    promoted = await deployment.manager_says("promote @helper 3 trusted with newcomers")
    assert promoted.startswith("Promoted <@helper> to level 3")
    asked = await instance.ladder.command(
        Context(COMMUNITY, Actor("newbie", "Nia"), channel_id="general"),
        "ask How do I repot a cactus?",
    )
    assert "is with 1 Helper helper" in asked[0].text
    handle = await instance.start()
    instance.port.clear()

    deployment.clock.advance(timedelta(minutes=29))
    assert await handle.jobs.sweep() == 0
    deployment.clock.advance(timedelta(minutes=2))
    assert await handle.jobs.sweep() == 1

    [summary] = [s.message for s in instance.port.to("dm", MANAGER) if s.message]
    assert summary.text.startswith("No available helper responded to:\n• #1 “How do I repot a cactus?”")
    assert await handle.jobs.sweep() == 0


async def test_scheduler_runs_sweep_every_minute_and_digests_on_the_community_cron(
    deployment: Deployment,
) -> None:
    """Leading, the scheduler holds the sweep, the refresh and one digest job per community."""
    community = await deployment.community_id()
    handle = await deployment.first().start()
    live = handle.jobs
    assert live is not None and live.scheduler is not None
    jobs = {job.id: job for job in live.scheduler.get_jobs()}
    assert set(jobs) == {"sweep", "refresh", f"digest:{community}"}
    assert jobs["sweep"].trigger.interval == timedelta(minutes=1)
    assert jobs["sweep"].misfire_grace_time == 30
    digest = jobs[f"digest:{community}"]
    assert digest.misfire_grace_time == 24 * 3600
    due = digest.next_run_time.astimezone(UTC)
    assert (due.weekday(), due.hour, due.minute) == (0, 9, 0)
    assert handle.state() == "leader"


async def test_schedule_command_reschedules_the_digest_in_the_community_time_zone(
    deployment: Deployment,
) -> None:
    """`/ladder digest schedule` takes effect at the next refresh, in the chosen time zone."""
    community = await deployment.community_id()
    handle = await deployment.first().start()
    reply = await deployment.manager_says('digest schedule "30 8 * * 5" tz=Europe/Paris')
    assert reply == "The digest will be posted on “30 8 * * 5” in Europe/Paris time."

    await handle.jobs.refresh()

    live = handle.jobs
    assert live is not None and live.scheduler is not None
    job = live.scheduler.get_job(f"digest:{community}")
    assert job is not None
    due = job.next_run_time.astimezone(PARIS)
    assert (due.strftime("%A"), due.hour, due.minute) == ("Friday", 8, 30)


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ('digest schedule "61 9 * * 1"', "cron:"),
        ('digest schedule "0 9 * *"', "a cron has five fields"),
        ('digest schedule "0 9 * * 1" tz=Mars/Olympus', "unknown time zone 'Mars/Olympus'"),
        ("digest channel general", "is not a channel"),
    ],
)
async def test_invalid_schedule_or_channel_is_refused_and_changes_nothing(
    deployment: Deployment, command: str, reason: str
) -> None:
    """Bad cron, zone or channel: a usage reply naming the problem; the digest stays as it was."""
    community = await deployment.community_id()
    handle = await deployment.first().start()

    reply = await deployment.manager_says(command)
    await handle.jobs.refresh()

    assert reply.startswith("Usage: /ladder digest")
    assert reason in reply
    live = handle.jobs
    assert live is not None
    assert live.schedules[community] == ("0 9 * * 1", "UTC")
    deployment.clock.set(MONDAY_9)
    assert await handle.jobs.digest(community) is DigestOutcome.POSTED


async def test_jobs_survive_losing_the_database(
    deployment: Deployment, caplog: pytest.LogCaptureFixture
) -> None:
    """Database gone mid-run: every job logs the failure and returns; nothing raises."""
    handle = await deployment.first().start()
    live = handle.jobs
    assert live is not None
    unreachable = create_async_engine("postgresql+psycopg://ladder@127.0.0.1:9/gone")
    live.service = LadderService(session_factory(unreachable), deployment.config, live.service.port)
    errors = handle.metrics.errors.labels(source="bot.scheduling._jobs")
    before = errors._value.get()

    with caplog.at_level(logging.ERROR):
        assert await handle.jobs.sweep() == 0
        assert await handle.jobs.digest(1) is None
        await handle.jobs.refresh()
        assert await handle.jobs.catch_up() == {}

    failures = [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.scheduling._jobs" and r.levelno >= logging.ERROR
    ]
    assert failures == [
        "sweep failed",
        "digest job failed",
        "schedule refresh failed",
        "digest catch-up failed",
    ]
    assert errors._value.get() == before + 4
    assert handle.state() == "leader"
    await unreachable.dispose()


async def test_jobs_of_a_stopped_scheduler_do_nothing(deployment: Deployment) -> None:
    """A job still naming a stopped scheduler's key is skipped, not crashed on."""
    instance = deployment.first()
    handle = await instance.start()
    await instance.stop()
    assert handle.state() == "stopped"
    assert await handle.jobs.sweep() == 0
    assert await handle.jobs.digest(1) is None


async def test_a_stored_schedule_firing_every_minute_gives_way_to_the_config(
    deployment: Deployment,
) -> None:
    """A community row saved with "* * * * *" before the once-a-day rule is scheduled on the
    config's cron instead: the digest never posts every minute."""
    community = await deployment.community_id()
    async with deployment.first().ladder.sessions() as session, session.begin():
        stored = await session.get(Community, community)
        assert stored is not None
        stored.digest_cron = "* * * * *"
        session.add(stored)
    handle = await deployment.first().start()
    await handle.jobs.refresh()
    live = handle.jobs
    assert live is not None
    assert live.schedules[community] == ("0 9 * * 1", "UTC")
