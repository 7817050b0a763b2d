"""Forged and malformed requests through the real Bolt app: short logs, 401s, bounded buttons,
and a digest channel that is refused when Ladder lacks the scope to check it."""

import logging
import time
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_harness import SlackHarness, payload, signed_headers
from sqlmodel import select

from models import Community

FORGED_LINE = "2026-01-01 00:00:00,000 CRITICAL bot.slack: admin token is xoxb-stolen"


def forged_body(size: int) -> bytes:
    """A form-encoded /ladder command padded to ``size`` bytes, with a forged log line inside."""
    form = payload("slash_command") | {"text": f"help\n{FORGED_LINE}\n"}
    body = urlencode(form).encode() + b"&pad="
    return body + b"x" * (size - len(body))


async def post(slack: SlackHarness, body: bytes, headers: dict[str, str]) -> int:
    """POST to /slack/events as anyone on the internet could; the status after the work settles."""
    response = await slack.http.post("/slack/events", data=body, headers=headers)
    await response.read()
    await slack.bot.background.drain()
    return int(response.status)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "no signature"),
        ({"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}, "malformed timestamp"),
        ({"X-Slack-Request-Timestamp": "1500000000", "X-Slack-Signature": "v0=00"}, "stale timestamp"),
        ({"X-Slack-Signature": "v0=forged"}, "bad signature"),
    ],
)
async def test_a_rejected_request_is_one_short_log_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, headers: dict[str, str], reason: str
) -> None:
    """A forged 900 kB request is a 401 and one log line (reason and size), not 0.9 MB of log
    with a line the attacker wrote."""
    caplog.set_level(logging.DEBUG)
    body = forged_body(900_000)
    sent = {"Content-Type": "application/x-www-form-urlencoded"}
    if headers.get("X-Slack-Signature") == "v0=forged":
        sent |= signed_headers(body, sent["Content-Type"], secret="not-the-secret")
    status = await post(slack, body, sent | headers)
    assert status == 401
    logged = [r.getMessage() for r in caplog.records if r.name != "aiohttp.access"]  # the test server's
    assert logged == [f"rejected a Slack request: {reason} (900,000 bytes)"]
    assert slack.fake.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=not-json", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
    ],
)
async def test_an_unparseable_unsigned_body_is_401_not_500(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    """Bolt parses a body before checking who sent it; Ladder checks first, so garbage from
    anyone is a 401 and one line, never a 500 with a traceback."""
    caplog.set_level(logging.DEBUG)
    assert await post(slack, body, {"Content-Type": content_type}) == 401
    logged = [r.getMessage() for r in caplog.records if r.name != "aiohttp.access"]
    assert logged == [f"rejected a Slack request: no signature ({len(body)} bytes)"]


async def test_a_non_numeric_timestamp_is_401_not_500(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """`X-Slack-Request-Timestamp: abc` on an otherwise signed request is refused without a traceback."""
    body = urlencode(payload("slash_command") | {"response_url": slack.fake.response_url()}).encode()
    headers = signed_headers(body, "application/x-www-form-urlencoded") | {"X-Slack-Request-Timestamp": "abc"}
    assert await post(slack, body, headers) == 401
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_signed_request_still_works(slack: SlackHarness) -> None:
    """The checks refuse forgeries only: Slack's own signed command is answered."""
    assert "/ladder ask" in await slack.reply_text("help")


async def test_a_replayed_request_from_six_minutes_ago_is_refused(slack: SlackHarness) -> None:
    """A correctly signed request outside Slack's 5-minute window is a replay."""
    body = urlencode(payload("slash_command")).encode()
    headers = signed_headers(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 360)
    assert await post(slack, body, headers) == 401


@pytest.mark.parametrize(
    "action", ["ladder:call_join", "ladder:accept_answer", "ladder:earlier_answer_helped"]
)
async def test_a_button_value_wider_than_an_id_is_refused_like_a_command(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, action: str
) -> None:
    """A forged button value of 30 digits gets the broken-button answer, not an OverflowError."""
    response = await slack.click(action, "9" * 30)
    assert response.status == 200
    (reply,) = slack.fake.to("response_url")
    assert reply.args["text"] == "That button is broken: it names no record."
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def digest_channel(slack: SlackHarness) -> str | None:
    """The community's digest channel as stored."""
    async with slack.runtime.sessions() as session:
        community = (await session.exec(select(Community))).first()
    return community.digest_channel if community else None


async def test_a_digest_channel_that_cannot_be_checked_for_a_missing_scope_is_refused(
    slack: SlackHarness,
) -> None:
    """When conversations.info answers missing_scope, the channel is not taken on trust: the
    manager is told which scope to add, and nothing changes."""
    slack.fake.fail(
        "conversations.info", "missing_scope", needed="channels:read", provided="commands,chat:write"
    )
    reply = await slack.reply_text("digest channel <#C0PRIVATE|private>", user="U0ADMIN")
    assert reply.startswith("Usage: /ladder digest channel")
    assert "channels:read" in reply and "Nothing was changed." in reply
    assert await digest_channel(slack) is None


async def test_a_digest_channel_that_cannot_be_checked_right_now_is_refused(slack: SlackHarness) -> None:
    """Slack failing the check for another reason keeps the old setting too (fail closed)."""
    slack.fake.fail("conversations.info", "internal_error")
    reply = await slack.reply_text("digest channel <#C0DIGEST|digest>", user="U0ADMIN")
    assert "could not check <#C0DIGEST>" in reply and "Nothing was changed." in reply
    assert await digest_channel(slack) is None


async def test_the_bolt_app_alone_refuses_forgeries_the_same_way(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """Served without Ladder's web app (any other transport), the Bolt app itself answers a
    timestamp of `abc` with 401 and one line, where Bolt's own check gave a 500."""
    body = urlencode(payload("slash_command") | {"text": f"help\n{FORGED_LINE}"}).encode()
    headers = signed_headers(body, "application/x-www-form-urlencoded") | {"X-Slack-Request-Timestamp": "abc"}
    async with TestClient(TestServer(slack.bot.app.web_app(), host="127.0.0.1")) as bare:
        response = await bare.post("/slack/events", data=body, headers=headers)
        assert response.status == 401
    logged = [r.getMessage() for r in caplog.records if r.name != "aiohttp.access"]
    assert logged == [f"rejected a Slack request: malformed timestamp ({len(body):,} bytes)"]
