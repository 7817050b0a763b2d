"""A help channel under load: signed Slack message events (questions and thread replies) sent at a
fixed rate, each acknowledgement timed.

Shared by benchmark 4 (``python -m bench``: acknowledgement latency and throughput of the durable
path) and the crash test in ``tests/slack`` (``kill -9`` after N acknowledgements). An event
counts as acknowledged only when Slack would consider it delivered: HTTP 200.
"""

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp
from slack_sdk.signature import SignatureVerifier

THREAD_REPLIES = 2


@dataclass(frozen=True, slots=True)
class HelpEvent:
    """One message in the help channel: a question (``thread`` is None) or a reply in its thread."""

    event_id: str
    ts: str
    user: str
    thread: str | None
    body: bytes


@dataclass(slots=True)
class LoadResult:
    """What the load saw: the events acknowledged (in order), the latencies, the refusals."""

    acked: list[HelpEvent] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)
    acked_at: dict[str, float] = field(default_factory=dict)
    refused: int = 0
    broken: int = 0
    seconds: float = 0.0

    def percentile_ms(self, share: float) -> float:
        """A latency percentile in milliseconds (0.5 = median)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def help_events(
    count: int,
    *,
    team: str,
    channel: str,
    members: Sequence[str],
    start: int = 1_700_000_000,
    reply_lag: int = 0,
) -> list[HelpEvent]:
    """``count`` events: for each question, ``THREAD_REPLIES`` replies from other members.

    A reply answers one of the latest questions asked at least ``reply_lag`` events before it (as
    in a busy channel, threads interleave); until there is one, every message is a question.
    """
    events: list[HelpEvent] = []
    questions: list[tuple[int, str, str]] = []
    for i in range(count):
        ts = f"{start + i}.{i:06d}"
        user = members[i % len(members)]
        old_enough = [q for q in questions[-(3 + reply_lag) :] if q[0] <= i - reply_lag]
        thread = None
        text = f"How do I configure the widget number {i}? It fails with error {i * 7 % 97}."
        if i % (THREAD_REPLIES + 1) != 0 and old_enough:
            _, asker, thread = old_enough[max(0, len(old_enough) - 1 - (i % 3))]
            if user == asker:
                user = members[(i + 1) % len(members)]
            text = f"Try resetting the widget cache first ({i})."
        else:
            questions.append((i, user, ts))
        event: dict[str, object] = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "channel_type": "channel",
            "event_ts": ts,
        }
        if thread is not None:
            event["thread_ts"] = thread
        envelope = {
            "type": "event_callback",
            "team_id": team,
            "api_app_id": "A0LADDER",
            "event_id": f"Ev{ts.replace('.', '')}",
            "event_time": start + i,
            "event": event,
        }
        events.append(HelpEvent(str(envelope["event_id"]), ts, user, thread, json.dumps(envelope).encode()))
    return events


async def drive(
    url: str,
    secret: str,
    events: Sequence[HelpEvent],
    rate: float,
    *,
    on_ack: Callable[[LoadResult], bool] | None = None,
    request_timeout: float = 10.0,
) -> LoadResult:
    """POST each event, signed, at ``rate`` per second; record which were acknowledged and how fast.

    ``on_ack`` runs after every acknowledgement; once it returns True no further event is sent
    (the crash test kills the server from there). A request that fails (the server died, refused
    or timed out) is not acknowledged.
    """
    verifier = SignatureVerifier(secret)
    result = LoadResult()
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    client_timeout = aiohttp.ClientTimeout(total=request_timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as http:

        async def send(event: HelpEvent) -> None:
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=event.body) or "",
            }
            started = time.perf_counter()
            result.sent_at[event.event_id] = started
            try:
                async with http.post(url, data=event.body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, OSError, TimeoutError):
                result.broken += 1
                return
            if status != 200:
                result.refused += 1
                return
            result.acked_at[event.event_id] = time.perf_counter()
            result.latencies.append(result.acked_at[event.event_id] - started)
            result.acked.append(event)
            if on_ack is not None and on_ack(result):
                stop.set()

        stop = asyncio.Event()
        tasks = []
        began = time.perf_counter()
        for i, event in enumerate(events):
            if stop.is_set():
                break
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(event)))
        await asyncio.gather(*tasks)
        result.seconds = time.perf_counter() - began
    return result
