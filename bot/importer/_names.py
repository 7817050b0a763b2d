"""Members named as ``@name`` in the text of exports that keep no mention ids.

DiscordChatExporter's CSV and its older JSON write a mention as ``@`` and the member's display
name, which may hold spaces ("@Ada Lovelace") or dots ("@ada.l"). The names of every author
read so far in the import are remembered (user name and nickname), and each ``@`` is matched to
the longest of them it starts; an address or ``user@example.org`` is no mention. Hand-written:
no library resolves names against a list this way, and the rule must stay explainable.
"""

import re
from collections import defaultdict

_AT = re.compile(r"(?<![\w.@])@(?P<word>[\w.\-]+)")


class KnownNames:
    """Authors' names seen so far in an import, to resolve ``@name`` mentions to member ids."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._by_first_word: defaultdict[str, list[str]] = defaultdict(list)

    def add(self, name: str, member: str) -> None:
        """Remember that ``name`` (a user name or a nickname) is ``member``."""
        name = name.strip()
        if not name or self._ids.get(name) == member:
            return
        if name not in self._ids:
            first = _first_word(name)
            self._by_first_word[first].append(name)
            self._by_first_word[first].sort(key=len, reverse=True)
        self._ids[name] = member

    def mentioned(self, text: str) -> tuple[str, ...]:
        """The members ``text`` mentions by name, in order, each once."""
        found: dict[str, None] = {}
        for match in _AT.finditer(text):
            after = match.start("word")
            for name in self._by_first_word.get(_first_word(match.group("word")), ()):
                if text.startswith(name, after):
                    found[self._ids[name]] = None
                    break
        return tuple(found)


def _first_word(name: str) -> str:
    """The part of a name a mention's first word must equal (trailing dots are punctuation)."""
    word = re.match(r"[\w.\-]*", name)
    return (word.group(0) if word else "").rstrip(".-")
