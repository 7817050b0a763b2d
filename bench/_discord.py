"""Benchmark 6: the live help channel on Discord, through the real discord.py client.

The client (as ``ladder run --platform discord`` builds it, on the real Ladder service) connects
to the fake gateway of ``tests/discord/fake_discord.py`` and receives a help channel's events as
fast as the gateway sends them: for each conversation a question (MESSAGE_CREATE), a thread opened
on it (THREAD_CREATE), a reply in the thread, the asker's ✅ on the reply (MESSAGE_REACTION_ADD)
and the asker's thanks. Its community already holds ``questions`` answered questions.

The gateway and the client share this process and its event loop (as a gateway shares nothing
with a real client, the figure is a floor: the fake's own sending is counted against the client).
Reported: gateway events per second, from the first dispatch until every message and reaction is
committed, and this process's peak memory.
"""

import asyncio
import copy
import sqlite3
import time
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http

from bench._common import fresh_runtime, peak_rss_mb
from bench._seed import seed
from bot.discord import build_client, point_at
from bot.discord._client import run_until_closed
from bot.settings import Settings
from handlers.kernel import CommunityRef, LadderConfig, Routing
from tests.discord.fake_discord import CHANNELS, GUILD, USERS, FakeDiscord, now_iso, payload

PEOPLE = ("mara", "cleo", "alice", "bob", "carol")
GATEWAY_EVENTS_PER_CONVERSATION = 5
RECORDED_PER_CONVERSATION = 4
WAIT_LIMIT_SECONDS = 300.0


def _conversation(
    fake: FakeDiscord, n: int, templates: dict[str, dict[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """One conversation's gateway dispatches, built before the clock starts."""
    asker, helper = PEOPLE[n % len(PEOPLE)], PEOPLE[(n + 1) % len(PEOPLE)]
    question_id, reply_id, thanks_id = fake.next_id(), fake.next_id(), fake.next_id()

    def message(message_id: str, who: str, channel_id: str, content: str) -> dict[str, Any]:
        data = copy.deepcopy(templates["message_create"])
        data.update(
            id=message_id, channel_id=channel_id, author=USERS[who], content=content, timestamp=now_iso()
        )
        data["member"]["roles"] = []
        return data

    thread = copy.deepcopy(templates["thread_create"])
    thread.update(id=question_id, parent_id=CHANNELS["help"], name=f"widget {n}")
    thread.pop("member", None)
    reaction = copy.deepcopy(templates["message_reaction_add"])
    reaction.update(user_id=USERS[asker]["id"], message_id=reply_id, channel_id=question_id)
    reaction["emoji"]["name"] = "✅"
    reaction["member"].update(user=USERS[asker], roles=[])
    return [
        (
            "MESSAGE_CREATE",
            message(question_id, asker, CHANNELS["help"], f"How do I configure the widget {n}?"),
        ),
        ("THREAD_CREATE", thread),
        ("MESSAGE_CREATE", message(reply_id, helper, question_id, "Reset the widget cache, then retry.")),
        ("MESSAGE_REACTION_ADD", reaction),
        ("MESSAGE_CREATE", message(thanks_id, asker, question_id, f"thanks <@{USERS[helper]['id']}>!")),
    ]


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


async def _measure(db: Path, config: LadderConfig, conversations: int) -> dict[str, Any]:
    fake = FakeDiscord()
    await fake.start()
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    point_at(Settings(DISCORD_API_URL=fake.api_url, DISCORD_GATEWAY_URL=fake.gateway_url))
    runtime, engine = fresh_runtime(db, config)
    client = build_client(runtime, None, guild_ready_timeout=0.05)
    task = asyncio.create_task(run_until_closed(client, "fake-token"))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 30)
        templates = {
            name: payload(name) for name in ("message_create", "thread_create", "message_reaction_add")
        }
        warm_up = [d for n in range(10) for d in _conversation(fake, n, templates)]
        load = [d for n in range(10, 10 + conversations) for d in _conversation(fake, n, templates)]
        before = _recorded(db)
        for event, data in warm_up:
            await fake.dispatch(event, data)
        await _until_recorded(db, before + 10 * RECORDED_PER_CONVERSATION)
        before = _recorded(db)
        began = time.perf_counter()
        for event, data in load:
            await fake.dispatch(event, data)
        sent = time.perf_counter()
        done = await _until_recorded(db, before + conversations * RECORDED_PER_CONVERSATION)
    finally:
        await client.close()
        await asyncio.wait_for(task, 30)
        await fake.close()
        await engine.dispose()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
    return {
        "gateway_events": len(load),
        "recorded": _recorded(db) - before,
        "send_s": sent - began,
        "seconds": done - began,
        "rate": len(load) / (done - began),
    }


def run(work: Path, *, questions: int, conversations: int) -> dict[str, Any]:
    """Seed the guild's community, then measure (in the calling process: its peak RSS is this one)."""
    db = work / "live-discord.db"
    config = LadderConfig().model_copy(update={"routing": Routing(help_channels=(CHANNELS["help"],))})
    members = [str(USERS[name]["id"]) for name in PEOPLE]
    seed(db, CommunityRef("discord", GUILD, "Bench"), config, members, questions)
    result = asyncio.run(_measure(db, config, conversations))
    return result | {"questions": questions, "rss_mb": peak_rss_mb()}
