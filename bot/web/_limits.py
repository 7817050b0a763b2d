"""How often one client address may fail to sign in.

Only failures count (a link that is unknown, used or expired): a manager opening the links Ladder
sent them is never slowed down, while anyone probing for tokens is stopped after a few tries.

Hand-written on purpose: a fixed one-minute window per address is a dozen lines, it must read
the dashboard's clock (tests move it; no sleeping), and its state lives on the app object, not
in a module global. Well-kept limiter libraries read the wall clock and keep global storage.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

FAILED_SIGNINS_PER_MINUTE = 10
WINDOW = timedelta(minutes=1)
MAX_TRACKED = 10_000  # addresses remembered at once; the oldest windows are dropped first


@dataclass
class AttemptLimiter:
    """Counts failed sign-ins per address in one-minute windows."""

    limit: int = FAILED_SIGNINS_PER_MINUTE
    _windows: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    def allows(self, address: str, now: datetime) -> bool:
        """False while the address has used up its failures for the current minute."""
        started, count = self._windows.get(address, (now, 0))
        return now - started >= WINDOW or count < self.limit

    def failed(self, address: str, now: datetime) -> None:
        """Count one failed attempt."""
        started, count = self._windows.get(address, (now, 0))
        if now - started >= WINDOW:
            started, count = now, 0
        self._windows[address] = (started, count + 1)
        if len(self._windows) > MAX_TRACKED:
            self._forget_stale(now)

    def _forget_stale(self, now: datetime) -> None:
        for address, (started, _) in list(self._windows.items()):
            if now - started >= WINDOW:
                del self._windows[address]
        while len(self._windows) > MAX_TRACKED:
            del self._windows[next(iter(self._windows))]
