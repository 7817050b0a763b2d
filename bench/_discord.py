"""Benchmark 6: the live help channel on Discord, through the real discord.py client.

The client (as ``ladder run --platform discord`` builds it, on the real Ladder service) connects
to the fake Discord of ``tests/discord/fake_discord.py``, run in a process of its own
(:mod:`bench._discord_gateway`), and receives a help channel's events as fast as the gateway
sends them: for each conversation a question (MESSAGE_CREATE), a thread opened on it
(THREAD_CREATE), a reply in the thread, the asker's ✅ on the reply (MESSAGE_REACTION_ADD) and the
asker's thanks. Its community already holds ``questions`` answered questions.

Reported: gateway events per second, from the first dispatch until every message and reaction is
committed; the client process's CPU seconds over the same span (the machine is shared, so events
per CPU second is the steadier figure); the time until every notice those events owe (DMs, role
changes) was also sent; and this process's peak memory.
"""

import asyncio
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http

from bench._common import fresh_runtime, peak_rss_mb
from bench._discord_gateway import PEOPLE, RECORDED_PER_CONVERSATION
from bench._seed import seed
from bot.discord import build_client, point_at
from bot.discord._client import run_until_closed
from bot.settings import Settings
from handlers.kernel import CommunityRef, LadderConfig, Routing
from tests.discord.fake_discord import CHANNELS, GUILD, USERS

WAIT_LIMIT_SECONDS = 300.0
WARM_UP_CONVERSATIONS = 10
ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _recorded(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        (count,) = connection.execute("SELECT count(*) FROM processedevent").fetchone()
    return int(count)


async def _until_recorded(db: Path, target: int) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < WAIT_LIMIT_SECONDS:
        if await asyncio.to_thread(_recorded, db) >= target:
            return time.perf_counter()
        await asyncio.sleep(0.02)
    return float("inf")


class _Gateway:
    """The fake Discord's process: its URLs, and a way to have it send conversations."""

    def __init__(self, process: asyncio.subprocess.Process, urls: dict[str, str]) -> None:
        self.process, self.urls = process, urls

    @classmethod
    async def start(cls) -> "_Gateway":
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench._discord_gateway",
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        return cls(process, json.loads(await process.stdout.readline()))

    async def send(self, first: int, count: int) -> dict[str, Any]:
        """Have it send conversations ``first`` … ``first + count - 1``; what it reports."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([first, count]).encode() + b"\n")
        await self.process.stdin.drain()
        reported: dict[str, Any] = json.loads(await self.process.stdout.readline())
        return reported

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), 30)


async def _measure(db: Path, config: LadderConfig, conversations: int) -> dict[str, Any]:
    gateway = await _Gateway.start()
    base, gateway_url = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    point_at(Settings(DISCORD_API_URL=gateway.urls["api"], DISCORD_GATEWAY_URL=gateway.urls["gateway"]))
    runtime, engine = fresh_runtime(db, config)
    client = build_client(runtime, None, guild_ready_timeout=0.05)
    task = asyncio.create_task(run_until_closed(client, "fake-token"))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 30)
        before = _recorded(db)
        await gateway.send(0, WARM_UP_CONVERSATIONS)
        await _until_recorded(db, before + WARM_UP_CONVERSATIONS * RECORDED_PER_CONVERSATION)
        await client.settled()
        before = _recorded(db)
        began, cpu = time.perf_counter(), _cpu_seconds()
        sent = await gateway.send(WARM_UP_CONVERSATIONS, conversations)
        done = await _until_recorded(db, before + conversations * RECORDED_PER_CONVERSATION)
        cpu = _cpu_seconds() - cpu
        await client.settled()
        delivered = time.perf_counter()
    finally:
        await client.close()
        await asyncio.wait_for(task, 30)
        await gateway.stop()
        await engine.dispose()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway_url
    return {
        "gateway_events": sent["events"],
        "recorded": _recorded(db) - before,
        "send_s": sent["sent_s"],
        "seconds": done - began,
        "rate": sent["events"] / (done - began),
        "cpu_s": cpu,
        "events_per_cpu_s": sent["events"] / cpu,
        "delivered_s": delivered - began,
    }


def run(work: Path, *, questions: int, conversations: int) -> dict[str, Any]:
    """Seed the guild's community, then measure (in the calling process: its peak RSS is this one)."""
    db = work / "live-discord.db"
    # The fake gateway knows five people, so each asks 120 of the 600 questions: with the default
    # limits (10 a day) nine in ten would be recorded unrouted, never searched nor routed. Lifted
    # here, every question runs the earlier-answer search and routing, as 600 askers' would.
    routing = Routing(
        help_channels=(CHANNELS["help"],),
        max_questions_per_member_per_day=1000,
        max_open_questions_per_member=100,
    )
    config = LadderConfig().model_copy(update={"routing": routing})
    members = [str(USERS[name]["id"]) for name in PEOPLE]
    seed(db, CommunityRef("discord", GUILD, "Bench"), config, members, questions)
    result = asyncio.run(_measure(db, config, conversations))
    return result | {"questions": questions, "rss_mb": peak_rss_mb()}
