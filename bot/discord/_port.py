"""The ChatPort on Discord: posts, DMs, thread replies, in-place edits, level roles, charts.

Every send goes through :func:`bot.discord._render.render`, so allowed mentions are always set.
Discord errors become :class:`ChatError`; a missing right is flagged ``permission=True`` so the
core can tell the managers once.
"""

import logging
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
import discord

from bot.discord._render import render
from bot.discord._roles import LevelRoles
from handlers.kernel import ChatError, CommunityRef, Image, Message, MessageRef

log = logging.getLogger(__name__)

T = TypeVar("T")
CANNOT_DM = 50007  # the member's privacy settings refuse DMs: not a right the bot lacks


async def guarded(what: str, call: Awaitable[T]) -> T:
    """Await a Discord call, turning its failures into ChatError."""
    try:
        return await call
    except discord.Forbidden as error:
        closed_dms = error.code == CANNOT_DM
        raise ChatError(
            f"Discord refused to {what}: {error.text or 'missing permission'}", permission=not closed_dms
        ) from error
    except discord.HTTPException as error:
        raise ChatError(f"Discord failed to {what}: {error.status} {error.text}") from error
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise ChatError(f"Discord could not be reached to {what}: {error!r}") from error


def guild_id_of(community: CommunityRef) -> int:
    """The server a community is: its external id is the guild's snowflake."""
    if not community.external_id.isdecimal():
        raise ChatError(f"{community.external_id!r} is not a Discord server id")
    return int(community.external_id)


class DiscordChatPort:
    """Ladder's outbound port on a running discord.py client.

    Each call names its community, which is the server: buttons sent in a DM carry its id (a DM
    has no server of its own) and level roles change in it, whether the work came from a member
    in that server or from a background job.
    """

    def __init__(self, client: discord.Client, level_names: tuple[str, ...]) -> None:
        self._client = client
        self._roles = LevelRoles(level_names)

    def _channel(self, channel_id: str) -> discord.PartialMessageable:
        return self._client.get_partial_messageable(int(channel_id))

    async def _send(
        self,
        what: str,
        community: CommunityRef,
        channel: discord.abc.Messageable,
        message: Message,
        image: Image | None = None,
    ) -> MessageRef:
        rendered = render(message, image, guild_id_of(community))
        sent = await guarded(what, channel.send(**rendered.send_kwargs()))
        return MessageRef(channel_id=str(sent.channel.id), message_id=str(sent.id))

    async def channel_exists(self, community: CommunityRef, channel_id: str) -> bool:
        """A channel in the cache, or one Discord returns; ``NotFound`` means there is none."""
        if not channel_id.isdecimal():
            return False
        if self._client.get_channel(int(channel_id)) is not None:
            return True
        try:
            await guarded("look up a channel", self._client.fetch_channel(int(channel_id)))
        except ChatError as error:
            if isinstance(error.__cause__, discord.NotFound):
                return False
            raise
        return True

    async def post(self, community: CommunityRef, channel_id: str, message: Message) -> MessageRef:
        """Post in a channel (announcements, call posts, manager summaries)."""
        return await self._send(
            f"post in channel {channel_id}", community, self._channel(channel_id), message
        )

    async def dm(self, community: CommunityRef, member_id: str, message: Message) -> MessageRef:
        """Open (or reuse) the DM channel with a member and send there."""
        what = f"send a DM to {member_id}"
        channel = await guarded(what, self._client.create_dm(discord.Object(id=int(member_id))))
        return await self._send(what, community, channel, message)

    async def update(self, community: CommunityRef, ref: MessageRef, message: Message) -> None:
        """Replace a message's content in place (call status, review outcome)."""
        target = self._channel(ref.channel_id).get_partial_message(int(ref.message_id))
        await guarded(
            f"update message {ref.message_id}",
            target.edit(**render(message, guild_id=guild_id_of(community)).edit_kwargs()),
        )

    async def set_level_role(
        self, community: CommunityRef, member_id: str, level: int, level_name: str
    ) -> None:
        """Give the member the role named after their level, in the community's server."""
        guild = self._client.get_guild(guild_id_of(community))
        if guild is None:
            raise ChatError(f"Ladder is not in the Discord server {community.external_id}")
        await self._roles.assign(guild, int(member_id), level_name)

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Post a message with an image attached and shown in its embed (the digest chart)."""
        what = f"post an image in {channel_id}"
        return await self._send(what, community, self._channel(channel_id), message, image)
