"""Benchmark 5: the live help channel on Slack, against a bare Bolt app that only acknowledges.

Ladder's HTTP-mode app as shipped (durable inbox: an acknowledgement means the request is
committed) serves a community that already holds ``questions`` answered questions
(:mod:`bench._seed`), and the help-channel mix of :mod:`bench._helpmix`: first paced at ``rate``
requests/s, then at saturation (a closed loop of requests in flight). Each server runs in its own
process, so its peak memory (``VmHWM``) is its own; the load runs in this one.

Reported for each phase: acknowledgement p50/p99, acknowledgements per second, refusals, the time
from the end of the load until every acknowledged request's work is committed (the inbox's
backlog is empty: each request is finished only once its transaction, and a command's reply, are
done), the largest backlog against its limit (``LADDER_INBOX_BACKLOG``), and the rate at which work
was completed (acknowledged requests over load time plus drain time), and the share of one core
the server used meanwhile (CPU time of all its threads over that time: well under 100% while a
backlog drains means the work waits, on SQLite's writer lock, rather than computes).
"""

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench._common import clear_database
from bench._helpmix import REQUESTS_PER_CONVERSATION, help_mix
from bench._load import Load, paced, saturate
from bench._seed import seed
from bench._serve import SECRET
from handlers.kernel import CommunityRef, LadderConfig, Routing

MEMBERS = tuple(f"UB{n:05d}" for n in range(300))
REF = CommunityRef("slack", "TBENCH", "Bench")
HELP = "CHELP"
DRAIN_LIMIT_SECONDS = 600.0


def seeded(work: Path, questions: int) -> Path:
    """The seeded database the Slack servers start from (written once per run, then copied)."""
    template = work / f"live-slack-seed-{questions}.db"
    if not template.exists():
        config = LadderConfig().model_copy(update={"routing": Routing(help_channels=(HELP,))})
        seed(template, REF, config, MEMBERS, questions)
    return template


async def _stats(api_port: int) -> dict[str, int]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{api_port}/stats") as response:
        found: dict[str, int] = await response.json()
        return found


async def _drained_ms(api_port: int) -> float:
    """Milliseconds until the server's backlog is empty: every acknowledged request's work done."""
    began = time.perf_counter()
    while time.perf_counter() - began < DRAIN_LIMIT_SECONDS:
        if (await _stats(api_port)).get("held", 0) == 0:
            return (time.perf_counter() - began) * 1000
        await asyncio.sleep(0.01)
    return float("inf")


def _figures(load: Load, requests: int) -> dict[str, Any]:
    return {
        "requests": requests,
        "acked": load.acked,
        "refused": load.refused,
        "failures": load.broken,
        "p50_ms": load.percentile_ms(0.5),
        "p99_ms": load.percentile_ms(0.99),
        "ack_rate": load.acked / load.seconds,
        "load_s": load.seconds,
    }


async def _phases(
    kind: str, port: int, api_port: int, rate: float, seconds: float, burst: int
) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/slack/events"
    at, first = int(time.time()), 0

    def mix(count: int) -> list[Any]:
        nonlocal first
        requests = help_mix(
            count,
            first=first,
            at=at,
            team=REF.external_id,
            channel=HELP,
            members=MEMBERS,
            reply_url=f"http://127.0.0.1:{api_port}/response",
        )
        first += len(requests) // REQUESTS_PER_CONVERSATION
        return requests

    await paced(url, SECRET, mix(max(REQUESTS_PER_CONVERSATION, int(rate * 0.2))), rate)
    out: dict[str, Any] = {}
    if kind != "bare":
        await _drained_ms(api_port)
    for phase in ("paced", "saturation"):
        requests = mix(int(rate * seconds) if phase == "paced" else burst)
        before = await _stats(api_port)
        load = await (
            paced(url, SECRET, requests, rate) if phase == "paced" else saturate(url, SECRET, requests)
        )
        figures = _figures(load, len(requests))
        if kind != "bare":
            figures["drain_ms"] = await _drained_ms(api_port)
            stats = await _stats(api_port)
            busy = load.seconds + figures["drain_ms"] / 1000
            figures |= {"most_held": stats["most_held"], "limit": stats["limit"]}
            figures["work_rate"] = load.acked / busy
            figures["cpu_share"] = (stats["cpu_ms"] - before["cpu_ms"]) / 1000 / busy
            figures["errors"] = stats["errors"] - before["errors"]
        out[phase] = figures
    return out


def serve_and_load(kind: str, db: Path, rate: float, seconds: float, burst: int) -> dict[str, Any]:
    """Start ``python -m bench._serve kind db``, run both phases against it, read its peak memory."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench._serve", kind, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        port, api_port = (int(p) for p in server.stdout.readline().split())
        result = asyncio.run(_phases(kind, port, api_port, rate, seconds, burst))
        status = Path(f"/proc/{server.pid}/status").read_text()
        result["rss_mb"] = next(
            int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")
        )
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(work: Path, *, questions: int, rate: float, seconds: float, burst: int) -> dict[str, Any]:
    """The bare Bolt app, then Ladder on a copy of the seeded community; both phases each."""
    db = work / "live-slack.db"
    seed_started = time.perf_counter()
    clear_database(db)
    shutil.copyfile(seeded(work, questions), db)
    seed_s = time.perf_counter() - seed_started
    clear_database(work / "live-bare.db")
    bare = serve_and_load("bare", work / "live-bare.db", rate, seconds, burst)
    ladder = serve_and_load("live", db, rate, seconds, burst)
    return {"questions": questions, "seed_s": seed_s, "bare": bare, "ladder": ladder}
