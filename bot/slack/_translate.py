"""Slack payloads → the core's neutral Context and Event. Pure functions over the JSON shapes."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from handlers.types import Actor, CommunityRef, Context, Event, EventKind

PLATFORM = "slack"

# Message subtypes that are a member speaking; edits, joins, bot posts and the like are not.
SPOKEN_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

Payload = Mapping[str, Any]


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


def _reaction_name(name: str) -> str:
    """``+1::skin-tone-3`` → ``+1``: a skin tone does not change what the reaction means."""
    return name.split("::", 1)[0]


def to_event(envelope: Payload, actor: Actor) -> Event | None:
    """The neutral event for an ``event_callback`` envelope, or None for one Ladder ignores."""
    event: Payload = envelope.get("event") or {}
    kind = event.get("type")
    common: dict[str, Any] = {
        "community": community(str(envelope.get("team_id") or event.get("team") or "")),
        "actor": actor,
        "at": _moment(envelope, event),
        "key": str(envelope.get("event_id") or ""),
    }
    if not common["key"] or not common["community"].external_id:
        return None
    if kind == "team_join":
        return Event(EventKind.MEMBER_JOINED, **common)
    if kind == "message" and is_spoken_message(event):
        ts = str(event["ts"])
        thread = event.get("thread_ts")
        return Event(
            EventKind.MESSAGE,
            channel_id=event.get("channel"),
            message_id=ts,
            thread_id=str(thread) if thread and thread != ts else None,
            text=unescape(str(event.get("text") or "")),
            **common,
        )
    if kind == "reaction_added":
        item = event.get("item") or {}
        if item.get("type") != "message" or not item.get("ts"):
            return None
        return Event(
            EventKind.REACTION,
            channel_id=item.get("channel"),
            message_id=str(item["ts"]),
            text=_reaction_name(str(event.get("reaction") or "")),
            **common,
        )
    return None
