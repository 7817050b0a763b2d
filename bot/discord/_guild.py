"""Which server the current command, click or event belongs to.

The ChatPort's methods name members and channels but not the server; Discord user ids are
global, so role changes and the buttons in DMs need to know the server the work came from.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

current_guild: ContextVar[int | None] = ContextVar("ladder_discord_guild", default=None)


@contextmanager
def acting_in(guild_id: int) -> Iterator[None]:
    """Mark the server a command, click or event came from, for everything it sends."""
    token = current_guild.set(guild_id)
    try:
        yield
    finally:
        current_guild.reset(token)
