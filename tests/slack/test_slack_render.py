"""Block Kit rendering: what members see, and that only the members a message names are pinged."""

from bot.slack import _render
from handlers.kernel import Button, Message, Visibility, defuse

INJECTIONS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam^S1>", "<@U999>")


def test_listed_mention_stays_live_and_unlisted_becomes_a_name() -> None:
    """A reply may ping the members it lists; anyone else it names is shown as plain @name."""
    message = Message(text="<@U1> answered <@U2>", mentions=("U1",))
    text = _render.escape(message.text, message.mentions, {"U2": "Hal"})
    assert text == "<@U1> answered @Hal"


def test_every_mass_mention_is_escaped_even_without_the_cores_defusing() -> None:
    """Defence in depth: raw <!channel>, <!here>, <!everyone>, <!subteam^…> never go out live."""
    for token in INJECTIONS:
        rendered = _render.escape(f"please {token} & thanks", ())
        assert "<" not in rendered and ">" not in rendered, token
        assert "&amp; thanks" in rendered


def test_defused_text_stays_inert_after_escaping() -> None:
    """Text the core has already defused still reads the same and pings nobody."""
    rendered = _render.escape(defuse("hey <!here> and <@U999>"), ())
    assert "<!here>" not in rendered and "<@U999>" not in rendered
    assert "here" in rendered and "U999" in rendered


def test_channel_links_stay_clickable() -> None:
    """A ``<#C…>`` link pings nobody, so the digest's channel stays a link."""
    assert _render.escape("Digest goes to <#C0DIGEST>.", ()) == "Digest goes to <#C0DIGEST>."


def test_message_becomes_header_section_fields_and_buttons() -> None:
    """A neutral message maps onto the Block Kit a member sees, in reading order."""
    message = Message(
        text="Call #3 needs *2* people",
        title="Review the docs",
        fields=(("Need", "2"), ("Deadline", "Friday")),
        buttons=(
            Button("Join", "call_join", "3", "primary"),
            Button("Leave", "call_leave", "3"),
        ),
        visibility=Visibility.CHANNEL,
    )
    blocks = _render.blocks(message)
    assert [b["type"] for b in blocks] == ["header", "section", "section", "actions"]
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Review the docs", "emoji": True}
    assert blocks[1]["text"] == {"type": "mrkdwn", "text": "Call #3 needs *2* people"}
    assert blocks[2]["fields"][0] == {"type": "mrkdwn", "text": "*Need*\n2"}
    join, leave = blocks[3]["elements"]
    assert (join["action_id"], join["value"], join["style"]) == ("ladder:call_join", "3", "primary")
    assert (leave["action_id"], leave["value"]) == ("ladder:call_leave", "3")
    assert "style" not in leave


def test_repeated_actions_get_unique_ids_that_map_back() -> None:
    """Two Join buttons in one message need distinct action_ids; both still mean call_join."""
    message = Message(
        text="x", buttons=(Button("Join 1", "call_join", "1"), Button("Join 2", "call_join", "2"))
    )
    ids = [e["action_id"] for e in _render.blocks(message)[-1]["elements"]]
    assert ids == ["ladder:call_join", "ladder:call_join:1"]
    assert {_render.action_name(i) for i in ids} == {"call_join"}


def test_long_text_is_split_within_slacks_section_limit() -> None:
    """A long roster is split at line breaks into sections Slack accepts, losing nothing."""
    lines = [f"• member {n} — level 3 Helper, on roster" for n in range(200)]
    blocks = _render.blocks(Message(text="\n".join(lines)))
    assert len(blocks) > 1
    assert all(len(b["text"]["text"]) <= _render.SECTION_LIMIT for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == "\n".join(lines)


def test_fallback_text_is_escaped_too() -> None:
    """The notification text is parsed by Slack as well, so it is escaped like the blocks (the
    message itself already defused the mass mention when it was built)."""
    text = _render.fallback_text(Message(text="<!channel> & <@U9> look", title="Q <@U9>"))
    assert text == "Q @U9\n&lt;\u200b!channel&gt; &amp; @U9 look"


def test_a_header_shows_member_tokens_as_names() -> None:
    """A header is plain text: a member named in it reads as @name, never as a raw token."""
    header = _render.blocks(Message(text="x", title="Call for <@U2>"), {"U2": "Hal"})[0]
    assert header["text"]["text"] == "Call for @Hal"


def test_home_view_stays_within_slacks_block_limit() -> None:
    """However much the core says, the App Home view is one Slack accepts."""
    many = [Message(text=f"line {n}", title=f"Part {n}") for n in range(80)]
    view = _render.home_view(many)
    assert view["type"] == "home"
    assert len(view["blocks"]) == _render.HOME_BLOCK_LIMIT
