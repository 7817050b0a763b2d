"""The core's outbound port on Slack's Web API: posts, DMs, thread replies, updates, user groups.

Every failure becomes a :class:`ChatError` (``permission=True`` when the token lacks a right),
which the core logs without undoing the record the message announces.
"""

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.locks import Section, local_section
from bot.slack import _render
from bot.slack._managers import MemberDirectory
from handlers.kernel import ChatError, CommunityRef, Image, Message, MessageRef

log = logging.getLogger(__name__)

T = TypeVar("T")

PERMISSION_ERRORS = frozenset(
    {
        "missing_scope",
        "not_allowed_token_type",
        "paid_teams_only",
        "paid_only",
        "permission_denied",
        "no_permission",
        "restricted_action",
        "not_in_channel",
        "ekm_access_denied",
        "team_access_not_granted",
        "not_authed",
        "invalid_auth",
        "account_inactive",
    }
)

GROUP_HANDLE_PREFIX = "ladder-"


def group_handle(level: int, level_name: str) -> str:
    """The user group handle mirroring a level: ``ladder-3-helper``."""
    slug = re.sub(r"[^a-z0-9]+", "-", level_name.lower()).strip("-") or "level"
    return f"{GROUP_HANDLE_PREFIX}{level}-{slug}"[:80]


def _error_of(error: SlackApiError) -> str:
    response = error.response
    return str(response.get("error") or "unknown_error") if response is not None else "no_response"


@dataclass
class SlackChatPort:
    """:class:`handlers.kernel.ChatPort` over an ``AsyncWebClient``.

    Its bot token speaks for one workspace, the community every call names, so the Web API needs
    nothing more from the :class:`CommunityRef` than the token already says.
    """

    client: AsyncWebClient
    directory: MemberDirectory
    user_groups: Section = field(default_factory=local_section)
    _dm_channels: dict[str, str] = field(default_factory=dict)

    async def _call(self, method: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run one Web API call, turning Slack's failures into ChatError."""
        try:
            return await call()
        except SlackApiError as error:
            reason = _error_of(error)
            raise ChatError(f"{method}: {reason}", permission=reason in PERMISSION_ERRORS) from error
        except SlackClientError as error:
            raise ChatError(f"{method}: {error}") from error
        except OSError as error:
            raise ChatError(f"{method}: {error}") from error

    async def content(self, message: Message) -> dict[str, Any]:
        """``text`` and ``blocks`` for a message; members it may not ping are shown by name."""
        names = await self.directory.names(_render.unlisted_members(message))
        return {
            "text": _render.fallback_text(message, names),
            "blocks": _render.blocks(message, names),
        }

    async def _post(self, channel_id: str, message: Message) -> MessageRef:
        body = await self.content(message)
        response = await self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=channel_id, link_names=False, unfurl_links=False, **body
            ),
        )
        return MessageRef(str(response.get("channel") or channel_id), str(response["ts"]))

    async def post(self, community: CommunityRef, channel_id: str, message: Message) -> MessageRef:
        """Post a message in a channel."""
        return await self._post(channel_id, message)

    async def channel_exists(self, community: CommunityRef, channel_id: str) -> bool:
        """``conversations.info``: only ``channel_not_found`` means the channel does not exist."""
        try:
            await self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            reason = _error_of(error)
            if reason == "channel_not_found":
                return False
            needed = str(error.response.get("needed") or "") if error.response is not None else ""
            permission = reason in PERMISSION_ERRORS
            raise ChatError(f"conversations.info: {reason}", permission=permission, needed=needed) from error
        except (SlackClientError, OSError) as error:
            raise ChatError(f"conversations.info: {error}") from error
        return True

    async def dm_channel(self, member_id: str) -> str:
        """The DM channel with a member (``conversations.open``), remembered once opened."""
        known = self._dm_channels.get(member_id)
        if known is not None:
            return known
        response = await self._call(
            "conversations.open", lambda: self.client.conversations_open(users=member_id)
        )
        channel = response.get("channel") or {}
        channel_id = str(channel["id"])
        self._dm_channels[member_id] = channel_id
        return channel_id

    async def dm(self, community: CommunityRef, member_id: str, message: Message) -> MessageRef:
        """Send a direct message to a member."""
        return await self._post(await self.dm_channel(member_id), message)

    async def update(self, community: CommunityRef, ref: MessageRef, message: Message) -> None:
        """Replace a message's content in place (``chat.update``)."""
        body = await self.content(message)
        await self._call(
            "chat.update",
            lambda: self.client.chat_update(
                channel=ref.channel_id, ts=ref.message_id, link_names=False, **body
            ),
        )

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Post the message, then its image beneath it with the files v2 upload."""
        ref = await self._post(channel_id, message)
        await self._call(
            "files.upload_v2",
            lambda: self.client.files_upload_v2(
                channel=ref.channel_id,
                file=image.data,
                filename=image.filename,
                title=message.title or image.filename,
                alt_txt=image.alt or None,
            ),
        )
        return ref

    async def set_level_role(
        self, community: CommunityRef, member_id: str, level: int, level_name: str
    ) -> None:
        """Put the member in the level's user group and out of every other Ladder level group.

        Slack replaces a group's member list whole, so the read and the writes happen inside the
        ``user_groups`` section: one change at a time, across replicas (see :mod:`bot.locks`).
        """
        async with self.user_groups():
            await self._set_level_group(member_id, level, level_name)

    async def _set_level_group(self, member_id: str, level: int, level_name: str) -> None:
        response = await self._call(
            "usergroups.list",
            lambda: self.client.usergroups_list(include_users=True, include_disabled=True),
        )
        groups: list[dict[str, Any]] = list(response.get("usergroups") or [])
        handle = group_handle(level, level_name)
        target = next((g for g in groups if g.get("handle") == handle), None)
        for group in groups:
            if group is target or not str(group.get("handle", "")).startswith(GROUP_HANDLE_PREFIX):
                continue
            users = [u for u in group.get("users") or [] if u != member_id]
            if len(users) != len(group.get("users") or []):
                await self._set_users(group, users)
        if target is None:
            created = await self._call(
                "usergroups.create",
                lambda: self.client.usergroups_create(
                    name=f"Ladder {level} {level_name}"[:80],
                    handle=handle,
                    description=f"Members at Ladder level {level} ({level_name}), kept by Ladder.",
                ),
            )
            target = dict(created["usergroup"])
        users = list(target.get("users") or [])
        if member_id not in users:
            await self._set_users(target, [*users, member_id])
        elif target.get("date_delete"):
            await self._set_users(target, users)

    async def _set_users(self, group: dict[str, Any], users: list[str]) -> None:
        """Set a group's members; Slack refuses an empty group, so an emptied one is disabled."""
        group_id = str(group["id"])
        if not users:
            await self._call("usergroups.disable", lambda: self.client.usergroups_disable(usergroup=group_id))
            return
        if group.get("date_delete"):
            await self._call("usergroups.enable", lambda: self.client.usergroups_enable(usergroup=group_id))
        await self._call(
            "usergroups.users.update",
            lambda: self.client.usergroups_users_update(usergroup=group_id, users=users),
        )
