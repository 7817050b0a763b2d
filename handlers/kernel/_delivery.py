"""Sending notices after the transaction commits; failures are logged, records stay."""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._directory import community_ref, managers, record_once
from handlers.kernel._port import ChatError, ChatPort
from handlers.kernel._types import (
    ChannelPost,
    CommunityRef,
    DirectMessage,
    LevelRoleChange,
    Message,
    MessageRef,
    MessageUpdate,
    Notice,
    Track,
    Tracked,
)
from models import Call, Community, Question

log = logging.getLogger(__package__)  # named for the capability, not its private module

SENDING_AT_ONCE = 8


@dataclass
class Delivery:
    """Sends notices through the port (several members' at once) and remembers tracked messages."""

    port: ChatPort
    sessions: async_sessionmaker[AsyncSession]

    async def send(self, notices: Sequence[Notice], *, community: Community) -> None:
        """Send notices for the community their use case ran in: each member's DMs and role
        changes in order, up to ``SENDING_AT_ONCE`` members at a time (every send is a platform
        round trip); posts and edits in order, in one lane beside them. A failed send is logged
        and skipped: the record is already kept."""
        assert community.id is not None, "notices come from a stored community"
        where = community_ref(community)
        lanes: dict[str | None, list[Notice]] = {}
        for notice in notices:
            lanes.setdefault(_lane(notice), []).append(notice)
        gate = asyncio.Semaphore(SENDING_AT_ONCE)
        sent = await asyncio.gather(
            *(self._send_lane(where, lane, community.id, gate) for lane in lanes.values())
        )
        tracked = [ref for refs, _ in sent for ref in refs]
        refused_roles = [reason for _, reasons in sent for reason in reasons]
        if tracked:
            await self._remember(tracked)
        if refused_roles:
            await self._warn_once(community, refused_roles[0])

    async def _send_lane(
        self, where: CommunityRef, notices: Sequence[Notice], community_id: int, gate: asyncio.Semaphore
    ) -> tuple[list[tuple[Track, MessageRef]], list[str]]:
        """Send one lane's notices in order; what to remember, and why role changes were refused."""
        tracked: list[tuple[Track, MessageRef]] = []
        refused_roles: list[str] = []
        async with gate:
            for notice in notices:
                kind = type(notice).__name__
                try:
                    ref = await self._send_one(where, notice)
                except ChatError as error:
                    if isinstance(notice, LevelRoleChange) and error.permission:
                        refused_roles.append(str(error))
                    log.warning(
                        "could not send %s to %s: %s",
                        kind,
                        _addressee(notice),
                        error,
                        extra={"community": community_id, "kind": kind},
                    )
                    continue
                except Exception:
                    log.exception("sending %s failed", kind, extra={"community": community_id, "kind": kind})
                    continue
                if isinstance(notice, ChannelPost) and notice.track and ref is not None:
                    tracked.append((notice.track, ref))
        return tracked, refused_roles

    async def _send_one(self, where: CommunityRef, notice: Notice) -> MessageRef | None:
        match notice:
            case DirectMessage(member_id, message):
                return await self.port.dm(where, member_id, message)
            case ChannelPost(channel_id, message):
                if message.image is not None:
                    return await self.port.upload_image(where, channel_id, message.image, message)
                return await self.port.post(where, channel_id, message)
            case MessageUpdate(ref, message):
                await self.port.update(where, ref, message)
                return None
            case LevelRoleChange(member_id, level, level_name):
                await self.port.set_level_role(where, member_id, level, level_name)
                return None
            case _:
                assert_never(notice)

    async def _remember(self, tracked: list[tuple[Track, MessageRef]]) -> None:
        """Store where tracked messages went, so calls update in place and threads gather answers."""
        async with self.sessions() as session, session.begin():
            for track, ref in tracked:
                match track.record:
                    case Tracked.CALL:
                        if call := await session.get(Call, track.record_id):
                            call.channel_id, call.message_id = ref.channel_id, ref.message_id
                            session.add(call)
                    case Tracked.QUESTION:
                        if question := await session.get(Question, track.record_id):
                            question.channel_id, question.thread_id = ref.channel_id, ref.message_id
                            session.add(question)
                    case _:
                        assert_never(track.record)

    async def _warn_once(self, community: Community, reason: str) -> None:
        """Tell managers once per community that levels cannot be mirrored as roles."""
        assert community.id is not None
        async with self.sessions() as session, session.begin():
            if not await record_once(session, community.id, "warned:level-roles"):
                return
        text = (
            f"Ladder could not mirror levels as roles: {reason}. Levels still work; grant the "
            "bot the right to manage roles (Discord) or user groups (Slack) to mirror them."
        )
        await self.tell_managers(community, Message(text=text, title="Level roles are off"))

    async def tell_managers(self, community: Community, message: Message) -> None:
        """DM every known manager of a community (a failed DM is logged, the others still go)."""
        assert community.id is not None
        async with self.sessions() as session:
            targets = [m.external_id for m in await managers(session, community.id)]
        where = community_ref(community)
        for target in targets:
            try:
                await self.port.dm(where, target, message)
            except ChatError as error:
                log.warning("could not tell manager %s: %s", target, error, extra={"community": community.id})


def _lane(notice: Notice) -> str | None:
    """The member whose notices must keep their order, or ``None`` for the shared lane."""
    match notice:
        case DirectMessage(member_id) | LevelRoleChange(member_id):
            return member_id
        case ChannelPost() | MessageUpdate():
            return None
        case _:
            assert_never(notice)


def _addressee(notice: Notice) -> str:
    """Who or where a notice goes, for the log."""
    match notice:
        case DirectMessage(member_id) | LevelRoleChange(member_id):
            return f"member {member_id}"
        case ChannelPost(channel_id):
            return f"channel {channel_id}"
        case MessageUpdate(ref):
            return f"message {ref.message_id} in {ref.channel_id}"
        case _:
            assert_never(notice)
