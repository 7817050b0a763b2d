"""Rendering neutral messages as discord.py sends them: embeds, pings, buttons, attachments."""

from bot.discord._render import FULL_TEXT, render
from bot.discord._views import LadderButton
from handlers.kernel import Button, Image, Message


def test_only_listed_members_may_be_pinged() -> None:
    """Mentions in ``mentions`` are pinged in the content; nothing else can ping."""
    rendered = render(Message(text="<@42> and <@7>: @everyone look", mentions=("42",)))
    assert rendered.content == "<@42>"
    assert dict(rendered.allowed_mentions.to_dict()) == {"parse": [], "users": [42]}


def test_no_mentions_means_no_content_and_no_pings() -> None:
    """A plain reply is an embed alone, with every ping switched off."""
    rendered = render(Message(text="@here <@&5> hello", title="Hi", fields=(("Level", "2"),)))
    assert rendered.content is None
    assert rendered.allowed_mentions.to_dict()["parse"] == []
    embed = rendered.embed.to_dict()
    assert embed["title"] == "Hi"
    assert embed["fields"] == [{"name": "Level", "value": "2", "inline": False}]


def test_image_is_attached_and_shown_in_the_embed() -> None:
    """The digest chart is uploaded and referenced as ``attachment://``."""
    image = Image("ladder-health.png", b"\x89PNG")
    rendered = render(Message(text="digest"), image)
    assert [f.filename for f in rendered.files()] == ["ladder-health.png"]
    assert rendered.embed.to_dict()["image"]["url"] == "attachment://ladder-health.png"


def test_long_text_is_clipped_in_the_embed_and_attached_whole() -> None:
    """Past Discord's 4096-character description the embed shows the start; the file has it all."""
    text = "x" * 5000
    rendered = render(Message(text=text))
    assert len(rendered.embed.description or "") == 4096
    (file,) = rendered.files()
    assert file.filename == FULL_TEXT
    assert file.fp.read() == text.encode()


def test_buttons_carry_action_value_and_server() -> None:
    """Buttons become persistent custom ids; one too long for Discord is left out, not broken."""
    buttons = (Button("Join", "call_join", "12", "primary"), Button("Huge", "call_join", "9" * 120))
    view = render(Message(text="call", buttons=buttons), guild_id=77).view
    assert view is not None
    (item,) = view.children
    assert isinstance(item, LadderButton)
    assert item.item.custom_id == "ladder:call_join:12|77"
    assert (item.action, item.value, item.guild_id) == ("call_join", "12", 77)


def test_no_buttons_no_view() -> None:
    """A message without buttons sends no components."""
    assert render(Message(text="plain")).view is None
