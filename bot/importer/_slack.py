"""Slack's standard workspace export: ``users.json``, ``channels.json``, ``<channel>/<day>.json``.

Messages become MESSAGE events keyed ``slack:<channel>:<ts>`` (``message_id`` is the ``ts``, as
live), ``channel_join`` becomes MEMBER_JOINED, and ✅ reactions become REACTION events. The
export keeps no time for reactions, so other reactions are skipped (and counted).
"""

import json
from collections import Counter
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import Any

from bot.importer._source import ExportFiles, Skipped, Unit, bad_file_reason, decoded_units
from handlers.config import EXPLICIT_MARKS as CHECK_MARKS
from handlers.conversations import Conversations, Spoken
from handlers.types import Actor, CommunityRef, Event, EventKind

SPOKEN = frozenset({None, "thread_broadcast", "file_share", "me_message"})
SOURCE = "slack"


def unescape(text: str) -> str:
    """Undo Slack's ``&amp;``/``&lt;``/``&gt;`` so the ledger keeps what the member typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _mentions(text: str) -> tuple[str, ...]:
    found: list[str] = []
    start = text.find("<@")
    while start != -1:
        end = text.find(">", start)
        if end == -1:
            break
        found.append(text[start + 2 : end].split("|", 1)[0])
        start = text.find("<@", end)
    return tuple(found)


class SlackExport:
    """Reads one workspace export, file by file, in channel and day order."""

    def __init__(self, files: ExportFiles, skipped: Skipped) -> None:
        self.files, self.skipped = files, skipped
        self.prefix = self._prefix()
        self.actors: dict[str, Actor] = {}
        self.bots: set[str] = {"USLACKBOT"}
        team = self._users()
        self.channels = self._channels()
        self.community = CommunityRef(SOURCE, team or f"export:{files.root.stem}", "")
        self.conversations = Conversations()

    def _prefix(self) -> str:
        for name in self.files.names:
            if name.rsplit("/", 1)[-1] == "users.json":
                return name[: -len("users.json")]
        return ""

    def _json(self, name: str) -> Any:
        try:
            return json.loads(self.files.read(self.prefix + name))
        except (KeyError, FileNotFoundError):
            return None
        except (OSError, ValueError) as error:
            self.skipped.bad_files.append((self.prefix + name, bad_file_reason(error)))
            return None

    def _users(self) -> str:
        users = self._json("users.json")
        if not isinstance(users, list):
            return ""
        teams: Counter[str] = Counter()
        for user in users:
            if not isinstance(user, dict) or not user.get("id"):
                continue
            uid = str(user["id"])
            if user.get("team_id"):
                teams[str(user["team_id"])] += 1
            if user.get("is_bot") or uid == "USLACKBOT":
                self.bots.add(uid)
                continue
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("real_name") or user.get("name") or uid
            admin = bool(user.get("is_admin") or user.get("is_owner"))
            self.actors[uid] = Actor(uid, str(name), is_admin=admin)
        return teams.most_common(1)[0][0] if teams else ""

    def _channels(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for listing in ("channels.json", "groups.json"):
            for channel in self._json(listing) or ():
                if isinstance(channel, dict) and channel.get("name") and channel.get("id"):
                    names[str(channel["name"])] = str(channel["id"])
        return names

    def day_files(self) -> list[str]:
        """The message files, channel by channel, day by day."""
        return [
            n
            for n in self.files.names
            if n.startswith(self.prefix)
            and n.count("/") == self.prefix.count("/") + 1
            and n.endswith(".json")
        ]

    def units(self, done: Collection[str]) -> Iterator[Unit]:
        """Decode every message file not imported before (``done`` holds resume markers)."""
        return decoded_units(self.files, self.day_files(), SOURCE, done, self.skipped, self._decode_file)

    def _decode_file(self, unit: Unit, data: bytes) -> None:
        messages = json.loads(data)
        if not isinstance(messages, list):
            raise ValueError("expected a list of messages")
        folder = unit.name[len(self.prefix) :].split("/", 1)[0]
        self._decode(unit, self.channels.get(folder, folder), messages)

    def _actor(self, uid: str) -> Actor:
        actor = self.actors.get(uid)
        if actor is None:
            actor = self.actors[uid] = Actor(uid, uid)
        return actor

    def _decode(self, unit: Unit, channel: str, messages: list[Any]) -> None:
        skipped, events = self.skipped, unit.events
        for message in messages:
            if not isinstance(message, dict) or not message.get("ts"):
                skipped.add("malformed messages")
                continue
            ts, subtype, user = str(message["ts"]), message.get("subtype"), message.get("user")
            if subtype == "bot_message" or message.get("bot_id") or user in self.bots:
                skipped.add("bot messages")
                continue
            if not user:
                skipped.add("messages without an author")
                continue
            try:
                at = datetime.fromtimestamp(float(ts), UTC)
            except (OverflowError, ValueError):
                skipped.add("malformed messages")
                continue
            key = f"slack:{channel}:{ts}"
            actor = self._actor(str(user))
            if subtype == "channel_join":
                events.append(Event(EventKind.MEMBER_JOINED, self.community, actor, at, key, channel))
                continue
            if subtype not in SPOKEN:
                skipped.add(f"system messages ({subtype})")
                continue
            text = unescape(str(message.get("text") or ""))
            thread = message.get("thread_ts")
            thread_id = str(thread) if thread and thread != ts else None
            if thread_id is None:
                spoken = Spoken(ts, actor.external_id, at, text, _mentions(text))
                asked, answers = self.conversations.root(channel, spoken)
                if asked:
                    unit.questions.add(key)
                thread_id = answers
            events.append(
                Event(EventKind.MESSAGE, self.community, actor, at, key, channel, ts, thread_id, text)
            )
            self._reactions(unit, channel, message, ts, at)

    def _reactions(self, unit: Unit, channel: str, message: dict[str, Any], ts: str, at: datetime) -> None:
        for reaction in message.get("reactions") or ():
            if not isinstance(reaction, dict):
                continue
            name = str(reaction.get("name") or "").split("::", 1)[0]
            users = [str(u) for u in reaction.get("users") or () if u]
            if name not in CHECK_MARKS:
                self.skipped.add("reactions other than ✅ (the export keeps no time)", len(users))
                continue
            for user in users:
                if user in self.bots:
                    self.skipped.add("bot reactions")
                    continue
                unit.events.append(
                    Event(
                        EventKind.REACTION,
                        self.community,
                        self._actor(user),
                        at,
                        f"slack:{channel}:{ts}:{user}:{name}",
                        channel,
                        ts,
                        None,
                        name,
                    )
                )
