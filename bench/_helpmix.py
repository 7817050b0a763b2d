"""A help channel's traffic as Slack sends it: the live benchmark's requests, signed on the way out.

Each conversation is seven requests, in the order members make them: a new question, two thread
replies from other members, the asker's 👍 on the first reply, the asker's thanks in the thread,
``/ladder solved`` from the asker, and someone's ``/ladder level``. Conversations interleave (a
few are open at once, as in a busy channel), so the batcher sees questions and the replies,
reactions and thanks that accept answers to earlier ones in the same batches.
"""

import json
import urllib.parse
from dataclasses import dataclass

OPEN_AT_ONCE = 4
REQUESTS_PER_CONVERSATION = 7
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class Request:
    """One request for ``/slack/events``: its body and content type; ``command`` for commands."""

    body: bytes
    content_type: str
    command: bool = False


def _event(team: str, event_id: str, at: int, event: dict[str, object]) -> Request:
    envelope = {
        "type": "event_callback",
        "team_id": team,
        "api_app_id": "A0LADDER",
        "event_id": event_id,
        "event_time": at,
        "event": event,
    }
    return Request(json.dumps(envelope).encode(), JSON)


def _message(channel: str, user: str, text: str, ts: str, thread: str | None = None) -> dict[str, object]:
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
    return event


def _command(team: str, channel: str, user: str, text: str, trigger: str, reply_to: str) -> Request:
    form = {
        "command": "/ladder",
        "text": text,
        "user_id": user,
        "user_name": user.lower(),
        "channel_id": channel,
        "team_id": team,
        "team_domain": "bench",
        "response_url": reply_to,
        "trigger_id": trigger,
    }
    return Request(urllib.parse.urlencode(form).encode(), FORM, command=True)


def conversation(
    n: int, *, at: int, team: str, channel: str, members: tuple[str, ...], reply_url: str
) -> list[Request]:
    """The ``n``-th conversation's seven requests, sent around ``at`` (ids unique across ``n``)."""
    asker, first, second = (members[(n * 3 + k) % len(members)] for k in range(3))
    ts = [f"{at}.{n * 10 + k:06d}" for k in range(5)]
    question = f"How do I configure the widget {n % 97}? The exporter times out after the upgrade."
    return [
        _event(team, f"EvQ{n}", at, _message(channel, asker, question, ts[0])),
        _event(
            team,
            f"EvR{n}",
            at + 1,
            _message(channel, first, "Reset the widget cache, then retry.", ts[1], ts[0]),
        ),
        _event(
            team,
            f"EvS{n}",
            at + 2,
            _message(channel, second, "Also check the exporter timeout.", ts[2], ts[0]),
        ),
        _event(
            team,
            f"EvX{n}",
            at + 3,
            {
                "type": "reaction_added",
                "user": asker,
                "reaction": "+1",
                "item": {"type": "message", "channel": channel, "ts": ts[1]},
                "item_user": first,
                "event_ts": ts[3],
            },
        ),
        _event(
            team,
            f"EvT{n}",
            at + 4,
            _message(channel, asker, f"thanks <@{first}>, that fixed it!", ts[4], ts[0]),
        ),
        _command(team, channel, asker, "solved", f"tsolved{n}", f"{reply_url}/s{n}"),
        _command(team, channel, members[(n * 5) % len(members)], "level", f"tlevel{n}", f"{reply_url}/l{n}"),
    ]


def help_mix(
    count: int, *, first: int, at: int, team: str, channel: str, members: tuple[str, ...], reply_url: str
) -> list[Request]:
    """About ``count`` requests: conversations from number ``first`` on, ``OPEN_AT_ONCE`` interleaved.

    Slack's ``ts`` carries the conversation's number in its fraction, so up to 99,999 conversations
    stay unique while every message is from about ``at`` (now: the asker's thanks window is open).
    """
    out: list[Request] = []
    conversations = max(1, count // REQUESTS_PER_CONVERSATION)
    for group in range(first, first + conversations, OPEN_AT_ONCE):
        batch = [
            conversation(n, at=at, team=team, channel=channel, members=members, reply_url=reply_url)
            for n in range(group, min(group + OPEN_AT_ONCE, first + conversations))
        ]
        for step in range(REQUESTS_PER_CONVERSATION):
            out.extend(requests[step] for requests in batch)
    return out
