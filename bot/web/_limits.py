"""How often one client address may try to sign in.

Hand-written on purpose: a fixed one-minute window per address is a dozen lines, it must read
the dashboard's clock (tests move it; no sleeping), and its state lives on the app object, not
in a module global. Well-kept limiter libraries read the wall clock and keep global storage.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

SIGNIN_ATTEMPTS_PER_MINUTE = 10
WINDOW = timedelta(minutes=1)
MAX_TRACKED = 10_000  # addresses remembered at once; the oldest windows are dropped first


@dataclass
class AttemptLimiter:
    """Counts attempts per address in one-minute windows."""

    limit: int = SIGNIN_ATTEMPTS_PER_MINUTE
    _windows: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    def allow(self, address: str, now: datetime) -> bool:
        """Count one attempt; false once the address is past its limit for this minute."""
        started, count = self._windows.get(address, (now, 0))
        if now - started >= WINDOW:
            started, count = now, 0
        self._windows[address] = (started, count + 1)
        if len(self._windows) > MAX_TRACKED:
            self._forget_stale(now)
        return count < self.limit

    def _forget_stale(self, now: datetime) -> None:
        for address, (started, _) in list(self._windows.items()):
            if now - started >= WINDOW:
                del self._windows[address]
        while len(self._windows) > MAX_TRACKED:
            del self._windows[next(iter(self._windows))]
