"""Signing in with a one-time link, and signing out.

``GET`` only shows the link's state and a "Sign in" button: link scanners and chat unfurlers
fetch links, and must not burn them. ``POST`` consumes the link and opens the session. Every
link that opens nothing (GET or POST) counts towards the per-address limit, so nobody can probe
tokens quickly.
"""

from aiohttp import web

from bot.web._guard import COOKIE_PATH, FLASH_COOKIE, SESSION_COOKIE, error_page
from bot.web._keys import SESSION_LIFETIME
from bot.web._render import html
from bot.web._state import DASHBOARD, Dashboard
from handlers.signin import LinkCheck, LinkState, check_link, consume_link
from models import Community, Member, MemberStatus

REFUSED = {
    LinkState.USED: (
        410,
        "This sign-in link was already used",
        "Each link works once. Run /ladder dashboard in your community for a new one.",
    ),
    LinkState.EXPIRED: (
        410,
        "This sign-in link has expired",
        "Links are valid for 15 minutes. Run /ladder dashboard in your community for a new one.",
    ),
    LinkState.UNKNOWN: (
        404,
        "This is not a sign-in link",
        "Ladder did not issue this link (it may be cut short or mistyped). "
        "Run /ladder dashboard in your community for a new one.",
    ),
}


def _too_many(dashboard: Dashboard, request: web.Request) -> web.Response | None:
    if dashboard.limiter.allows(request.remote or "unknown", dashboard.security_clock.now()):
        return None
    return error_page(
        dashboard.env,
        429,
        "Too many sign-in attempts",
        "This address tried to sign in too often in the last minute. "
        "Wait a minute, then open your link again.",
    )


def _refused(dashboard: Dashboard, request: web.Request, check: LinkCheck) -> web.Response:
    """The page for a link that opens nothing; the failure counts towards the address's limit."""
    dashboard.limiter.failed(request.remote or "unknown", dashboard.security_clock.now())
    status, title, text = REFUSED[check.state]
    return error_page(dashboard.env, status, title, text)


async def show_link(request: web.Request) -> web.Response:
    """The sign-in page: who the link is for, and a button; nothing is used up yet."""
    dashboard = request.app[DASHBOARD]
    limited = _too_many(dashboard, request)
    if limited is not None:
        return limited
    async with dashboard.sessions() as session:
        check = await check_link(session, request.match_info["token"], dashboard.security_clock.now())
        community = await session.get(Community, check.community_id) if check.community_id else None
    if check.state is not LinkState.VALID or community is None:
        return _refused(dashboard, request, check)
    return html(
        dashboard.env,
        "signin.html",
        title="Sign in",
        viewer=None,
        community=community,
        action=request.path,
    )


async def use_link(request: web.Request) -> web.Response:
    """Consume the link, then open a 12-hour session for that community and manager."""
    dashboard = request.app[DASHBOARD]
    limited = _too_many(dashboard, request)
    if limited is not None:
        return limited
    now = dashboard.security_clock.now()
    async with dashboard.sessions() as session, session.begin():
        check = await consume_link(session, request.match_info["token"], now)
        member = await session.get(Member, check.member_id) if check.member_id else None
    if check.state is not LinkState.VALID or check.community_id is None or member is None:
        return _refused(dashboard, request, check)
    if not member.is_manager or member.status == MemberStatus.FORGOTTEN:
        return error_page(
            dashboard.env,
            403,
            "You are no longer a manager here",
            "This link was issued to a manager, and that person is not one any more.",
        )
    cookie, _ = dashboard.keys.new_session(check.community_id, member.id or 0, now)
    response = web.Response(status=303, headers={"Location": "/dashboard/"})
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=dashboard.secure_cookies,
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    return response


async def sign_out(request: web.Request) -> web.Response:
    """Forget the session in this browser."""
    dashboard = request.app[DASHBOARD]
    response = html(
        dashboard.env,
        "message.html",
        title="Signed out",
        text="You are signed out of the dashboard. Run /ladder dashboard for a new link.",
        viewer=None,
    )
    response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    response.del_cookie(FLASH_COOKIE, path=COOKIE_PATH)
    return response
