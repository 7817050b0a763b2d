"""Neutral messages out as Discord embeds, with buttons, an attached chart and safe mentions.

Mentions inside an embed never notify anyone, so the members a message means to ping are
repeated in the plain content, and ``allowed_mentions`` lets exactly those through: never
``@everyone``, ``@here`` or a role, whatever a member typed.
"""

import io
from dataclasses import dataclass
from typing import Any

import discord

from bot.discord._views import view_of
from handlers.kernel import Image, Message

COLOUR = discord.Colour(0x3B82F6)
_TITLE_MAX = 256
_DESCRIPTION_MAX = 4096
_FIELD_NAME_MAX = 256
_FIELD_VALUE_MAX = 1024
_FIELDS_MAX = 25
FULL_TEXT = "ladder-message.txt"


def clip(text: str, limit: int) -> str:
    """Shorten text to a Discord limit, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    """Only the members the message names in ``mentions`` may be pinged."""
    users = [discord.Object(id=int(m)) for m in message.mentions if m.isdigit()]
    return discord.AllowedMentions(everyone=False, roles=False, users=users, replied_user=False)


def embed_of(message: Message, image: Image | None = None) -> discord.Embed:
    """The embed showing a message: title, text, fields and the attached image if any."""
    embed = discord.Embed(
        title=clip(message.title, _TITLE_MAX) if message.title else None,
        description=clip(message.text, _DESCRIPTION_MAX) if message.text else None,
        colour=COLOUR,
    )
    for name, value in message.fields[:_FIELDS_MAX]:
        embed.add_field(
            name=clip(name, _FIELD_NAME_MAX) or "\u200b",
            value=clip(value, _FIELD_VALUE_MAX) or "\u200b",
            inline=False,
        )
    image = image or message.image
    if image is not None:
        embed.set_image(url=f"attachment://{image.filename}")
    return embed


@dataclass(frozen=True, slots=True)
class Rendered:
    """Everything a Discord send needs for one message."""

    content: str | None
    embed: discord.Embed
    allowed_mentions: discord.AllowedMentions
    image: Image | None
    view: discord.ui.View | None
    full_text: str | None = None

    def files(self) -> list[discord.File]:
        """Fresh uploads (a ``discord.File`` can be sent only once): the image, and the whole
        text when the embed could only show its start."""
        files = []
        if self.image is not None:
            files.append(discord.File(io.BytesIO(self.image.data), filename=self.image.filename))
        if self.full_text is not None:
            files.append(discord.File(io.BytesIO(self.full_text.encode()), filename=FULL_TEXT))
        return files

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send``/``send_message``/``followup.send``."""
        kwargs: dict[str, Any] = {
            "content": self.content,
            "embed": self.embed,
            "allowed_mentions": self.allowed_mentions,
        }
        files = self.files()
        if files:
            kwargs["files"] = files
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for editing a message in place (buttons removed when none)."""
        return {
            "content": self.content,
            "embed": self.embed,
            "allowed_mentions": self.allowed_mentions,
            "attachments": self.files(),
            "view": self.view,
        }


def render(message: Message, image: Image | None = None, guild_id: int | None = None) -> Rendered:
    """Render a neutral message; ``image`` overrides the message's own (the digest chart).

    ``guild_id`` is written into the buttons, so a click in a DM still names its server.
    """
    pings = [m for m in message.mentions if m.isdigit()]
    content = " ".join(f"<@{m}>" for m in pings) or None
    return Rendered(
        content=content,
        embed=embed_of(message, image),
        allowed_mentions=allowed_mentions(message),
        image=image or message.image,
        view=view_of(message.buttons, guild_id),
        full_text=message.text if len(message.text) > _DESCRIPTION_MAX else None,
    )
