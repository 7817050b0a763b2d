"""How Ladder knows an answer helped: marks, reactions and thanks words, and their limits."""

from typing import Annotated

from pydantic import AfterValidator, Field

from handlers.kernel._config_base import Strict
from handlers.kernel._text import normalise_emoji

EXPLICIT_MARKS = ("✅", "✔️", "☑️", "white_check_mark", "heavy_check_mark", "ballot_box_with_check")
POSITIVE_REACTIONS = (
    *EXPLICIT_MARKS,
    "👍",
    "🙌",
    "🙏",
    "❤️",
    "🎉",
    "💯",
    "+1",
    "thumbsup",
    "raised_hands",
    "pray",
    "heart",
    "tada",
    "100",
)
THANKS_WORDS = (
    "thanks",
    "thank you",
    "thx",
    "ty",
    "cheers",
    "that worked",
    "works now",
    "solved it",
    "thankyou",
    "thank u",
    "thanx",
    "tysm",
    "much appreciated",
    "appreciate it",
    "that helped",
    "that did it",
    "that fixed it",
)


def _emoji(name: str) -> str:
    """An emoji or emoji name that still names something once normalised."""
    if not normalise_emoji(name):
        raise ValueError(f"{name!r} is not an emoji or emoji name")
    return name


def _words(words: str) -> str:
    """Thanks words: at least one letter."""
    if not any(ch.isalpha() for ch in words):
        raise ValueError(f"{words!r} has no word in it")
    return words


Emoji = Annotated[str, AfterValidator(_emoji)]
Words = Annotated[str, AfterValidator(_words)]


class Acceptance(Strict):
    """How Ladder knows an answer helped, and the limits that keep acceptance honest.

    Emoji are compared after normalisation (skin tones, variation selectors and Slack's colons
    dropped), so ``+1::skin-tone-2`` and 👍🏽 are both ``+1``/👍. Thanks words match whole words,
    case-insensitively.
    """

    explicit_marks: tuple[Emoji, ...] = Field(default=EXPLICIT_MARKS, min_length=1)
    positive_reactions: tuple[Emoji, ...] = POSITIVE_REACTIONS
    thanks_words: tuple[Words, ...] = THANKS_WORDS
    thanks_window_hours: int = Field(default=24, ge=1, le=24 * 30)
    max_accepted_answers: int = Field(default=3, ge=1, le=20)
    same_asker_max: int = Field(default=3, ge=1)
    same_asker_window_days: int = Field(default=7, ge=1, le=365)
    answer_given_max_per_day: int = Field(default=5, ge=0)
