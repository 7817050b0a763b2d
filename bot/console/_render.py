"""Rendering neutral messages as terminal text."""

import re

from handlers.kernel import Message

_MEMBER = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([^>|]+)(?:\|[^>]*)?>")


def plain(text: str) -> str:
    """Turn neutral mention tokens into readable ``@handle`` / ``#channel``."""
    return _CHANNEL.sub(r"#\1", _MEMBER.sub(r"@\1", text))


def render(message: Message) -> str:
    """A message as a few lines of terminal text, with its buttons as console actions."""
    lines = []
    if message.title:
        lines.append(f"[{plain(message.title)}]")
    lines.append(plain(message.text))
    lines.extend(f"  {name}: {plain(value)}" for name, value in message.fields)
    if message.image is not None:
        lines.append(f"  (image {message.image.filename}, {len(message.image.data):,} bytes)")
    lines.extend(f"  [{b.label}] → press {b.action} {b.value}" for b in message.buttons)
    return "\n".join(lines)
