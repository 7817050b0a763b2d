"""DiscordChatExporter exports: one JSON or CSV file per channel or thread.

JSON keeps ids, so events carry the same keys as live (the message id; ``join:<member>:<epoch>``)
and a thread's messages name the thread as their root, as live. CSV keeps no ids: its messages
are keyed by a digest of author, time and text, its channel comes from the file name, and its
server from a JSON export of the same server in the same import (else from the file name).
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import Any

from bot.importer._source import ExportFiles, Skipped, Unit, decoded_units
from handlers.config import EXPLICIT_MARKS as CHECK_MARKS
from handlers.conversations import Conversations, Spoken
from handlers.types import Actor, CommunityRef, Event, EventKind

SOURCE = "discord"
CHAT_TYPES = frozenset({"Default", "Reply", "ThreadStarterMessage"})
JOIN_TYPES = frozenset({"GuildMemberJoin"})
_CHANNEL_ID = re.compile(r"\[(\d+)\]")
_CSV_DATES = ("%d-%b-%y %I:%M %p", "%m/%d/%Y %I:%M %p", "%d/%m/%Y %H:%M")
_NAME_MENTION = re.compile(r"@([\w.\-]+)")


def parse_time(value: str) -> datetime:
    """An export timestamp as tz-aware UTC (ISO 8601, or DiscordChatExporter's older formats)."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for pattern in _CSV_DATES:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"unreadable time {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _header(data: bytes) -> dict[str, Any]:
    """The ``guild``/``channel`` part of a JSON export, without decoding its messages."""
    text = data.decode("utf-8", errors="replace")
    cut = text.find('"messages"')
    if cut != -1:
        try:
            head = json.loads(text[:cut].rstrip().rstrip(",") + "}")
            if isinstance(head, dict):
                return head
        except ValueError:
            pass
    whole = json.loads(text)
    return whole if isinstance(whole, dict) else {}


class DiscordExport:
    """Reads every channel and thread export of one import, channels before threads."""

    def __init__(self, files: ExportFiles, skipped: Skipped) -> None:
        self.files, self.skipped = files, skipped
        self.conversations = Conversations()
        self.guilds: dict[str, CommunityRef] = {}
        self.order: list[str] = []
        self._scan()

    def _scan(self) -> None:
        channels, threads = [], []
        for name in self.files.names:
            if name.endswith(".csv"):
                channels.append(name)
            elif name.endswith(".json"):
                try:
                    head = _header(self.files.read(name))
                except ValueError:
                    channels.append(name)
                    continue
                guild, channel = head.get("guild") or {}, head.get("channel") or {}
                if guild.get("id"):
                    ref = CommunityRef(SOURCE, str(guild["id"]), str(guild.get("name") or ""))
                    self.guilds[ref.name] = ref
                if "Thread" in str(channel.get("type") or ""):
                    threads.append(name)
                else:
                    channels.append(name)
        self.order = channels + threads

    @property
    def communities(self) -> list[CommunityRef]:
        """The servers this import writes to."""
        return list(self.guilds.values())

    def units(self, done: Collection[str]) -> Iterator[Unit]:
        """Decode every export file not imported before (``done`` holds resume markers)."""
        return decoded_units(self.files, self.order, SOURCE, done, self.skipped, self._decode)

    def _decode(self, unit: Unit, data: bytes) -> None:
        if unit.name.endswith(".csv"):
            self._csv(unit, data)
        else:
            self._json(unit, data)

    def _json(self, unit: Unit, data: bytes) -> None:
        export = json.loads(data)
        guild, channel = export["guild"], export["channel"]
        community = CommunityRef(SOURCE, str(guild["id"]), str(guild.get("name") or ""))
        channel_id = str(channel["id"])
        in_thread = "Thread" in str(channel.get("type") or "")
        parent = str(channel.get("categoryId") or channel_id) if in_thread else channel_id
        for message in export["messages"]:
            self._message(unit, community, parent, channel_id if in_thread else None, message)

    def _message(
        self,
        unit: Unit,
        community: CommunityRef,
        channel: str,
        thread: str | None,
        m: dict[str, Any],
    ) -> None:
        author = m.get("author") or {}
        if author.get("isBot"):
            self.skipped.add("bot messages")
            return
        if not author.get("id") or not m.get("id"):
            self.skipped.add("messages without an author")
            return
        actor = Actor(str(author["id"]), str(author.get("nickname") or author.get("name") or ""))
        at, kind, mid = (
            parse_time(str(m["timestamp"])),
            str(m.get("type") or "Default"),
            str(m["id"]),
        )
        if kind in JOIN_TYPES:
            key = f"join:{actor.external_id}:{int(at.timestamp())}"
            unit.events.append(Event(EventKind.MEMBER_JOINED, community, actor, at, key, channel))
            return
        if kind not in CHAT_TYPES:
            self.skipped.add(f"system messages ({kind})")
            return
        text = str(m.get("content") or "")
        thread_id = thread if thread is not None and mid != thread else None
        if thread_id is None:
            mentions = tuple(str(x.get("id")) for x in m.get("mentions") or () if x.get("id"))
            reference = (m.get("reference") or {}).get("messageId")
            spoken = Spoken(mid, actor.external_id, at, text, mentions, str(reference) if reference else None)
            asked, answers = self.conversations.root(channel, spoken)
            if asked:
                unit.questions.add(mid)
            thread_id = answers
        unit.events.append(Event(EventKind.MESSAGE, community, actor, at, mid, channel, mid, thread_id, text))
        for reaction in m.get("reactions") or ():
            emoji = (reaction.get("emoji") or {}).get("name") or ""
            users = [u for u in reaction.get("users") or () if u.get("id")]
            if emoji not in CHECK_MARKS:
                self.skipped.add(
                    "reactions other than ✅ (the export keeps no time)",
                    int(reaction.get("count") or 0),
                )
                continue
            if not users:
                self.skipped.add("✅ reactions without reactor ids", int(reaction.get("count") or 0))
            for user in users:
                if user.get("isBot"):
                    continue
                reactor = Actor(str(user["id"]), str(user.get("nickname") or user.get("name") or ""))
                key = f"{mid}:{reactor.external_id}:{emoji}"
                unit.events.append(
                    Event(EventKind.REACTION, community, reactor, at, key, channel, mid, thread, emoji)
                )

    def _csv(self, unit: Unit, data: bytes) -> None:
        stem = unit.name.rsplit("/", 1)[-1].removesuffix(".csv")
        found = _CHANNEL_ID.search(stem)
        channel = found.group(1) if found else stem
        guild_name = stem.split(" - ", 1)[0].strip()
        community = self.guilds.get(guild_name) or CommunityRef(SOURCE, f"csv:{guild_name}", guild_name)
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        if not reader.fieldnames or not {"AuthorID", "Date", "Content"} <= set(reader.fieldnames):
            raise ValueError("not a DiscordChatExporter CSV (needs AuthorID, Author, Date, Content)")
        names: dict[str, str] = {}
        for row in reader:
            author = (row.get("AuthorID") or "").strip()
            if not author:
                self.skipped.add("messages without an author")
                continue
            name = (row.get("Author") or "").split("#", 1)[0]
            names[name] = author
            at, text = parse_time(row.get("Date") or ""), row.get("Content") or ""
            digest = hashlib.blake2b(f"{author}|{row.get('Date')}|{text}".encode(), digest_size=8).hexdigest()
            mid = f"csv:{channel}:{digest}"
            mentions = tuple(names[n] for n in _NAME_MENTION.findall(text) if n in names)
            asked, answers = self.conversations.root(channel, Spoken(mid, author, at, text, mentions))
            if asked:
                unit.questions.add(mid)
            if row.get("Reactions"):
                self.skipped.add("CSV reactions (no reactor ids)")
            actor = Actor(author, name)
            unit.events.append(
                Event(EventKind.MESSAGE, community, actor, at, mid, channel, mid, answers, text)
            )
