"""No text a member typed can ping a crowd, or anyone a message does not name, on Slack or Discord.

Every text Ladder sends is a :class:`Message`; its mass mentions are defused when it is built and
each adapter shows member tokens outside ``Message.mentions`` as names. The properties below
render messages the way the Slack and Discord adapters do and look for anything live.
"""

import json
import re

from core_harness import FAST, Harness, with_harness
from hypothesis import given
from hypothesis import strategies as st

from bot.discord._render import render as discord_render
from bot.slack._render import blocks as slack_blocks
from bot.slack._render import fallback_text as slack_fallback
from handlers.kernel import Button, Message

MASS = re.compile(r"<!|<@&|@(?:everyone|here|channel)", re.IGNORECASE)
"""A Slack special (``<!channel>``, ``<!subteam^…>``), a Discord role ping, or a bare mass word
(the defused form has a zero-width space after the ``@``, so it does not match)."""
MEMBER_TOKEN = re.compile(r"<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>")

KNOWN_TRAPS = ("@everyone_x", "@here2", "x@everyone", "@Channel!", "<!here|here>", "<@&42>", "<@U999>")
FRAGMENTS = st.sampled_from(
    [
        "@", "everyone", "here", "channel", "Everyone", "HERE", "<", ">", "!", "&", "#", "^",
        "subteam", "|", "U1", "U999", "42", "7", "_x", "2", " ", "\u200b", "x", ":", "\n", "@&",
        "@everyone", "@here", "<!channel>", "<@U1>", "<@42>", *KNOWN_TRAPS,
    ]
)  # fmt: skip
MEMBER_TEXT = st.one_of(st.lists(FRAGMENTS, max_size=30).map("".join), st.text(max_size=60))


def slack_live(message: Message) -> list[str]:
    """What would be live in Slack's rendering of a message: the header, sections, fields,
    buttons and the notification text."""
    shown = slack_fallback(message) + "\n" + json.dumps(slack_blocks(message), ensure_ascii=False)
    found = [m.group(0) for m in MASS.finditer(shown)]
    found += [m.group(0) for m in MEMBER_TOKEN.finditer(shown) if m.group(1) not in message.mentions]
    return found


def discord_live(message: Message) -> list[str]:
    """What could ping in Discord's rendering: the content and ``allowed_mentions`` (embeds never
    ping), plus any mass mention shown anywhere in the embed."""
    rendered = discord_render(message)
    allowed = rendered.allowed_mentions.to_dict()
    found = [f"parse={p}" for p in allowed.get("parse", [])]
    found += [f"user={u}" for u in allowed.get("users", []) if str(u) not in message.mentions]
    content = rendered.content or ""
    found += [m.group(0) for m in MEMBER_TOKEN.finditer(content) if m.group(1) not in message.mentions]
    shown = content + json.dumps(rendered.embed.to_dict(), ensure_ascii=False)
    found += [m.group(0) for m in MASS.finditer(shown)]
    return found


def assert_nothing_live(messages: list[Message]) -> None:
    """Neither platform's rendering of any message carries a live mass or stranger mention."""
    assert messages
    for message in messages:
        assert slack_live(message) == [], message
        assert discord_live(message) == [], message


@given(
    title=MEMBER_TEXT,
    text=MEMBER_TEXT,
    field=MEMBER_TEXT,
    label=MEMBER_TEXT,
    mentions=st.lists(st.sampled_from(["U1", "42"]), unique=True, max_size=2),
)
def test_no_message_built_from_member_text_renders_live(
    title: str, text: str, field: str, label: str, mentions: list[str]
) -> None:
    """Member text in any part of any message, beside Ladder's own words, pings nobody unlisted."""
    message = Message(
        text=f"<@U1> replied: {text}",
        title=f"Call #3: {title}",
        fields=((field, field),),
        buttons=(Button(label or "Join", "call_join", "3"),),
        mentions=tuple(mentions),
    )
    assert_nothing_live([message])


def test_suffixed_mass_mentions_are_defused() -> None:
    """`@everyone_x`, `@here2` and `x@everyone` ping on Discord: they are defused like the rest."""
    for trap in KNOWN_TRAPS:
        assert_nothing_live([Message(text=trap, title=trap, fields=((trap, trap),))])


def sent_and_replied(harness: Harness, replies: list[Message]) -> list[Message]:
    """Every message the members saw: notices the port sent and the replies to commands."""
    return [s.message for s in harness.port.sent if s.message is not None] + replies


async def repeat_member_text(harness: Harness, text: str) -> list[Message]:
    """Put one member text everywhere Ladder repeats one: a call title, a promote reason, quest
    evidence, a review note and a question; return every message that followed."""
    await harness.set_level("helper", 3)
    await harness.set_level("newbie", 1)
    harness.port.clear()
    title = text.replace('"', "'")
    commands = [
        ("manager", f'call new "{title}" need=1 post=yes'),
        ("helper", "call join 1"),
        ("manager", f"promote @helper 4 {text}"),
        ("newbie", f"quest submit read-the-guide {text}"),
        ("manager", f"quest reject @newbie read-the-guide {text}"),
        ("newbie", f"ask {text}"),
        ("manager", "call list"),
        ("newbie", "quests"),
    ]
    replies: list[Message] = []
    for who, command in commands:
        replies += await harness.say(who, command)
    return sent_and_replied(harness, replies)


async def test_every_repeated_member_text_is_inert(harness: Harness) -> None:
    """Call title, promote reason, review note, evidence and question: nothing live in any DM
    header, title, text or channel post."""
    trap = " ".join(KNOWN_TRAPS) + " <!channel> <!subteam^S1> @everyone"
    messages = await repeat_member_text(harness, f"Party {trap}")
    titles = [m.title for m in messages]
    assert any(t.startswith("Call #1: Party @\u200beveryone_x") for t in titles), titles
    assert any("Reason: Party @\u200beveryone_x" in m.text for m in messages)
    assert any("Note: Party @\u200beveryone_x" in m.text for m in messages)
    assert_nothing_live(messages)


@FAST
@given(text=MEMBER_TEXT.filter(lambda t: t.strip()))
def test_no_member_text_goes_live_through_the_service(text: str) -> None:
    """Whatever a member types into the texts Ladder repeats, no rendering of what follows is live."""

    async def body(harness: Harness) -> None:
        assert_nothing_live(await repeat_member_text(harness, text))

    with_harness(body)
