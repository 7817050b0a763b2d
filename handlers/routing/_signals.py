"""The signals by which an asker says an answer helped: a mark, a positive reaction, thanks in words.

Real askers rarely perform a ritual (DESIGN.md, "How Ladder knows an answer helped"): they react
to a reply or thank in words. This module reads one reaction or one message and says which signal
it is, if any; which answer a signal credits is the rulebook's business (:mod:`handlers.rulebook`).

Thanks are read by hand-written rules rather than a language model (none can be downloaded here,
and the rules must be explainable): whole words and phrases from the config, case-insensitive,
outside code and quoted lines, with the honest edges people actually write — "no thanks",
"thanks anyway", "thanks in advance", "thanks but it still doesn't work".
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from handlers.kernel import Acceptance, normalise_emoji
from models import AcceptanceSignal

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_QUOTED = re.compile(r"^[ \t]*(?:>|&gt;).*$", re.MULTILINE)
# Links, platform mentions (``<@U…>``) and mentions exports write as text (``@name``).
_LINKS = re.compile(r"<[^>\s]*>|https?://\S+|(?<![\w.@])@[\w.\-]+")
_NEGATED_BEFORE = re.compile(r"\bno\s*[,!.]*\s*$")
_NEGATED_AFTER = re.compile(
    r"^\s*[,!.]*\s*(?:anyway|anyways|though|in advance|ahead of time|for nothing|for trying|but no)\b"
)
_FAILURE = re.compile(
    r"\b(?:still\s+(?:doesn't|does not|didn't|did not|isn't|is not|not|fails?|failing|broken|getting|"
    r"get|have|having|seeing|the same|no)"
    r"|(?:doesn't|does not|didn't|did not|isn't|is not|won't|will not|can't|cannot)\s+"
    r"(?:work|help|fix|solve|seem|change|run|compile)"
    r"|not\s+work(?:ing|s)?|no luck|no dice|same\s+(?:error|issue|problem|result|thing))\b"
)
_SUCCESS = re.compile(r"\b(?:works now|working now|that worked|it works|solved it|fixed it|got it working)\b")
_CONTRAST = re.compile(r"^\s*[,!.]*\s*(?:but|however)\b(?P<rest>.*)", re.DOTALL)
_EVERYONE = re.compile(
    r"^\s*[,!.]*\s*(?:so much\s+|a lot\s+|again\s+)?(?:all|both|everyone|everybody|guys|folks|y'all|"
    r"you all|you both|team|people)\b"
)
_SHORTCODES = re.compile(r"(?::[^:\s]+:)+")


class Thanks(StrEnum):
    """What a message says about the replies before it."""

    NONE = "none"
    ONE = "one"
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Signals:
    """The config's marks, reactions and thanks words, normalised and compiled once."""

    explicit: frozenset[str]
    positive: frozenset[str]
    thanks: re.Pattern[str]
    stems: re.Pattern[str]
    """The longest word of every thanks phrase, lowercase, matched anywhere (:meth:`may_thank`)."""
    phrase_words: tuple[tuple[str, ...], ...]
    """Every thanks phrase's words, lowercase (:meth:`may_thank`)."""
    signs: re.Pattern[str]
    """Any single-character positive emoji (:meth:`may_thank`)."""
    ascii_signs: bool
    """Whether one of them is ASCII (not by default: plain ASCII chat then skips the search)."""

    def of_reaction(self, emoji: str) -> AcceptanceSignal | None:
        """An explicit mark, a positive reaction, or None for any other emoji."""
        name = normalise_emoji(emoji)
        if name in self.explicit:
            return AcceptanceSignal.EXPLICIT
        if name in self.positive:
            return AcceptanceSignal.REACTION
        return None

    def read_thanks(self, text: str) -> Thanks:
        """Whether a message thanks for a reply (or every recent one: "thanks all")."""
        if not self.may_thank(text):
            return Thanks.NONE
        plain = _plain(text)
        if self._only_positive_emoji(plain):
            return Thanks.ONE
        found = Thanks.NONE
        for match in self.thanks.finditer(plain):
            before, after = plain[: match.start()], plain[match.end() :]
            if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(after):
                continue
            if _fails_after(after) or _failed_before(plain[: match.end()]):
                return Thanks.NONE
            if _EVERYONE.match(after):
                return Thanks.EVERYONE
            found = Thanks.ONE
        return found

    def may_thank(self, text: str) -> bool:
        """Whether a message could read as thanks at all: every word of some thanks phrase is in it
        (as a substring, any case), or a positive emoji or a ``:shortcode:`` is, or it is not NFC.

        A cheap necessary condition, checked first because most messages are chat: whatever
        :func:`_plain` removes only turns characters into spaces, so the words of a thanks phrase
        it leaves were already substrings of the lowercased text, and a message of positive emoji
        alone holds one of them or a shortcode.
        """
        if ":" in text and _SHORTCODES.search(text):
            return True
        if text.isascii():
            if self.ascii_signs and self.signs.search(text):
                return True
            lowered = text.lower()
        elif self.signs.search(text) or not unicodedata.is_normalized("NFC", text):
            return True
        else:
            lowered = _folded(text.lower())
        if not self.stems.search(lowered):
            return False
        return any(all(word in lowered for word in phrase) for phrase in self.phrase_words)

    def _only_positive_emoji(self, plain: str) -> bool:
        """A message of nothing but positive emoji (":+1:", "🙏🙏") thanks like a reaction does."""
        tokens = plain.split()
        if not tokens:
            return False
        for token in tokens:
            if _SHORTCODES.fullmatch(token):
                names = [
                    normalise_emoji(n) for n in token.strip(":").split("::") if not n.startswith("skin-")
                ]
            else:
                names = [ch for ch in normalise_emoji(token) if not ch.isspace()]
            if not names or any(name not in self.positive for name in names):
                return False
        return True


