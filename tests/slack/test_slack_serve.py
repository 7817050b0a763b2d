"""``serve()``: refusing bad settings, HTTP mode on a real port, /healthz, and Socket Mode."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, SECRET, ladder_config, payload, signed_headers
from sqlalchemy.ext.asyncio import create_async_engine

from bot.database import session_factory
from bot.inbox import DatabaseStore, Inbox
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import SlackSettingsError, build_bot, build_web_app, create_client, serve
from handlers.kernel import SystemClock
from handlers.service import LadderService


def settings_for(tmp_path: Path, **env: Any) -> Settings:
    """Settings as the environment would give them, with the database under tmp_path."""
    base: dict[str, Any] = {"DATABASE_URL": f"sqlite:///{tmp_path / 'ladder.db'}", "LADDER_HTTP_PORT": 0}
    return Settings(**(base | env))


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": SECRET}, "xoxb-"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "xapp-"),
        (
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": "slack",
            },
            "SLACK_API_URL",
        ),
    ],
)
async def test_bad_settings_stop_serve_with_one_line(tmp_path: Path, env: dict[str, str], says: str) -> None:
    """Each missing or malformed setting is named in one line, before anything is opened."""
    with pytest.raises(SlackSettingsError) as raised:
        await serve(settings_for(tmp_path, **env))
    message = str(raised.value)
    assert says in message and "\n" not in message
    assert "user-token" not in message, "a token's secret part is never echoed"
    assert not (tmp_path / "ladder.db").exists()


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[int]:
    """Run ``serve()`` in the background; yield its HTTP port (0 in Socket Mode); stop it."""
    bound: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, on_listening=bound.set_result))
    try:
        if settings.slack_app_token:
            yield 0
        else:
            done, _ = await asyncio.wait(_either(bound, task), timeout=30, return_when="FIRST_COMPLETED")
            if task in done:
                task.result()
            yield bound.result()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_serve_answers_a_signed_ladder_help_over_http(tmp_path: Path, fake: FakeSlack) -> None:
    """``ladder run --platform slack`` in HTTP mode answers a curl-style signed /ladder help."""
    api = fake.base_url.rstrip("/")
    settings = settings_for(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api
    )
    form = payload("slash_command") | {"response_url": fake.response_url()}
    body = urlencode(form).encode()
    async with serving(settings) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}"
        headers = signed_headers(body, "application/x-www-form-urlencoded")
        async with http.post(f"{url}/slack/events", data=body, headers=headers) as response:
            assert response.status == 200
        async with http.post(f"{url}/slack/events", data=body) as unsigned:
            assert unsigned.status == 401
        async with http.get(f"{url}/healthz") as health:
            assert health.status == 200
            assert await health.json() == {
                "status": "ok",
                "checks": {"database": "ok", "adapter": "connected", "scheduler": "leader"},
            }
        async with http.get(f"{url}/metrics") as metrics_page:
            assert metrics_page.status == 200 and "ladder_commands_total" in await metrics_page.text()
        await fake.wait_for(lambda: bool(fake.to("response_url")))
    (reply,) = fake.to("response_url")
    assert "/ladder ask" in reply.args["text"]
    assert fake.to("auth.test")[0].token == BOT_TOKEN


async def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path, fake: FakeSlack) -> None:
    """A load balancer sees 503 when Ladder cannot reach its database."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    sessions = session_factory(engine)
    settings = settings_for(tmp_path)
    runtime = Runtime(settings, ladder_config(), sessions, "sqlite://", SystemClock())
    bot = build_bot(
        create_client(BOT_TOKEN, fake.base_url),
        SECRET,
        lambda port: LadderService(sessions, runtime.config, port),
        Inbox(DatabaseStore(sessions), "slack"),
    )
    web_app = build_web_app(bot.app, runtime, signing_secret=SECRET)
    async with TestClient(TestServer(web_app, host="127.0.0.1")) as http:
        response = await http.get("/healthz")
        assert response.status == 503
        assert (await response.json())["checks"]["database"] == "unreachable"
    await engine.dispose()


async def test_socket_mode_acks_the_envelope_and_answers(tmp_path: Path, fake: FakeSlack) -> None:
    """With SLACK_APP_TOKEN, Ladder connects over Socket Mode, acks each envelope by its id
    and answers the command, with no public HTTP endpoint."""
    settings = settings_for(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-1-A0LADDER-1-abc",
        SLACK_API_URL=fake.base_url,
    )
    envelope = payload("socket_mode_slash_command")
    envelope["payload"]["response_url"] = fake.response_url()
    async with serving(settings):
        await fake.send_envelope(envelope)
        await fake.wait_for(lambda: bool(fake.socket_acks) and bool(fake.to("response_url")))
    assert fake.socket_acks[0]["envelope_id"] == envelope["envelope_id"]
    (opened,) = fake.to("apps.connections.open")
    assert opened.token == "xapp-1-A0LADDER-1-abc"
    assert "/ladder ask" in fake.to("response_url")[0].args["text"]


def _either(*futures: "asyncio.Future[Any]") -> "set[asyncio.Future[Any]]":
    """The futures to wait on together (a start-up that binds, or a serve that fails)."""
    return set(futures)
