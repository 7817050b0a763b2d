"""DiscordChatExporter exports: one JSON or CSV file per channel or thread, any version, mixed.

Each file is recognised on its own (:mod:`._detect`), so an archive mixing JSON and CSV, old and
new, imports whole. JSON keeps ids: a message's key is its id (as live), a join is
``join:<member>:<epoch>``, a thread's messages name the thread as their root and its parent as
their channel (as live), an inline reply names the message it answers (``reply_to``), and every
reaction with its reactors becomes one REACTION event per member, timed at the message (the
export keeps no reaction time). CSV keeps no ids: its messages are keyed by a digest of author,
time and text, its channel comes from the file name, its server from a JSON export of the same
server in the same import (else from the file name), and its reactions, which name nobody, are
counted as skipped. Bots are skipped; system messages are counted by kind; content is the
final text of an edited message.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.importer import _dce_csv, _dce_json
from bot.importer._dates import DateReader
from bot.importer._names import KnownNames
from bot.importer._source import (
    ExportFiles,
    FileMark,
    Recogniser,
    Skipped,
    Unit,
    decode_text,
    decoded_units,
)
from handlers.kernel import Actor, CommunityRef, Event, EventKind
from handlers.ladder import message_key, reaction_key

SOURCE = "discord"
CHAT_KINDS = frozenset({"Default", "Reply", "0", "19"})
JOIN_KINDS = frozenset({"GuildMemberJoin", "UserJoin", "7"})
REPLY_KINDS = frozenset({"Reply", "19"})
# Discord's numbers for the kinds old exporter versions could not name.
_KIND_NAMES = {
    "1": "RecipientAdd",
    "2": "RecipientRemove",
    "3": "Call",
    "4": "ChannelNameChange",
    "5": "ChannelIconChange",
    "6": "ChannelPinnedMessage",
    "8": "GuildBoost",
    "9": "GuildBoostTier1",
    "10": "GuildBoostTier2",
    "11": "GuildBoostTier3",
    "12": "ChannelFollowAdd",
    "18": "ThreadCreated",
    "20": "ChatInputCommand",
    "21": "ThreadStarterMessage",
    "22": "GuildInviteReminder",
    "23": "ContextMenuCommand",
    "24": "AutoModerationAction",
}
# What DiscordChatExporter writes as the content of a system message in CSV (CSV has no type).
CSV_SYSTEM_TEXT = {
    "Joined the server.": "GuildMemberJoin",
    "Pinned a message.": "ChannelPinnedMessage",
    "Started a thread.": "ThreadCreated",
    "Changed the channel name.": "ChannelNameChange",
    "Changed the channel icon.": "ChannelIconChange",
    "Added a recipient.": "RecipientAdd",
    "Removed a recipient.": "RecipientRemove",
}
WEBHOOK = "#0000"
_CHANNEL_ID = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a file's messages belong: server, channel, and the thread (if the file is one)."""

    community: CommunityRef
    channel: str
    thread: str | None
    title: str = ""


