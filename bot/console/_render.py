"""Rendering neutral messages as terminal text."""

import re
import textwrap

from handlers.kernel import Message

_MEMBER = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([^>|]+)(?:\|[^>]*)?>")
_BULLET = re.compile(r"^( *)((?:[•\-*]|\d+\.) )?")
FIELD_INDENT, ITEM_INDENT = "  ", "    • "
HANGING = "  "


def plain(text: str) -> str:
    """Turn neutral mention tokens into readable ``@handle`` / ``#channel``."""
    return _CHANNEL.sub(r"#\1", _MEMBER.sub(r"@\1", text))


def render(message: Message) -> str:
    """A message as a few lines of terminal text, with its buttons as console actions.

    Each field is a heading on its own line with its items below it, one a line, indented.
    """
    lines = []
    if message.title:
        lines.append(f"[{plain(message.title)}]")
    lines.append(plain(message.text))
    for name, value in message.fields:
        lines.append(f"{FIELD_INDENT}{plain(name)}")
        lines.extend(f"{ITEM_INDENT}{plain(item)}" for item in value.splitlines())
    if message.image is not None:
        lines.append(f"  (image {message.image.filename}, {len(message.image.data):,} bytes)")
    lines.extend(f"  [{b.label}] → press {b.action} {b.value}" for b in message.buttons)
    return "\n".join(lines)


def wrap(text: str, width: int) -> str:
    """Wrap each line to ``width``, its continuation indented: under the text of a bulleted line
    ("• ", "- ", "1. "), two spaces in from the start of any other line.

    The terminal (and rich) would wrap at column 0, so a long item would run into the left
    margin; ``textwrap`` keeps the hanging indent.
    """
    wrapped = []
    for line in text.splitlines():
        found = _BULLET.match(line)
        lead = len(found.group(0)) + (0 if found.group(2) else len(HANGING)) if found else 0
        wrapped.extend(
            textwrap.wrap(
                line,
                width=max(width, lead + 20),
                subsequent_indent=" " * lead,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(wrapped)
