"""Slack workspace exports of every era: ``users.json`` (``org_users.json`` on Enterprise Grid),
``channels.json``, ``groups.json``, ``dms.json``, ``mpims.json`` and ``<conversation>/<day>.json``.

Messages become MESSAGE events keyed as live (:func:`handlers.ladder.message_key`, the ``ts``
as message id); a thread reply (``thread_ts``, with or without ``parent_user_id``) names its
root; ``channel_join``/``group_join`` become MEMBER_JOINED; ``<@U…>`` mentions become
``mentions``. Every reaction becomes one REACTION event per reactor with the raw name Slack
wrote (``+1::skin-tone-2``), timed at the message: the export keeps no reaction time. Bots
(``bot_id``, ``bot_message``, bot users, Slackbot) are skipped; system subtypes are counted;
an edit is the final text (``edited`` already is; a ``message_changed`` record in the same day
replaces the text it changed). Direct and group-direct messages are private conversations, not
community history: they are counted and skipped, as live Ladder never sees them either.
"""

import json
import re
from collections import Counter
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import Any

from bot.importer._source import (
    ExportFiles,
    FileMark,
    Recogniser,
    Skipped,
    Unit,
    bad_file_reason,
    decode_text,
    decoded_units,
)
from handlers.kernel import Actor, CommunityRef, Event, EventKind
from handlers.ladder import message_key, reaction_key

SOURCE = "slack"
SPOKEN = frozenset({None, "thread_broadcast", "reply_broadcast", "file_share", "me_message"})
JOINS = frozenset({"channel_join", "group_join"})
BOTS = frozenset({"bot_message", "slackbot_response"})
USER_LISTS = ("users.json", "org_users.json")
META_FILES = frozenset({*USER_LISTS, "channels.json", "groups.json", "dms.json", "mpims.json"})
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json$")
UNNAMED_REACTIONS = "reactions without reactor ids (Slack lists the first reactors only)"
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def unescape(text: str) -> str:
    """Undo Slack's ``&amp;``/``&lt;``/``&gt;`` so the ledger keeps what the member typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def export_prefix(names: list[str]) -> str | None:
    """The folder inside the archive that holds the export (``""`` at the top), or None."""
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if base in USER_LISTS or base == "channels.json":
            return name[: -len(base)]
    return None


def _blocks_text(blocks: Any) -> str:
    """The plain text of ``rich_text`` blocks, for a message whose ``text`` is empty."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("type") == "text":
                parts.append(str(node.get("text") or ""))
            elif node.get("type") == "user":
                parts.append(f"<@{node.get('user_id')}>")
            walk(node.get("elements"))

    walk(blocks)
    return "".join(parts)


