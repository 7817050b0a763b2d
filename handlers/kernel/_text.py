"""Member text in, counted words out: the cleaning every accepted text gets, and plurals.

Written by hand on purpose: ``unicodedata`` already knows every character's category, which is
all "is anything visible left?" needs, and Ladder's nouns are a fixed handful whose plurals are
spelled out where they are used (a library such as ``inflect`` would guess them, at the price
of a dependency).
"""

import unicodedata
from functools import lru_cache

_KEPT_CONTROLS = frozenset("\n\t")
_SPACING_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})
"""Characters that only space or format text: trimmed from the ends of member text."""
_UNSEEN_CATEGORIES = _SPACING_CATEGORIES | {"Cn", "Co", "Cs", "Mn", "Me"}
"""Also nothing to read on their own: combining marks without a base, unassigned code points."""
_BLANK_GLYPHS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
"""Letters and symbols that draw nothing: Hangul fillers and the blank Braille pattern."""
_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
_VARIATION_SELECTORS = frozenset({"\ufe0e", "\ufe0f"})


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 call``, ``2 calls``, ``1 reply``, ``3 replies``: a count with its noun agreed."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {noun}"


def is_unseen(character: str) -> bool:
    """Say whether a character shows nothing: spaces, controls, zero-width and format marks,
    combining marks on their own, unassigned code points and blank glyphs."""
    return character in _BLANK_GLYPHS or unicodedata.category(character) in _UNSEEN_CATEGORIES


def is_blank(text: str) -> bool:
    """Say whether nothing readable is left once invisible characters are removed."""
    return all(is_unseen(character) for character in text)


def clean(text: str) -> str:
    """Member text as Ladder keeps it: control characters (NUL…) dropped, except line breaks
    and tabs, and invisible characters trimmed from both ends.

    Zero-width joiners inside the text stay: they hold emoji sequences together.
    """
    kept = "".join(c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) != "Cc")
    start, end = 0, len(kept)
    while start < end and _is_spacing(kept[start]):
        start += 1
    while end > start and _is_spacing(kept[end - 1]):
        end -= 1
    return kept[start:end]


def _is_spacing(character: str) -> bool:
    return character in _BLANK_GLYPHS or unicodedata.category(character) in _SPACING_CATEGORIES


@lru_cache(maxsize=4096)
def normalise_emoji(name: str) -> str:
    """One spelling per reaction: Slack's ``+1::skin-tone-3`` → ``+1``, ``👍🏽`` → ``👍``, ``❤️`` → ``❤``.

    Skin tones and emoji/text variation selectors do not change what a reaction means.
    """
    name = unicodedata.normalize("NFC", name.strip().strip(":")).split("::", 1)[0]
    return "".join(ch for ch in name if ch not in _SKIN_TONES and ch not in _VARIATION_SELECTORS)
