"""Defusing mass mentions in text Ladder repeats: no member's words may ping a crowd."""

import re

_ZERO_WIDTH = "\u200b"

_BARE_MASS = re.compile(r"@(everyone|here|channel)\b", re.IGNORECASE)
_ANGLE_TOKEN = re.compile(r"<([!@#]|@&)")


def defuse(text: str) -> str:
    """Return ``text`` with every mention token made inert, keeping it readable.

    Covers ``@everyone``/``@here``/``@channel``, Slack's ``<!channel>``, ``<!here>``,
    ``<!everyone>``, ``<!subteam^…>`` and ``<@U…>``, and Discord's ``<@id>``, ``<@&role>`` and
    ``<#channel>``: a zero-width space after ``@`` or ``<`` stops both platforms' parsers while
    the text still reads the same.
    """
    text = _ANGLE_TOKEN.sub(lambda m: "<" + _ZERO_WIDTH + m.group(1), text)
    return _BARE_MASS.sub(lambda m: "@" + _ZERO_WIDTH + m.group(1), text)


def plain_quote(text: str, limit: int = 300) -> str:
    """Defuse and shorten member text for quoting in a notice."""
    text = defuse(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
