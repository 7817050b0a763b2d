"""The outbound port every platform adapter implements, and the fake used by tests and demos."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Protocol

from handlers.kernel._types import CommunityRef, Image, Message, MessageRef


class ChatError(Exception):
    """A platform refused or failed a call; ``permission`` says the bot lacks a right, and
    ``needed`` names it when the platform says which (a Slack scope such as ``channels:read``)."""

    def __init__(self, reason: str, *, permission: bool = False, needed: str = "") -> None:
        super().__init__(reason)
        self.permission = permission
        self.needed = needed


class ChatPort(Protocol):
    """What Ladder asks of a chat platform. Every call names the community it is made for
    (Discord's user ids are global, so a role change or a DM's buttons need the server); member
    and channel ids are the platform's own."""

    async def post(self, community: CommunityRef, channel_id: str, message: Message) -> MessageRef:
        """Post a message in a channel."""
        ...

    async def dm(self, community: CommunityRef, member_id: str, message: Message) -> MessageRef:
        """Send a direct message to a member."""
        ...

    async def update(self, community: CommunityRef, ref: MessageRef, message: Message) -> None:
        """Replace a message's content in place."""
        ...

    async def set_level_role(
        self, community: CommunityRef, member_id: str, level: int, level_name: str
    ) -> None:
        """Mirror a member's level as a platform role or user group (may raise ChatError)."""
        ...

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Post an image with a message (the digest chart)."""
        ...

    async def channel_exists(self, community: CommunityRef, channel_id: str) -> bool:
        """Say whether the platform knows this channel (checked before a manager names one)."""
        ...


@dataclass(frozen=True, slots=True)
class Sent:
    """One call recorded by :class:`FakeChatPort`, with the community it was made for."""

    community: CommunityRef
    method: str
    target: str
    message: Message | None = None
    level: int | None = None


@dataclass
class FakeChatPort:
    """A ChatPort that records what it was asked to send, for tests and the demo.

    ``refuse_roles`` makes role changes fail as a platform without the right would;
    ``fail_sends`` makes every send fail, to prove records survive a failed post;
    ``channels``, when set, is the only channels that exist.
    """

    sent: list[Sent] = field(default_factory=list)
    refuse_roles: bool = False
    fail_sends: bool = False
    channels: set[str] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _record(
        self, community: CommunityRef, method: str, target: str, message: Message | None
    ) -> MessageRef:
        if self.fail_sends:
            raise ChatError("fake platform is down")
        self.sent.append(Sent(community, method, target, message))
        return MessageRef(channel_id=target, message_id=f"m{next(self._ids)}")

    async def post(self, community: CommunityRef, channel_id: str, message: Message) -> MessageRef:
        """Record a channel post."""
        return self._record(community, "post", channel_id, message)

    async def dm(self, community: CommunityRef, member_id: str, message: Message) -> MessageRef:
        """Record a DM."""
        return self._record(community, "dm", member_id, message)

    async def update(self, community: CommunityRef, ref: MessageRef, message: Message) -> None:
        """Record an in-place update."""
        self._record(community, "update", ref.message_id, message)

    async def set_level_role(
        self, community: CommunityRef, member_id: str, level: int, level_name: str
    ) -> None:
        """Record a role change, or refuse it when ``refuse_roles`` is set."""
        if self.refuse_roles:
            raise ChatError("missing permission to manage roles", permission=True)
        self.sent.append(Sent(community, "set_level_role", member_id, level=level))

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Record an image upload."""
        return self._record(community, "upload_image", channel_id, message)

    async def channel_exists(self, community: CommunityRef, channel_id: str) -> bool:
        """Every channel exists unless ``channels`` says otherwise."""
        return self.channels is None or channel_id in self.channels

    def to(self, method: str, target: str | None = None) -> list[Sent]:
        """Return the recorded calls of one method (optionally to one target)."""
        return [s for s in self.sent if s.method == method and target in (None, s.target)]

    def clear(self) -> None:
        """Forget what was recorded."""
        self.sent.clear()
