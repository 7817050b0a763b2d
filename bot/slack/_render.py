"""Neutral :class:`Message` → Block Kit, escaped so only the members a message names may be pinged.

Slack parses ``<…>`` in mrkdwn as mentions and links. The core defuses every mass mention as a
message is built; here, as defence in depth, every ``&``, ``<`` and ``>`` is escaped except
``<@id>`` tokens listed in ``Message.mentions`` and ``<#C…>`` channel links (which ping nobody).
Other ``<@id>`` tokens the core writes (a manager's confirmation, say) become a plain ``@name``,
in the mrkdwn text and in the plain-text header alike.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from handlers.kernel import Button, Message

Block = dict[str, Any]

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
FALLBACK_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
HOME_BLOCK_LIMIT = 100
ACTION_PREFIX = "ladder:"

_MEMBER_TOKEN = re.compile(r"<@([A-Za-z0-9]+)>")
_LIVE_CANDIDATE = re.compile(r"<@([A-Za-z0-9]+)>|<#[CG][A-Z0-9]+(?:\|[\w.\-]*)?>")
_STYLES = frozenset({"primary", "danger"})


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unlisted_members(message: Message) -> set[str]:
    """Member ids written ``<@id>`` in a message that it may not ping (shown by name instead)."""
    listed = set(message.mentions)
    found = {m.group(1) for m in _MEMBER_TOKEN.finditer(message.text)}
    for _, value in message.fields:
        found.update(m.group(1) for m in _MEMBER_TOKEN.finditer(value))
    return found - listed


def escape(text: str, live: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """Escape text for mrkdwn, keeping ``<@id>`` live only for ids in ``live``."""
    allowed = set(live)
    names = names or {}
    out: list[str] = []
    position = 0
    for match in _LIVE_CANDIDATE.finditer(text):
        out.append(_escape_plain(text[position : match.start()]))
        member = match.group(1)
        if member is None or member in allowed:
            out.append(match.group(0))
        else:
            out.append(_escape_plain("@" + names.get(member, member)))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def named(text: str, names: Mapping[str, str] | None = None) -> str:
    """Plain text (a header) shows every ``<@id>`` as ``@name``: nothing pings from a header, and
    a raw token would only read as noise."""
    names = names or {}
    return _MEMBER_TOKEN.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)


def _chunks(text: str, limit: int) -> list[str]:
    """Split text at line breaks into pieces Slack accepts (hard-splitting an overlong line)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces


def _button(button: Button, action_id: str) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": named(button.label)[:BUTTON_LABEL_LIMIT], "emoji": True},
        "action_id": action_id,
        "value": button.value[:BUTTON_VALUE_LIMIT],
    }
    if button.style in _STYLES:
        element["style"] = button.style
    return element


def action_id(button: Button, seen: dict[str, int]) -> str:
    """``ladder:<action>``, suffixed ``:<n>`` for repeats (Slack wants ids unique per block)."""
    count = seen.get(button.action, 0)
    seen[button.action] = count + 1
    base = ACTION_PREFIX + button.action
    return base if count == 0 else f"{base}:{count}"


def action_name(slack_action_id: str) -> str:
    """The core's action name back from a clicked ``action_id``."""
    return slack_action_id.removeprefix(ACTION_PREFIX).split(":", 1)[0]


def blocks(message: Message, names: Mapping[str, str] | None = None) -> list[Block]:
    """Block Kit for one message: header, mrkdwn text, fields, then its buttons."""
    live = message.mentions
    out: list[Block] = []
    if message.title:
        title = named(message.title, names)[:HEADER_LIMIT]
        out.append({"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}})
    for piece in _chunks(escape(message.text, live, names), SECTION_LIMIT):
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
    fields = [
        {
            "type": "mrkdwn",
            "text": f"*{_escape_plain(label)}*\n{escape(value, live, names)}"[:FIELD_LIMIT],
        }
        for label, value in message.fields
    ]
    for start in range(0, len(fields), 10):
        out.append({"type": "section", "fields": fields[start : start + 10]})
    seen: dict[str, int] = {}
    elements = [_button(b, action_id(b, seen)) for b in message.buttons]
    for start in range(0, len(elements), 25):
        out.append({"type": "actions", "elements": elements[start : start + 25]})
    if len(out) > MESSAGE_BLOCK_LIMIT:
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "…(shortened)"}]}
        out = [*out[: MESSAGE_BLOCK_LIMIT - 1], note]
    return out


def fallback_text(message: Message, names: Mapping[str, str] | None = None) -> str:
    """The notification and screen-reader text Slack shows where blocks are not rendered."""
    text = f"{message.title}\n{message.text}" if message.title else message.text
    return escape(text, message.mentions, names)[:FALLBACK_LIMIT]


def home_view(messages: Sequence[Message], names: Mapping[str, str] | None = None) -> Block:
    """The App Home tab: each message's blocks, separated by dividers, within Slack's limit."""
    out: list[Block] = []
    for message in messages:
        if out:
            out.append({"type": "divider"})
        out.extend(blocks(message, names))
    return {"type": "home", "blocks": out[:HOME_BLOCK_LIMIT]}
