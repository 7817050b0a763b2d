"""``/healthz`` and ``/metrics`` as an operator's probe and Prometheus see them."""

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient, TestServer
from db import migrated_database_url
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.database import create_engine, session_factory
from bot.observability import (
    HealthProbe,
    Metrics,
    add_routes,
    count_logged_errors,
    start_http_server,
)
from handlers.health import DigestOutcome, Period, post_digest
from handlers.kernel import (
    Actor,
    CommunityRef,
    Context,
    Event,
    EventKind,
    FakeChatPort,
    FakeClock,
    LadderConfig,
    Routing,
)
from handlers.service import LadderService
from models import Community

COMMUNITY = CommunityRef("console", "garden", "Gardeners")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database."""
    engine = create_engine(migrated_database_url(tmp_path))
    yield session_factory(engine)
    await engine.dispose()


async def client_for(probe: HealthProbe) -> TestClient[web.Request, web.Application]:
    """An HTTP client for an app that mounts only Ladder's routes, as the Slack app would."""
    app = web.Application()
    add_routes(app, probe)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


def samples(page: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Parse a Prometheus page into {(sample name, labels): value}."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page)
        for s in family.samples
    }


async def test_healthz_is_ok_when_database_adapter_and_scheduler_are(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """All three checks pass: 200 and each check named."""
    client = await client_for(HealthProbe(sessions, lambda: True, lambda: "standby", Metrics()))
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "adapter": "connected", "scheduler": "standby"},
    }
    await client.close()


async def test_healthz_fails_with_the_reason_when_something_is_down() -> None:
    """Database unreachable, adapter disconnected, scheduler stopped: 503 and which one."""
    engine = create_async_engine("postgresql+psycopg://ladder@127.0.0.1:9/gone")
    probe = HealthProbe(session_factory(engine), lambda: False, lambda: "stopped", Metrics())
    client = await client_for(probe)
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {
        "status": "failing",
        "checks": {"database": "unreachable", "adapter": "disconnected", "scheduler": "stopped"},
    }
    await client.close()
    await engine.dispose()


async def test_metrics_page_counts_what_the_service_did(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Prometheus reads what the real service did with the runtime's metrics as its observer: a
    command, a question asked by command and one asked in a help channel (both credited), the
    escalations of a sweep, a posted digest, a logged error; open questions come from the
    database."""
    target = Metrics()
    clock = FakeClock(START)
    config = LadderConfig().model_copy(update={"routing": Routing(help_channels=("help",))})
    service = LadderService(sessions, config, FakeChatPort(), clock, observer=target)
    boss = Context(COMMUNITY, Actor("boss", "Boss", is_admin=True))
    hello = Event(
        EventKind.MESSAGE,
        COMMUNITY,
        Actor("hana", "Hana"),
        clock.now(),
        "m0",
        channel_id="general",
        text="hi",
    )
    await service.events([hello])
    await service.command(boss, "promote @hana 3 knows her plants")
    await service.command(Context(COMMUNITY, Actor("nia", "Nia")), "ask How do I repot a cactus?")
    asked = Event(
        EventKind.MESSAGE,
        COMMUNITY,
        Actor("omar", "Omar"),
        clock.now(),
        "m1",
        channel_id="help",
        message_id="m1",
        text="Why are my basil leaves turning yellow?",
    )
    await service.events([asked])
    clock.advance(timedelta(minutes=31))
    assert await service.sweep() == 2
    await service.command(boss, "digest channel #digests")
    async with sessions() as session:
        [community_id] = (await session.exec(select(Community.id))).all()
    assert community_id is not None
    period = Period(START - timedelta(days=7), START)
    assert await post_digest(service, community_id, period, late=True) is DigestOutcome.POSTED
    counter = count_logged_errors(target)
    logging.getLogger("bot.slack").error("a send failed")
    logging.getLogger().removeHandler(counter)

    client = await client_for(HealthProbe(sessions, target=target))
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    found = samples(await response.text())
    await client.close()

    assert found[("ladder_open_questions", ())] == 2
    assert found[("ladder_commands_total", (("command", "ask"),))] == 1
    assert found[("ladder_events_credited_total", (("kind", "question_asked"),))] == 2
    assert found[("ladder_escalations_total", ())] == 2
    assert found[("ladder_digests_posted_total", (("late", "yes"),))] == 1
    assert found[("ladder_errors_total", (("source", "bot.slack"),))] == 1
    assert found[("ladder_database_up", ())] == 1


async def test_standalone_server_serves_health_on_its_own_port(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Console and Discord have no web app: a small server answers /healthz and /metrics."""
    runner = await start_http_server(HealthProbe(sessions, target=Metrics()), 0, "127.0.0.1")
    host, port = runner.addresses[0][:2]
    async with ClientSession() as http:
        health = await http.get(f"http://{host}:{port}/healthz")
        page = await http.get(f"http://{host}:{port}/metrics")
        assert health.status == 503  # the scheduler was never started
        assert (await health.json())["checks"]["scheduler"] == "not started"
        assert "ladder_open_questions 0.0" in await page.text()
    await runner.cleanup()
