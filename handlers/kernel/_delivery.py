"""Sending notices after the transaction commits; failures are logged, records stay."""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._directory import managers, record_once
from handlers.kernel._port import ChatError, ChatPort
from handlers.kernel._types import Message, MessageRef, Notice, NoticeKind, Track, Tracked
from models import Call, Question

log = logging.getLogger(__package__)  # named for the capability, not its private module

SENDING_AT_ONCE = 8
_PER_MEMBER = frozenset({NoticeKind.DM, NoticeKind.SET_LEVEL_ROLE})


@dataclass
class Delivery:
    """Sends notices through the port (several members' at once) and remembers tracked messages."""

    port: ChatPort
    sessions: async_sessionmaker[AsyncSession]

    async def send(self, notices: Sequence[Notice], *, community_id: int) -> None:
        """Send notices: each member's DMs and role changes in order, up to ``SENDING_AT_ONCE``
        members at a time (every send is a platform round trip); posts, thread replies and
        edits in order, in one lane beside them. A failed send is logged and skipped: the
        record is already kept."""
        lanes: dict[str, list[Notice]] = {}
        for notice in notices:
            lane = notice.target if notice.kind in _PER_MEMBER else ""
            lanes.setdefault(lane, []).append(notice)
        gate = asyncio.Semaphore(SENDING_AT_ONCE)
        sent = await asyncio.gather(*(self._send_lane(lane, community_id, gate) for lane in lanes.values()))
        tracked = [ref for refs, _ in sent for ref in refs]
        refused_roles = [reason for _, reasons in sent for reason in reasons]
        if tracked:
            await self._remember(tracked)
        if refused_roles:
            await self._warn_once(community_id, refused_roles[0])

    async def _send_lane(
        self, notices: Sequence[Notice], community_id: int, gate: asyncio.Semaphore
    ) -> tuple[list[tuple[Track, MessageRef]], list[str]]:
        """Send one lane's notices in order; what to remember, and why role changes were refused."""
        tracked: list[tuple[Track, MessageRef]] = []
        refused_roles: list[str] = []
        async with gate:
            for notice in notices:
                try:
                    ref = await self._send_one(notice)
                except ChatError as error:
                    if notice.kind is NoticeKind.SET_LEVEL_ROLE and error.permission:
                        refused_roles.append(str(error))
                    log.warning(
                        "could not send %s to %s: %s",
                        notice.kind,
                        notice.target,
                        error,
                        extra={"community": community_id, "kind": notice.kind.value},
                    )
                    continue
                except Exception:
                    log.exception(
                        "sending %s failed",
                        notice.kind,
                        extra={"community": community_id, "kind": notice.kind.value},
                    )
                    continue
                if notice.track and ref is not None:
                    tracked.append((notice.track, ref))
        return tracked, refused_roles

    async def _send_one(self, notice: Notice) -> MessageRef | None:
        message = notice.message or Message(text="")
        match notice.kind:
            case NoticeKind.DM:
                return await self.port.dm(notice.target, message)
            case NoticeKind.POST:
                if message.image is not None:
                    return await self.port.upload_image(notice.target, message.image, message)
                return await self.port.post(notice.target, message)
            case NoticeKind.THREAD_REPLY:
                parent = MessageRef(notice.channel_id or "", notice.target)
                return await self.port.reply_in_thread(parent, message)
            case NoticeKind.UPDATE:
                await self.port.update(MessageRef(notice.channel_id or "", notice.target), message)
                return None
            case NoticeKind.SET_LEVEL_ROLE:
                await self.port.set_level_role(notice.target, notice.level or 0, notice.level_name)
                return None

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

    async def _warn_once(self, community_id: int, reason: str) -> None:
        """Tell managers once per community that levels cannot be mirrored as roles."""
        async with self.sessions() as session, session.begin():
            if not await record_once(session, community_id, "warned:level-roles"):
                return
        text = (
            f"Ladder could not mirror levels as roles: {reason}. Levels still work; grant the "
            "bot the right to manage roles (Discord) or user groups (Slack) to mirror them."
        )
        await self.tell_managers(community_id, Message(text=text, title="Level roles are off"))

    async def tell_managers(self, community_id: int, message: Message) -> None:
        """DM every known manager of a community (a failed DM is logged, the others still go)."""
        async with self.sessions() as session:
            targets = [m.external_id for m in await managers(session, community_id)]
        for target in targets:
            try:
                await self.port.dm(target, message)
            except ChatError as error:
                log.warning("could not tell manager %s: %s", target, error, extra={"community": community_id})