class SlackExport:
    """Reads one workspace export, file by file, in conversation and day order."""

    def __init__(self, files: ExportFiles, skipped: Skipped) -> None:
        self.files, self.skipped = files, skipped
        self.prefix = export_prefix(files.names) or ""
        self._present = frozenset(files.names)
        self.actors: dict[str, Actor] = {}
        self.bots: set[str] = {"USLACKBOT"}
        team = self._users()
        self.channels, self.private = self._conversations()
        self.community = CommunityRef(SOURCE, team or f"export:{files.root.stem}", "")
        self.recogniser = Recogniser()
        self.order = self.day_files()

    @property
    def communities(self) -> list[CommunityRef]:
        """The workspace this import writes to."""
        return [self.community]

    def _json(self, name: str) -> Any:
        path = self.prefix + name
        if path not in self._present:
            return None
        try:
            return json.loads(decode_text(self.files.read(path)))
        except (OSError, ValueError) as error:
            self.skipped.bad_files.append((path, bad_file_reason(error)))
            return None

    def _users(self) -> str:
        users = self._json("users.json") or self._json("org_users.json")
        if not isinstance(users, list):
            return ""
        teams: Counter[str] = Counter()
        for user in users:
            if not isinstance(user, dict) or not user.get("id"):
                continue
            uid = str(user["id"])
            if user.get("team_id"):
                teams[str(user["team_id"])] += 1
            if user.get("is_bot") or user.get("is_app_user") or uid == "USLACKBOT":
                self.bots.add(uid)
                continue
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("real_name") or user.get("name") or uid
            admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
            self.actors[uid] = Actor(uid, str(name), is_admin=admin)
        return teams.most_common(1)[0][0] if teams else ""

    def _conversations(self) -> tuple[dict[str, str], set[str]]:
        """Folder name → conversation id, and the folders of direct messages."""
        names: dict[str, str] = {}
        for listing in ("channels.json", "groups.json"):
            for channel in self._json(listing) or ():
                if isinstance(channel, dict) and channel.get("name") and channel.get("id"):
                    names[str(channel["name"])] = str(channel["id"])
        private: set[str] = set()
        for listing, folder in (("dms.json", "id"), ("mpims.json", "name")):
            for conversation in self._json(listing) or ():
                if isinstance(conversation, dict) and conversation.get(folder):
                    private.add(str(conversation[folder]))
        return names, private

    def day_files(self) -> list[str]:
        """The message files (``<conversation>/<YYYY-MM-DD>.json``), conversation by conversation."""
        depth = self.prefix.count("/") + 1
        return [
            n
            for n in self.files.names
            if n.startswith(self.prefix) and n.count("/") == depth and DAY_FILE.search(n)
        ]

    def units(self, done: Collection[FileMark]) -> Iterator[Unit]:
        """Decode every message file not imported before (``done`` holds resume markers)."""
        return decoded_units(self.files, self.order, SOURCE, done, self.skipped, self._decode_file)

    def _decode_file(self, unit: Unit, data: bytes) -> None:
        messages = json.loads(decode_text(data))
        if not isinstance(messages, list):
            raise ValueError("expected a list of messages")
        folder = unit.name[len(self.prefix) :].split("/", 1)[0]
        if folder in self.private:
            self.skipped.add("direct messages (private conversations are not imported)", len(messages))
            return
        self._decode(unit, self.channels.get(folder, folder), messages)

    def _actor(self, uid: str, message: dict[str, Any] | None = None) -> Actor:
        actor = self.actors.get(uid)
        if actor is None:
            profile = (message or {}).get("user_profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or profile.get("name") or uid
            actor = self.actors[uid] = Actor(uid, str(name))
        return actor

    def _decode(self, unit: Unit, channel: str, messages: list[Any]) -> None:
        skipped, events = self.skipped, unit.events
        edits = _final_texts(messages, skipped)
        for message in messages:
            if not isinstance(message, dict) or not message.get("ts"):
                skipped.add("malformed messages")
                continue
            ts, subtype, user = str(message["ts"]), message.get("subtype"), message.get("user")
            if subtype in ("message_changed", "message_deleted") or ts in edits.deleted:
                continue
            if subtype in BOTS or message.get("bot_id") or user in self.bots:
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
            key = message_key(SOURCE, channel, ts)
            actor = self._actor(str(user), message)
            if subtype in JOINS:
                events.append(Event(EventKind.MEMBER_JOINED, self.community, actor, at, key, channel))
                continue
            if subtype not in SPOKEN:
                skipped.add(f"system messages ({subtype})")
                continue
            raw = edits.texts.get(ts, message.get("text"))
            text = unescape(str(raw or "") or _blocks_text(message.get("blocks")))
            thread = message.get("thread_ts")
            event = Event(
                EventKind.MESSAGE,
                self.community,
                actor,
                at,
                key,
                channel,
                ts,
                str(thread) if thread and thread != ts else None,
                text,
                None,
                tuple(dict.fromkeys(_MENTION.findall(text))),
            )
            starts_thread = thread == ts or bool(message.get("reply_count") or message.get("replies"))
            events.append(self.recogniser.place(unit, event, starts_thread=starts_thread))
            if message.get("reactions"):
                self._reactions(unit, event, message["reactions"])

    def _reactions(self, unit: Unit, message: Event, reactions: Any) -> None:
        assert message.message_id is not None and message.channel_id is not None
        for reaction in reactions if isinstance(reactions, list) else ():
            if not isinstance(reaction, dict) or not reaction.get("name"):
                continue
            name = str(reaction["name"])
            users = [str(u) for u in reaction.get("users") or () if u]
            unnamed = int(reaction.get("count") or 0) - len(users)
            if unnamed > 0:
                self.skipped.add(UNNAMED_REACTIONS, unnamed)
            for user in users:
                if user in self.bots:
                    self.skipped.add("bot reactions")
                    continue
                key = reaction_key(SOURCE, message.channel_id, message.message_id, user, name)
                unit.events.append(
                    Event(
                        EventKind.REACTION,
                        self.community,
                        self._actor(user),
                        message.at,
                        key,
                        message.channel_id,
                        message.message_id,
                        message.thread_id,
                        name,
                    )
                )


class _Edits:
    """A day's ``message_changed``/``message_deleted`` records, by the ``ts`` they change."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.deleted: set[str] = set()


def _final_texts(messages: list[Any], skipped: Skipped) -> _Edits:
    """The last text of each message a ``message_changed`` record edits, and deleted ones."""
    edits = _Edits()
    for record in messages:
        if not isinstance(record, dict):
            continue
        subtype = record.get("subtype")
        if subtype == "message_changed" and isinstance(record.get("message"), dict):
            changed = record["message"]
            if changed.get("ts"):
                edits.texts[str(changed["ts"])] = str(changed.get("text") or "")
                skipped.add("edit records (the final text is kept)")
        elif subtype == "message_deleted" and record.get("deleted_ts"):
            edits.deleted.add(str(record["deleted_ts"]))
            skipped.add("deleted messages")
    return edits