def _plain(text: str) -> str:
    """The words a member wrote themselves: no code, no quoted lines, no links or mentions."""
    text = _CODE.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    text = _LINKS.sub(" ", text)
    return text.replace("’", "'").replace("‘", "'").lower()


def _fails_after(after: str) -> bool:
    """“thanks, but it still doesn't work” / “thanks! same error”: the reply did not help."""
    contrast = _CONTRAST.match(after)
    if contrast and ("?" in contrast.group("rest") or _FAILURE.search(contrast.group("rest"))):
        return True
    return bool(_FAILURE.search(after))


def _failed_before(upto: str) -> bool:
    """“still doesn't work. thanks” thanks for trying, unless it says it works after all."""
    failures = list(_FAILURE.finditer(upto))
    if not failures:
        return False
    return not _SUCCESS.search(upto, failures[-1].end())


def _folded(lowered: str) -> str:
    """Lowercased text with one apostrophe (as :func:`_plain` writes it) and one Greek sigma
    (lowercasing picks σ or ς by the letter's place in the word, which a substring may not keep)."""
    return lowered.replace("’", "'").replace("‘", "'").replace("ς", "σ")


def _phrase_words(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each thanks phrase as its lowercase words, folded as :func:`_folded` folds text."""
    return tuple(tuple(_folded(w.lower()).split()) for w in words if w.strip())


def _stems(phrases: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """The longest word of each phrase, found anywhere: one search rejects most chat (a stem
    holding another is left out: the shorter one is found wherever the longer one is)."""
    longest = {max(words, key=len) for words in phrases}
    stems = sorted((s for s in longest if not any(o != s and o in s for o in longest)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, stems)) or "(?!)")


def _signs(positive: frozenset[str]) -> re.Pattern[str]:
    """Any positive emoji of one character (the only ones a message can be made of)."""
    singles = sorted(name for name in positive if len(name) == 1)
    return re.compile(f"[{''.join(map(re.escape, singles))}]" if singles else "(?!)")


def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words or phrases, longest first, any run of spaces between their words."""
    parts = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(p) for p in phrase.split()) for phrase in parts)
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])")


@cache
def signals_for(acceptance: Acceptance) -> Signals:
    """The compiled signals of a config (cached: configs are immutable)."""
    positive = frozenset(normalise_emoji(e) for e in acceptance.positive_reactions)
    return Signals(
        explicit=frozenset(normalise_emoji(e) for e in acceptance.explicit_marks),
        positive=positive,
        thanks=_phrases(acceptance.thanks_words),
        stems=_stems(_phrase_words(acceptance.thanks_words)),
        phrase_words=_phrase_words(acceptance.thanks_words),
        signs=_signs(positive),
        ascii_signs=any(len(name) == 1 and name.isascii() for name in positive),
    )
