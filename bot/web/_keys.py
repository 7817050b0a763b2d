"""Signed values the dashboard hands to browsers: the session cookie, CSRF tokens, flashes.

itsdangerous does the HMAC signing (no hand-written crypto). Each use has its own salt, so a
value signed for one purpose (a flash message) is never accepted as another (a session).
The session carries its own issue time, checked against the dashboard's clock, so tests and
the demo (whose clock is shifted) age sessions the same way production does.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, Signer, URLSafeSerializer

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class SessionData:
    """Who is signed in where, since when; ``nonce`` makes each session's CSRF token its own."""

    community_id: int
    member_id: int
    issued_at: datetime
    nonce: str


class Keys:
    """Everything the dashboard signs, with one secret."""

    def __init__(self, secret: str) -> None:
        self._sessions = URLSafeSerializer(secret, salt="ladder-dashboard-session")
        self._flashes = URLSafeSerializer(secret, salt="ladder-dashboard-flash")
        self._csrf = Signer(secret, salt="ladder-dashboard-csrf")

    def new_session(self, community_id: int, member_id: int, now: datetime) -> tuple[str, SessionData]:
        """A fresh session and its cookie value."""
        data = SessionData(community_id, member_id, now, secrets.token_urlsafe(16))
        payload = {"c": community_id, "m": member_id, "t": now.timestamp(), "n": data.nonce}
        return self._sessions.dumps(payload), data

    def session(self, cookie: str | None, now: datetime) -> SessionData | None:
        """The session a cookie holds, or None when it is missing, forged, malformed or too old."""
        if not cookie:
            return None
        try:
            payload = self._sessions.loads(cookie)
            data = SessionData(
                int(payload["c"]),
                int(payload["m"]),
                datetime.fromtimestamp(float(payload["t"]), tz=now.tzinfo),
                str(payload["n"]),
            )
        except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
            return None
        if not timedelta(0) <= now - data.issued_at < SESSION_LIFETIME:
            return None
        return data

    def csrf_token(self, session: SessionData) -> str:
        """The token every form of this session carries."""
        return self._csrf.get_signature(session.nonce).decode()

    def csrf_valid(self, session: SessionData, token: str | None) -> bool:
        """Whether a posted token belongs to this session (constant-time comparison)."""
        return bool(token) and self._csrf.verify_signature(session.nonce.encode(), (token or "").encode())

    def flash(self, lines: list[str]) -> str:
        """A signed, short message to show once after a redirect."""
        return self._flashes.dumps(lines)

    def read_flash(self, cookie: str | None) -> list[str]:
        """The lines of a flash cookie (nothing when missing or forged)."""
        if not cookie:
            return []
        try:
            lines = self._flashes.loads(cookie)
        except BadSignature:
            return []
        return [str(line) for line in lines] if isinstance(lines, list) else []
