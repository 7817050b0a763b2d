"""What the service reports for monitoring; ``bot/`` plugs in Prometheus, tests need nothing."""

from typing import Protocol


class Observer(Protocol):
    """Receives counts after each transaction commits (nothing is counted for a rollback)."""

    def command(self, name: str) -> None:
        """One command or button ran."""
        ...

    def credited(self, kind: str, count: int = 1) -> None:
        """Contributions of a kind were newly credited."""
        ...

    def escalated(self, count: int = 1) -> None:
        """Questions moved to the next tier."""
        ...

    def digest_posted(self, *, late: bool) -> None:
        """A scheduled digest was posted in its channel."""
        ...


class NoObserver:
    """The default: count nothing."""

    def command(self, name: str) -> None:
        """Ignore a command."""

    def credited(self, kind: str, count: int = 1) -> None:
        """Ignore credits."""

    def escalated(self, count: int = 1) -> None:
        """Ignore escalations."""

    def digest_posted(self, *, late: bool) -> None:
        """Ignore digests."""
