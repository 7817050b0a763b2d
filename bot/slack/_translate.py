"""Slack payloads → the core's neutral Context and Event. Pure functions over the JSON shapes."""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from handlers.kernel import Actor, CommunityRef, Context, Event, EventKind
from handlers.ladder import message_key, reaction_key

PLATFORM = "slack"

# Message subtypes that are a member speaking; edits, joins, bot posts and the like are not.
SPOKEN_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

Payload = Mapping[str, Any]
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def unescape(text: str) -> str:
    """Undo Slack's ``&amp;``/``&lt;``/``&gt;`` so the core stores what the member typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def community(team_id: str, name: str = "") -> CommunityRef:
    """The community of a workspace."""
    return CommunityRef(PLATFORM, team_id, name)


def command_context(body: Payload, actor: Actor) -> Context:
    """Context of a ``/ladder`` slash command (a form post)."""
    return Context(
        community=community(str(body["team_id"]), str(body.get("team_domain") or "")),
        actor=actor,
        channel_id=body.get("channel_id") or None,
    )


def action_team(body: Payload) -> str:
    """The workspace of a block action."""
    team = body.get("team") or {}
    return str(team.get("id") or (body.get("user") or {}).get("team_id") or "")


def action_context(body: Payload, actor: Actor) -> Context:
    """Context of a button click, in a message or in the App Home view."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message = body.get("message") or {}
    thread = message.get("thread_ts") or container.get("thread_ts")
    team = body.get("team") or {}
    return Context(
        community=community(action_team(body), str(team.get("domain") or "")),
        actor=actor,
        channel_id=channel or None,
        thread_id=thread or None,
    )


def event_user(event: Payload) -> str | None:
    """The id of the member an event is about (``team_join`` carries a whole user object)."""
    user = event.get("user")
    if isinstance(user, Mapping):
        return str(user.get("id")) if user.get("id") else None
    return str(user) if user else None


def is_spoken_message(event: Payload) -> bool:
    """A member's own message: not a bot's, not an edit, deletion, join notice or hidden one."""
    return (
        event.get("type") == "message"
        and event.get("subtype") in SPOKEN_SUBTYPES
        and not event.get("bot_id")
        and not event.get("hidden")
        and bool(event.get("user"))
    )


def _moment(envelope: Payload, event: Payload) -> datetime:
    stamp = envelope.get("event_time") or event.get("event_ts") or event.get("ts") or ""
    try:
        return datetime.fromtimestamp(float(stamp), UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)


def mentions(text: str) -> tuple[str, ...]:
    """The member ids a message mentions (``<@U123>`` or ``<@U123|name>``), each once, in order."""
    return tuple(dict.fromkeys(_MENTION.findall(text)))


def to_event(envelope: Payload, actor: Actor) -> Event | None:
    """The neutral event for an ``event_callback`` envelope, or None for one Ladder ignores.

    Messages and reactions are keyed by what they are (:mod:`handlers.sources`), not by the
    delivery's ``event_id``: a redelivery, and the same message read again from an export, are
    recorded once.
    """
    event: Payload = envelope.get("event") or {}
    kind = event.get("type")
    team = str(envelope.get("team_id") or event.get("team") or "")
    common: dict[str, Any] = {"community": community(team), "actor": actor, "at": _moment(envelope, event)}
    if not team:
        return None
    if kind == "team_join" and envelope.get("event_id"):
        return Event(EventKind.MEMBER_JOINED, key=str(envelope["event_id"]), **common)
    if kind == "message" and is_spoken_message(event) and event.get("channel"):
        ts, channel = str(event["ts"]), str(event["channel"])
        thread = event.get("thread_ts")
        text = str(event.get("text") or "")
        return Event(
            EventKind.MESSAGE,
            key=message_key(PLATFORM, channel, ts),
            channel_id=channel,
            message_id=ts,
            thread_id=str(thread) if thread and thread != ts else None,
            text=unescape(text),
            mentions=mentions(text),
            **common,
        )
    if kind == "reaction_added":
        item = event.get("item") or {}
        if item.get("type") != "message" or not item.get("ts") or not item.get("channel"):
            return None
        ts, channel, emoji = str(item["ts"]), str(item["channel"]), str(event.get("reaction") or "")
        return Event(
            EventKind.REACTION,
            key=reaction_key(PLATFORM, channel, ts, actor.external_id, emoji),
            channel_id=channel,
            message_id=ts,
            text=emoji,
            **common,
        )
    return None
