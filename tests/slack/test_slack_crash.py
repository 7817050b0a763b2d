"""A crash under load loses nothing Slack was told was received: ``kill -9`` a running
``ladder run --platform slack`` while a help channel sends 300 signed events a second, start it
again, and count."""

import asyncio
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from fake_slack import TEAM_ID, FakeSlack
from slack_harness import BOT_TOKEN, HELP_CHANNEL, SECRET

from bench.help_load import HelpEvent, LoadResult, drive, help_events
from handlers.ladder import message_key

MEMBERS = tuple(f"U0M{n:04d}" for n in range(40))
RATE = 300.0
KILL_AFTER = 1400
REPLY_LAG = 600
"""Replies answer questions sent 2 s earlier: acknowledged by then even on a busy machine."""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_ladder(tmp_path: Path, fake: FakeSlack, port: int, log_name: str) -> subprocess.Popen[bytes]:
    """``ladder run --platform slack`` in HTTP mode, in its own process, on the fake Web API."""
    config = tmp_path / "ladder.toml"
    config.write_text(f'[routing]\nhelp_channels = ["{HELP_CHANNEL}"]\n')
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ladder.db'}",
        "LADDER_CONFIG": str(config),
        "LADDER_HTTP_PORT": str(port),
        "LADDER_LOG_LEVEL": "WARNING",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.base_url,
    }
    env.pop("SLACK_APP_TOKEN", None)
    command = [sys.executable, "-c", "from bot.cli import main; main()", "run", "--platform", "slack"]
    with (tmp_path / log_name).open("wb") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    """Wait until the app answers ``/healthz`` (at most 60 s on a busy machine)."""
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "ladder exited before serving"
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status in (200, 503):
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("ladder never started serving")


def recorded(db: Path) -> tuple[set[str], set[str], set[str]]:
    """Event ids recorded, question source ids and answer source ids in the database."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        keys = {key for (key,) in connection.execute("SELECT event_key FROM processedevent")}
        questions = {s for (s,) in connection.execute("SELECT source_id FROM question")}
        answers = {s for (s,) in connection.execute("SELECT source_id FROM answer")}
    return keys, questions, answers


def stored_key(event: HelpEvent) -> str:
    """The key Ladder records a help-channel message under: its channel and ts (Slack's content
    identity, the same live and in an export), not the delivery's event id."""
    return message_key("slack", HELP_CHANNEL, event.ts)


async def wait_for_records(db: Path, acked: list[HelpEvent], seconds: float = 180) -> set[str]:
    """Wait until every acknowledged event is recorded (or time runs out); return the missing."""
    deadline = time.monotonic() + seconds
    missing = {stored_key(event) for event in acked}
    while missing and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        missing -= recorded(db)[0]
    return missing


@pytest.mark.slow
async def test_kill_9_under_help_channel_load_loses_no_acknowledged_event(
    tmp_path: Path, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """1,400 help-channel events acknowledged at 300/s, then ``kill -9``: after a restart every one
    of them is recorded, each question asked and each reply counted as an answer (a reply Slack
    delivers before its question was received is only chat, whatever the crash)."""
    caplog.set_level(logging.WARNING, logger="aiohttp.access")
    for member in MEMBERS:
        fake.add_user(member)
    port = free_port()
    db = tmp_path / "ladder.db"
    first = start_ladder(tmp_path, fake, port, "first.log")
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await wait_until_serving(port, first)
        # Bolt checks its token once (auth.test); requests racing that first check reach Ladder in
        # any order, as Slack's concurrent deliveries may. One chat message first settles it.
        warm_up = help_events(1, team=TEAM_ID, channel="C0GENERAL", members=MEMBERS, start=1_600_000_000)
        assert len((await drive(url, SECRET, warm_up, RATE)).acked) == 1

        def kill_at_threshold(result: LoadResult) -> bool:
            if len(result.acked) >= KILL_AFTER and first.poll() is None:
                first.send_signal(signal.SIGKILL)
            return len(result.acked) >= KILL_AFTER

        events = help_events(
            KILL_AFTER * 2, team=TEAM_ID, channel=HELP_CHANNEL, members=MEMBERS, reply_lag=REPLY_LAG
        )
        load = await drive(
            f"http://127.0.0.1:{port}/slack/events", SECRET, events, RATE, on_ack=kill_at_threshold
        )
    finally:
        first.kill()
        first.wait()
    acked = load.acked
    assert len(acked) >= KILL_AFTER, f"only {len(acked)} acknowledged ({load.refused} refused)"

    second = start_ladder(tmp_path, fake, port, "second.log")
    try:
        await wait_until_serving(port, second)
        missing = await wait_for_records(db, acked)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged events were lost"

    _, questions, answers = recorded(db)
    asked = {stored_key(e) for e in acked if e.thread is None}
    assert asked <= questions, "every acknowledged question is a question"
    question_acked = {e.ts: load.acked_at[e.event_id] for e in acked if e.thread is None}
    replies = {
        e.ts
        for e in acked
        if e.thread in question_acked and question_acked[e.thread] < load.sent_at[e.event_id]
    }
    assert replies, "the load had replies sent after their question was acknowledged"
    assert replies <= answers, "a reply sent after its question was acknowledged is an answer"