def parse_time(value: str) -> datetime:
    """A JSON export's timestamp (ISO 8601 with offset) as tz-aware UTC."""
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class DiscordExport:
    """Reads every channel and thread export of one import: channels first, then threads."""

    def __init__(
        self,
        files: ExportFiles,
        skipped: Skipped,
        json_heads: dict[str, dict[str, Any]],
        csv_layouts: dict[str, _dce_csv.CsvLayout],
    ) -> None:
        self.files, self.skipped = files, skipped
        self.recogniser = Recogniser()
        self.guilds: dict[str, CommunityRef] = {}  # by server id
        self._actors: dict[tuple[str, str], Actor] = {}
        # Old JSON and CSV name mentions only as ``@name`` in the text.
        self.names = KnownNames()
        channels: list[str] = []
        threads: list[str] = []
        self.direct = 0
        for name, head in json_heads.items():
            guild, channel = head["guild"], head["channel"]
            if _dce_json.is_direct(guild, channel):
                self.direct += 1
                continue
            ref = CommunityRef(SOURCE, str(guild["id"]), str(guild.get("name") or ""))
            known = self.guilds.get(ref.external_id)
            if known is None or not known.name:
                self.guilds[ref.external_id] = ref
            (threads if _dce_json.is_thread(channel) else channels).append(name)
        self.order = sorted(channels + list(csv_layouts)) + sorted(threads)
        self._layouts = csv_layouts
        self._csv_places = {name: self._csv_place(name, shape) for name, shape in csv_layouts.items()}

    @property
    def communities(self) -> list[CommunityRef]:
        """The servers this import writes to (CSV-only servers appear as their files are read)."""
        return list(self.guilds.values())

    def units(self, done: Collection[FileMark]) -> Iterator[Unit]:
        """Decode every export file not imported before (``done`` holds resume markers)."""
        self.skipped.add("direct-message exports (not a server's history)", self.direct)
        return decoded_units(self.files, self.order, SOURCE, done, self.skipped, self._decode)

    def _decode(self, unit: Unit, data: bytes) -> None:
        """Decode one file, CSV or JSON as the scan found it."""
        layout = self._layouts.get(unit.name)
        if layout is not None:
            self._csv(unit, decode_text(data), layout)
        else:
            self._json(unit, decode_text(data))

    def _actor(self, uid: str, name: str) -> Actor:
        actor = self._actors.get((uid, name))
        if actor is None:
            actor = self._actors[(uid, name)] = Actor(uid, name)
        return actor

    def _json(self, unit: Unit, text: str) -> None:
        head = _dce_json.header(text[:1_048_576])
        if head is None:
            raise ValueError("not a DiscordChatExporter JSON export (no guild/channel header)")
        guild, channel = head["guild"], head["channel"]
        community = CommunityRef(SOURCE, str(guild["id"]), str(guild.get("name") or ""))
        channel_id = str(channel["id"])
        if _dce_json.is_thread(channel):
            parent = str(channel.get("categoryId") or channel_id)
            place = _Place(community, parent, channel_id, str(channel.get("name") or ""))
        else:
            place = _Place(community, channel_id, None)
        for message in _dce_json.messages(text):
            self._message(unit, place, message)

    def _message(self, unit: Unit, place: _Place, m: dict[str, Any]) -> None:
        author = m.get("author") or {}
        if author.get("isBot"):
            self.skipped.add("bot messages")
            return
        mid, uid = m.get("id"), author.get("id")
        if not uid or not mid:
            self.skipped.add("messages without an author")
            return
        mid, kind = str(mid), str(m.get("type") or "Default")
        actor = self._actor(str(uid), str(author.get("nickname") or author.get("name") or ""))
        at = parse_time(str(m["timestamp"]))
        if kind in JOIN_KINDS:
            key = f"join:{actor.external_id}:{int(at.timestamp())}"
            unit.events.append(Event(EventKind.MEMBER_JOINED, place.community, actor, at, key, place.channel))
            return
        if kind not in CHAT_KINDS:
            self.skipped.add(f"system messages ({_KIND_NAMES.get(kind, kind)})")
            return
        text = str(m.get("content") or "")
        thread = place.thread if place.thread != mid else None
        if place.thread == mid and place.title:
            text = f"{place.title}\n{text}".strip()
        reference = m.get("reference") or {}
        reply_to = None
        if kind in REPLY_KINDS and reference.get("messageId"):
            same = str(reference.get("channelId") or place.thread or place.channel)
            reply_to = str(reference["messageId"]) if same in (place.channel, place.thread) else None
        if "mentions" in m:
            listed = m.get("mentions") or ()
            mentions = tuple(str(x["id"]) for x in listed if isinstance(x, dict) and x.get("id"))
        else:
            mentions = self.names.mentioned(text)
        self.names.add(str(author.get("name") or ""), actor.external_id)
        self.names.add(str(author.get("nickname") or ""), actor.external_id)
        event = Event(
            EventKind.MESSAGE,
            place.community,
            actor,
            at,
            message_key(SOURCE, place.channel, mid),
            place.channel,
            mid,
            thread,
            text,
            reply_to,
            mentions,
        )
        unit.events.append(self.recogniser.place(unit, event))
        for reaction in m.get("reactions") or ():
            self._reaction(unit, place, event, reaction)

    def _reaction(self, unit: Unit, place: _Place, message: Event, reaction: dict[str, Any]) -> None:
        emoji = str((reaction.get("emoji") or {}).get("name") or "")
        users = [u for u in reaction.get("users") or () if isinstance(u, dict) and u.get("id")]
        unnamed = int(reaction.get("count") or 0) - len(users)
        if unnamed > 0:
            self.skipped.add("reactions without reactor ids (older exports)", unnamed)
        assert message.message_id is not None
        for user in users:
            if user.get("isBot"):
                self.skipped.add("bot reactions")
                continue
            reactor = self._actor(str(user["id"]), str(user.get("nickname") or user.get("name") or ""))
            key = reaction_key(SOURCE, place.channel, message.message_id, reactor.external_id, emoji)
            unit.events.append(
                Event(
                    EventKind.REACTION,
                    place.community,
                    reactor,
                    message.at,
                    key,
                    place.channel,
                    message.message_id,
                    message.thread_id,
                    emoji,
                )
            )

    def _csv_place(self, name: str, layout: _dce_csv.CsvLayout) -> _Place:
        stem = name.rsplit("/", 1)[-1].removesuffix(".csv")
        guild_name = layout.comments.get("guild") or stem.split(" - ", 1)[0].strip()
        found = _CHANNEL_ID.search(stem)
        channel = found.group(1) if found else layout.comments.get("channel") or stem
        named = {ref.name: ref for ref in self.guilds.values() if ref.name}
        community = named.get(guild_name)
        if community is None:
            community = CommunityRef(SOURCE, f"csv:{guild_name}", guild_name)
            self.guilds[community.external_id] = community
        return _Place(community, channel, None)

    def _csv(self, unit: Unit, text: str, layout: _dce_csv.CsvLayout) -> None:
        place = self._csv_places[unit.name]
        dates = DateReader([row.get("Date") or "" for row in _dce_csv.rows(text, layout)])
        seen: Counter[str] = Counter()
        reactions = 0
        for row in _dce_csv.rows(text, layout):
            author = (row.get("Author") or "").strip()
            uid = (row.get("AuthorID") or "").strip() or (f"name:{author}" if author else "")
            if not uid:
                self.skipped.add("messages without an author")
                continue
            if author.endswith(WEBHOOK):
                self.skipped.add("bot messages")
                continue
            name = author.split("#", 1)[0]
            self.names.add(name, uid)
            stamp, text = row.get("Date") or "", row.get("Content") or ""
            at = dates.read(stamp)
            system = CSV_SYSTEM_TEXT.get(text)
            if system == "GuildMemberJoin":
                key = f"join:{uid}:{int(at.timestamp())}"
                unit.events.append(
                    Event(
                        EventKind.MEMBER_JOINED,
                        place.community,
                        self._actor(uid, name),
                        at,
                        key,
                        place.channel,
                    )
                )
                continue
            if system is not None:
                self.skipped.add(f"system messages ({system})")
                continue
            identity = f"{uid}|{stamp}|{text}"
            seen[identity] += 1
            digest = hashlib.blake2b(f"{identity}|{seen[identity]}".encode(), digest_size=8).hexdigest()
            mid = f"csv:{place.channel}:{digest}"
            mentions = self.names.mentioned(text)
            event = Event(
                EventKind.MESSAGE,
                place.community,
                self._actor(uid, name),
                at,
                message_key(SOURCE, place.channel, mid),
                place.channel,
                mid,
                None,
                text,
                None,
                mentions,
            )
            unit.events.append(self.recogniser.place(unit, event))
            reactions += _reaction_count(row.get("Reactions") or "")
        self.skipped.add("CSV reactions (CSV names no reactor)", reactions)


def _reaction_count(cell: str) -> int:
    """How many reactions a CSV cell such as ``✅ (2),👍 (1)`` lists."""
    total = 0
    for part in cell.split(","):
        count = part.rsplit("(", 1)[-1].rstrip(") ")
        total += int(count) if count.isdigit() else 0
    return total
