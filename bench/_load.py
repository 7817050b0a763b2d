"""Sending the live benchmark's requests: paced at a rate, or as fast as the server answers.

Every request is signed as Slack signs it, on the way out (a signature is only valid for five
minutes). An acknowledgement is an HTTP 200; a 503 is a refusal (the inbox's backlog was full,
Slack would redeliver); anything else, or no answer, is broken.
"""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench._helpmix import Request

SATURATION_IN_FLIGHT = 64


@dataclass(slots=True)
class Load:
    """What one load saw: latencies of acknowledgements, refusals, failures, how long it took."""

    latencies: list[float] = field(default_factory=list)
    refused: int = 0
    broken: int = 0
    seconds: float = 0.0

    @property
    def acked(self) -> int:
        """Requests acknowledged with a 200."""
        return len(self.latencies)

    def percentile_ms(self, share: float) -> float:
        """An acknowledgement-latency percentile in milliseconds (0.5 = median)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


async def _send(
    http: aiohttp.ClientSession, url: str, verifier: SignatureVerifier, request: Request, load: Load
) -> None:
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": request.content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=request.body) or "",
    }
    started = time.perf_counter()
    try:
        async with http.post(url, data=request.body, headers=headers) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, OSError, TimeoutError):
        load.broken += 1
        return
    if status == 200:
        load.latencies.append(time.perf_counter() - started)
    elif status == 503:
        load.refused += 1
    else:
        load.broken += 1


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=30)
    )


async def paced(url: str, secret: str, requests: Sequence[Request], rate: float) -> Load:
    """Send one request every ``1/rate`` seconds, without waiting for earlier answers (open loop)."""
    verifier, load = SignatureVerifier(secret), Load()
    async with _session() as http:
        tasks = []
        began = time.perf_counter()
        for i, request in enumerate(requests):
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_send(http, url, verifier, request, load)))
        await asyncio.gather(*tasks)
        load.seconds = time.perf_counter() - began
    return load


async def saturate(
    url: str, secret: str, requests: Sequence[Request], in_flight: int = SATURATION_IN_FLIGHT
) -> Load:
    """Keep ``in_flight`` requests outstanding until all are answered (closed loop): the most the
    server acknowledges per second."""
    verifier, load = SignatureVerifier(secret), Load()
    pending = iter(requests)
    async with _session() as http:

        async def worker() -> None:
            for request in pending:
                await _send(http, url, verifier, request, load)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        load.seconds = time.perf_counter() - began
    return load
