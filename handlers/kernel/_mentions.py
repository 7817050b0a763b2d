"""Defusing mentions in text Ladder repeats: no member's words may ping a crowd.

Two strengths. :func:`defuse_mass` makes every mass mention inert and is applied to every
:class:`~handlers.kernel.Message` when it is built, whatever code built it: Ladder itself never
writes a mass mention, so nothing it means to say is lost. :func:`defuse` also makes member
and channel tokens inert, for member text quoted inside Ladder's own sentences (where Ladder's
own ``<@id>`` tokens sit beside it and must stay readable).
"""

import re

ZERO_WIDTH = "\u200b"

_MASS_WORD = re.compile(r"@(?=everyone|here|channel)", re.IGNORECASE)
"""``@everyone``, ``@here``, ``@channel`` with anything after them: Discord pings on
``@everyone_x`` and ``@here2`` alike, so no word boundary is required."""
_MASS_TOKEN = re.compile(r"<(?=!|@&)")
"""Slack's ``<!channel>``, ``<!here>``, ``<!everyone>``, ``<!subteam^…>`` and Discord's
role mention ``<@&id>``."""
_ANY_TOKEN = re.compile(r"<(?=[!@#])")
"""Every angle-bracket token: the mass ones, ``<@member>`` and ``<#channel>``."""


def defuse_mass(text: str) -> str:
    """Return ``text`` with every mass mention made inert, keeping it readable.

    A zero-width space after ``@`` or ``<`` stops both platforms' parsers while the text still
    reads the same. Idempotent: defused text is left as it is.
    """
    text = _MASS_TOKEN.sub("<" + ZERO_WIDTH, text)
    return _MASS_WORD.sub("@" + ZERO_WIDTH, text)


def defuse(text: str) -> str:
    """Return member text with every mention token made inert: the mass ones, and ``<@id>`` and
    ``<#channel>`` as well (a member's quoted words name nobody on Ladder's behalf)."""
    return defuse_mass(_ANY_TOKEN.sub("<" + ZERO_WIDTH, text))


def plain_quote(text: str, limit: int = 300) -> str:
    """Defuse and shorten member text for quoting in a notice."""
    text = defuse(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
