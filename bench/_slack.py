"""Benchmark 3: signed Slack events and commands at a fixed rate against an HTTP-mode app."""

import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench._serve import SECRET


def _requests(count: int, api_port: int, first: int = 0) -> list[tuple[bytes, str]]:
    """Four message events for each ``/ladder`` command, from a few hundred members.

    ``first`` numbers them, so the warm-up and the load never share an event or trigger id.
    """
    out: list[tuple[bytes, str]] = []
    for i in range(first, first + count):
        user = f"U{i % 300:05d}"
        if i % 5 == 4:
            form = {
                "command": "/ladder",
                "text": "level",
                "user_id": user,
                "user_name": user,
                "channel_id": "CGENERAL",
                "team_id": "TBENCH",
                "team_domain": "bench",
                "response_url": f"http://127.0.0.1:{api_port}/response/{i}",
                "trigger_id": f"t{i}",
            }
            out.append((urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"))
        else:
            ts = f"{1700000000 + i}.{i:06d}"
            envelope = {
                "type": "event_callback",
                "team_id": "TBENCH",
                "api_app_id": "ABENCH",
                "event_id": f"Ev{i:08d}",
                "event_time": 1700000000 + i,
                "event": {
                    "type": "message",
                    "user": user,
                    "text": f"hello {i}",
                    "ts": ts,
                    "channel": "CGENERAL",
                    "channel_type": "channel",
                    "event_ts": ts,
                },
            }
            out.append((json.dumps(envelope).encode(), "application/json"))
    return out


async def _load(port: int, api_port: int, rate: float, seconds: float, first: int = 0) -> dict[str, float]:
    count = int(rate * seconds)
    bodies = _requests(count, api_port, first)
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    failures = 0
    url = f"http://127.0.0.1:{port}/slack/events"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

        async def send(body: bytes, kind: str) -> None:
            nonlocal failures
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": kind,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body) or "",
            }
            started = time.perf_counter()
            async with http.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            latencies.append(time.perf_counter() - started)

        tasks = []
        began = time.perf_counter()
        for i, (body, kind) in enumerate(bodies):
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(body, kind)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": count,
        "failures": failures,
        "throughput": count / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


async def _work_done_ms(api_port: int, db: Path, warm_up: int, count: int, limit: float = 60.0) -> float:
    """How long after the load every event is recorded and every command answered.

    The app acknowledges first and works after; this shows whether that work keeps up with the
    load (a backlog would show as seconds here), not only how fast the acknowledgements are.
    """
    commands = sum(1 for i in range(warm_up) if i % 5 == 4) + sum(1 for i in range(count) if i % 5 == 4)
    events = sum(1 for i in range(warm_up + count) if i % 5 != 4)
    began = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() - began < limit:
            async with http.get(f"http://127.0.0.1:{api_port}/replies") as response:
                replied = (await response.json())["count"]
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
                (recorded,) = connection.execute(
                    # messages are keyed by channel and ts (handlers.ladder.message_key)
                    "SELECT count(*) FROM processedevent WHERE event_key LIKE 'slack:CGENERAL:%'"
                ).fetchone()
            if replied >= commands and recorded >= events:
                return (time.perf_counter() - began) * 1000
            await asyncio.sleep(0.01)
    return float("inf")


def run(kind: str, work: Path, rate: float, seconds: float) -> dict[str, float]:
    """Start the server in its own process, load it, and read its peak memory."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench._serve", kind, str(work / f"slack-{kind}.db")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port, api_port = (int(p) for p in server.stdout.readline().split())
        asyncio.run(_load(port, api_port, rate, 0.2))
        result = asyncio.run(_load(port, api_port, rate, seconds, first=int(rate * 0.2)))
        if kind != "bare":
            result["drain_ms"] = asyncio.run(
                _work_done_ms(api_port, work / f"slack-{kind}.db", int(rate * 0.2), int(rate * seconds))
            )
        status = Path(f"/proc/{server.pid}/status").read_text()
        result["rss_mb"] = next(
            int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")
        )
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)
