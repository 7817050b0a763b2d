"""Dashboard sign-in: one-time links for managers, and the secret that signs their sessions.

A manager asks with ``/ladder dashboard`` (or the operator with ``ladder dashboard``); the link
is 32 random bytes, valid :data:`LINK_LIFETIME`, single use, bound to one community and the
manager it was issued to. Only its SHA-256 is stored. The web layer (``bot/web``) shows it,
consumes it and keeps the session; nothing here knows about HTTP.
"""

from handlers.signin._command import DashboardAddress, dashboard_link, signin_url
from handlers.signin._links import (
    LINK_LIFETIME,
    LinkCheck,
    LinkState,
    check_link,
    consume_link,
    issue_link,
)
from handlers.signin._secret import signing_secret

__all__ = [
    "LINK_LIFETIME",
    "DashboardAddress",
    "LinkCheck",
    "LinkState",
    "check_link",
    "consume_link",
    "dashboard_link",
    "issue_link",
    "signin_url",
    "signing_secret",
]
