"""DiscordChatExporter's JSON layout: the header (server, channel) and the messages, one at a time.

Every JSON export DiscordChatExporter has written is one object: ``guild``, ``channel`` (newer
versions add ``categoryId``/``category``, for a thread naming its parent channel), ``dateRange``,
``exportedAt``, then ``messages`` and ``messageCount``. The header is read from the first bytes
alone (telling what a file is must not decode a channel of a million messages), and messages are
decoded one by one from the text, so a large channel never becomes one huge tree in memory. Written
by hand on the standard library's ``raw_decode``: no streaming JSON parser is a dependency.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

_MESSAGES = re.compile(r'"messages"\s*:\s*\[')
_BETWEEN = re.compile(r"[\s,]*")
_DECODER = json.JSONDecoder()

THREAD_TYPES = frozenset({"GuildPublicThread", "GuildPrivateThread", "GuildNewsThread", "10", "11", "12"})
DIRECT_TYPES = frozenset({"DirectTextChat", "DirectGroupTextChat", "1", "3"})


def header(text: str) -> dict[str, Any] | None:
    """The ``guild``/``channel`` header of an export's first bytes, or None if it is not one."""
    found = _MESSAGES.search(text)
    if found is None:
        return None
    try:
        head = json.loads(text[: found.start()].rstrip().rstrip(",") + "}")
    except ValueError:
        return None
    if not isinstance(head, dict) or not isinstance(head.get("guild"), dict):
        return None
    if not isinstance(head.get("channel"), dict) or "id" not in head["channel"]:
        return None
    return head


def is_thread(channel: dict[str, Any]) -> bool:
    """A thread or forum post (by name, or by number in exporters that lacked the name)."""
    return str(channel.get("type") or "") in THREAD_TYPES


def is_direct(guild: dict[str, Any], channel: dict[str, Any]) -> bool:
    """A direct-message conversation: DiscordChatExporter files those under server 0."""
    return str(guild.get("id")) == "0" or str(channel.get("type") or "") in DIRECT_TYPES


def messages(text: str) -> Iterator[dict[str, Any]]:
    """Each message object of an export's text, decoded one at a time."""
    found = _MESSAGES.search(text)
    if found is None:
        raise ValueError("not a DiscordChatExporter JSON export (no messages array)")
    position = found.end()
    end = len(text)
    while True:
        position = _BETWEEN.match(text, position).end()  # type: ignore[union-attr]
        if position >= end:
            raise ValueError("the messages array is cut short (an interrupted export?)")
        if text[position] == "]":
            return
        message, position = _DECODER.raw_decode(text, position)
        if not isinstance(message, dict):
            raise ValueError("a message is not a JSON object")
        yield message
