"""Answering an interaction with Ladder's replies: private ones ephemeral, channel ones public.

Discord wants an answer within 3 seconds. Work that takes longer is deferred (an ephemeral
"thinking…"), then the first private reply replaces it and the rest follow up.
"""

import asyncio
from collections.abc import Awaitable

import discord

from bot.discord._render import render
from handlers.kernel import Message, Visibility

DONE = Message(text="Done.")
POSTED = Message(text="Done: posted in the channel.")


async def answer(
    interaction: discord.Interaction, work: Awaitable[list[Message]], defer_after: float
) -> None:
    """Run the work; defer if it is slow; then send every reply with its visibility."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done:
        await interaction.response.defer(ephemeral=True, thinking=True)
    replies = await task
    await send_replies(interaction, replies or [DONE])


async def send_replies(interaction: discord.Interaction, replies: list[Message]) -> None:
    """Send replies to an interaction, whether or not it was deferred."""
    if interaction.response.is_done():
        private = [m for m in replies if m.visibility is Visibility.PRIVATE]
        first = private[0] if private else POSTED
        kwargs = render(first, guild_id=interaction.guild_id).send_kwargs()
        kwargs["attachments"] = kwargs.pop("files", [])
        await interaction.edit_original_response(**kwargs)
        rest = [m for m in replies if m is not first]
    else:
        first, rest = replies[0], replies[1:]
        await interaction.response.send_message(
            ephemeral=first.visibility is Visibility.PRIVATE,
            **render(first, guild_id=interaction.guild_id).send_kwargs(),
        )
    for message in rest:
        await interaction.followup.send(
            ephemeral=message.visibility is Visibility.PRIVATE,
            **render(message, guild_id=interaction.guild_id).send_kwargs(),
        )
