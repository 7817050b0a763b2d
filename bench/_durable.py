"""Benchmark 4: the durable path under a help channel's load (questions and thread replies).

Signed message events at a fixed rate against the HTTP-mode app; each acknowledgement means the
event is committed to the inbox. Reported: acknowledgement latency (p50, p99), acknowledgements
per second, refusals, and how fast the events are then recorded (the core's throughput, which
the inbox decouples from the acknowledgements).
"""

import asyncio
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._common import clear_database
from bench._serve import SECRET
from bench.help_load import drive, help_events

MEMBERS = tuple(f"UB{n:05d}" for n in range(300))


def _recorded(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        (count,) = connection.execute("SELECT count(*) FROM processedevent").fetchone()
    return int(count)


async def _until_recorded(db: Path, target: int, limit: float) -> None:
    """Poll the database until ``target`` events are recorded or ``limit`` seconds have passed."""
    for _ in range(int(limit / 0.1)):
        if _recorded(db) >= target:
            return
        await asyncio.sleep(0.1)


async def _measure(port: int, db: Path, rate: float, seconds: float, limit: float) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/slack/events"
    warm_up = help_events(
        int(rate * 0.2), team="TBENCH", channel="CGENERAL", members=MEMBERS, start=1_600_000_000
    )
    await drive(url, SECRET, warm_up, rate)
    await _until_recorded(db, len(warm_up), limit)
    events = help_events(int(rate * seconds), team="TBENCH", channel="CHELP", members=MEMBERS)
    began = time.perf_counter()
    load = await drive(url, SECRET, events, rate)
    await _until_recorded(db, len(warm_up) + len(load.acked), limit)
    took = time.perf_counter() - began
    recorded = _recorded(db) - len(warm_up)
    return {
        "rate": rate,
        "requests": len(events),
        "acked": len(load.acked),
        "refused": load.refused,
        "failures": load.broken,
        "p50_ms": load.percentile_ms(0.5),
        "p99_ms": load.percentile_ms(0.99),
        "ack_throughput": len(load.acked) / load.seconds,
        "recorded": recorded,
        "record_throughput": recorded / took,
        "recorded_all": recorded >= len(load.acked),
    }


def run(kind: str, work: Path, rate: float, seconds: float, limit: float = 600.0) -> dict[str, Any]:
    """Start the app in its own process (``help`` or ``help_samefile``), load it, read its memory."""
    db = work / f"durable-{kind}-{int(rate)}.db"
    clear_database(db)
    server = subprocess.Popen(
        [sys.executable, "-m", "bench._serve", kind, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        port, _api_port = (int(p) for p in server.stdout.readline().split())
        result = asyncio.run(_measure(port, db, rate, seconds, limit))
        status = Path(f"/proc/{server.pid}/status").read_text()
        result["rss_mb"] = next(
            int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")
        )
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)
