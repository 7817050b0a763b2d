"""The console's ChatPort: prints what each member and channel would see."""

import itertools
from collections.abc import Callable

from bot.console._render import render
from handlers.kernel import CommunityRef, Image, Message, MessageRef

Printer = Callable[[str, str], None]


class ConsolePort:
    """Prints each outbound message with who or where it goes; ids are ``m1``, ``m2``, and so on.

    The console is one community, so the community each call names is not printed."""

    def __init__(self, printer: Printer) -> None:
        self._print = printer
        self._ids = itertools.count(1)
        self._printed: set[str] = set()
        self.roles: dict[str, int] = {}

    def _ref(self, channel: str) -> MessageRef:
        return MessageRef(channel, self.remember(f"m{next(self._ids)}"))

    def remember(self, message_id: str) -> str:
        """Note a message printed on the console (Ladder's ``m…`` or a member's ``c…``)."""
        self._printed.add(message_id)
        return message_id

    def printed(self, message_id: str) -> bool:
        """Whether a message with this id was printed, so a reaction has something to land on."""
        return message_id in self._printed

    async def post(self, community: CommunityRef, channel_id: str, message: Message) -> MessageRef:
        """Print a channel post."""
        ref = self._ref(channel_id)
        self._print(f"#{channel_id} ({ref.message_id})", render(message))
        return ref

    async def dm(self, community: CommunityRef, member_id: str, message: Message) -> MessageRef:
        """Print a DM."""
        self._print(f"DM @{member_id}", render(message))
        return self._ref(f"dm-{member_id}")

    async def update(self, community: CommunityRef, ref: MessageRef, message: Message) -> None:
        """Print an in-place update."""
        self._print(f"#{ref.channel_id} ({ref.message_id}, updated)", render(message))

    async def set_level_role(
        self, community: CommunityRef, member_id: str, level: int, level_name: str
    ) -> None:
        """Remember the member's level role (the console has no roles to change)."""
        self.roles[member_id] = level

    async def upload_image(
        self, community: CommunityRef, channel_id: str, image: Image, message: Message
    ) -> MessageRef:
        """Print a post with an attached image."""
        return await self.post(community, channel_id, message)

    async def channel_exists(self, community: CommunityRef, channel_id: str) -> bool:
        """Console channels are whatever a line names: every one exists."""
        return True
