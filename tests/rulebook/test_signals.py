"""Reading one reaction or one message: which signal, if any, says an answer helped."""

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app
from handlers.kernel import Acceptance
from handlers.routing import Signals, Thanks, signals_for
from models import AcceptanceSignal

SIGNALS = signals_for(Acceptance())


@pytest.mark.parametrize(
    "text",
    [
        "Thanks!",
        "thank you so much <@U0HELPER>",
        "TY",
        "thx, works now",
        "Cheers, that worked!",
        "It didn't work at first but works now, thanks!",
        "solved it 🎉",
        "Thanks, I did not know that!",
        ":+1:",
        "🙏🏽🙏",
        ":pray: :+1::skin-tone-2:",
        "@ada.okafor 🙏",
        "👍 @bob",
    ],
)
def test_thanks_in_words_or_positive_emoji_alone(text: str) -> None:
    """Whole thanks words and phrases, any case, or a message of only positive emoji."""
    assert SIGNALS.read_thanks(text) is Thanks.ONE


@pytest.mark.parametrize(
    "text",
    [
        "no thanks",
        "No, thank you.",
        "thanks anyway",
        "didn't work, thanks anyway",
        "Thanks in advance!",
        "Any ideas? thx in advance",
        "thanks but it still doesn't work",
        "Thanks! Same error though",
        "Thanks, but how do I run it on Windows?",
        "Still doesn't work. Thanks",
        "thanks for trying",
        "`thanks`",
        "```\nprint('thanks')\n```",
        "> thanks, that worked\nthat's what the docs say",
        "Happy Thanksgiving",
        "Tyler wrote that part",
        ":smile:",
        "",
    ],
)
def test_honest_edges_are_not_thanks(text: str) -> None:
    """Declining, thanking ahead, thanking for trying, quoting or coding a thanks is not one."""
    assert SIGNALS.read_thanks(text) is Thanks.NONE


@pytest.mark.parametrize(
    "text", ["thanks all!", "Thank you both", "thanks guys, that worked", "thx everyone"]
)
def test_thanks_to_everyone(text: str) -> None:
    """“Thanks all” thanks every helper of the thread, not only the latest."""
    assert SIGNALS.read_thanks(text) is Thanks.EVERYONE


@pytest.mark.parametrize(
    ("emoji", "signal"),
    [
        ("white_check_mark", AcceptanceSignal.EXPLICIT),
        ("heavy_check_mark", AcceptanceSignal.EXPLICIT),
        ("✔️", AcceptanceSignal.EXPLICIT),
        ("☑", AcceptanceSignal.EXPLICIT),
        ("+1::skin-tone-3", AcceptanceSignal.REACTION),
        ("thumbsup", AcceptanceSignal.REACTION),
        ("👍🏿", AcceptanceSignal.REACTION),
        ("❤️", AcceptanceSignal.REACTION),
        (":tada:", AcceptanceSignal.REACTION),
        ("💯", AcceptanceSignal.REACTION),
        ("raised_hands", AcceptanceSignal.REACTION),
        ("clap", None),
        ("eyes", None),
        ("😂", None),
    ],
)
def test_reactions_after_normalisation(emoji: str, signal: AcceptanceSignal | None) -> None:
    """Check marks are explicit; 👍 in any skin tone, 🙌 🙏 ❤️ 🎉 💯 acknowledge; others mean nothing."""
    assert SIGNALS.of_reaction(emoji) == signal


def test_the_community_sets_its_own_words_and_reactions() -> None:
    """A community that thanks with "merci" and reacts 👏 is read on its own terms."""
    own = signals_for(Acceptance(thanks_words=("merci", "ça marche"), positive_reactions=("clap", "👏")))
    assert own.read_thanks("Merci beaucoup !") is Thanks.ONE
    assert own.read_thanks("ça   marche") is Thanks.ONE
    assert own.read_thanks("thanks!") is Thanks.NONE
    assert own.of_reaction("clap::skin-tone-2") is AcceptanceSignal.REACTION
    assert own.of_reaction("+1") is None


def test_config_check_names_bad_acceptance_settings_by_key_path(tmp_path: Path) -> None:
    """`ladder config check` reports an empty emoji, a word-less thanks and a bad limit by path."""
    path = tmp_path / "ladder.toml"
    path.write_text(
        '[acceptance]\npositive_reactions = ["👍", "::"]\nthanks_words = ["thanks", "!!"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 1
    assert "acceptance.positive_reactions.1: '::' is not an emoji or emoji name" in result.output
    assert "acceptance.thanks_words.1: '!!' has no word in it" in result.output
    path.write_text("[acceptance]\nmax_accepted_answers = 0\nthanks_window_hours = 24\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 1 and "acceptance.max_accepted_answers" in result.output


class _ReadsEverything(Signals):
    """The same signals without the cheap pre-check: every message is read in full."""

    def may_thank(self, text: str) -> bool:
        """Let every message through to the full reading."""
        return True


OWN = signals_for(
    Acceptance(
        thanks_words=("ευχαριστώ πολύ", "thanks", "that did it", "that's it", "ça marche"),
        positive_reactions=("+", "👏"),
    )
)
FRAGMENTS = [
    *("Thanks", "THANK YOU", "thank", "you", "ty", "TYSM", "that", "did", "it", "worked", "works now"),
    *("ΕΥΧΑΡΙΣΤΏ", "ΠΟΛΎ", "ευχαριστώ", "πολύ", "ΠΟΛΎΣ", "ça", "Ça", "marche", "c\u0327a", "that’s"),
    *("no", "anyway", "in advance", "but", "still doesn't work", "all", "everyone", "?", "!", ",", "."),
    *(" ", "  ", "\n", "\n> ", "&gt; ", "`", "```", "<@U1>", "<https://x.y/thanks>", "https://x.y/", "@bob"),
    *(
        "’",
        "'",
        "‘",
        "👍",
        "🙏🏽",
        "👏",
        "❤️",
        "+",
        ":+1:",
        ":pray:",
        ":+1::skin-tone-2:",
        ":smile:",
        "e\u0301",
    ),
]


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=10),
    own=st.booleans(),
)
def test_the_cheap_pre_check_never_changes_a_reading(pieces: list[str], own: bool) -> None:
    """A message the pre-check lets skip the full reading reads the same as if read in full:
    thanks words in any case, split by code, quotes, links and mentions, curly apostrophes,
    Greek sigma, emoji and shortcodes, in the default and in a community's own words."""
    signals = OWN if own else SIGNALS
    full = _ReadsEverything(**{f.name: getattr(signals, f.name) for f in dataclasses.fields(signals)})
    text = "".join(pieces)
    assert signals.read_thanks(text) is full.read_thanks(text)


def test_chat_skips_the_full_reading_and_thanks_does_not() -> None:
    """The pre-check lets plain chat skip the regexes (that is its whole point) and never thanks."""
    assert not SIGNALS.may_thank("The build is green again after the merge")
    assert not SIGNALS.may_thank("so that is why the build broke")  # "that" without "did it"
    assert SIGNALS.may_thank("Thanks!") and SIGNALS.may_thank("🙏") and SIGNALS.may_thank(":+1:")
    assert OWN.may_thank("+") and OWN.may_thank("ΕΥΧΑΡΙΣΤΏ ΠΟΛΎ")
