"""The checks every dashboard request passes: security headers, a live session, a CSRF token.

A page is served only to a signed-in manager whose session is valid and who is still a manager
of that community (checked against the database on every request, not trusted from the cookie).
"""

import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from jinja2 import Environment

from bot.web._render import html
from bot.web._state import DASHBOARD, VIEWER, Viewer
from models import Community, Member, MemberStatus

log = logging.getLogger(__name__)

SESSION_COOKIE = "ladder_session"
FLASH_COOKIE = "ladder_flash"
COOKIE_PATH = "/dashboard"
OPEN_PREFIXES = ("/dashboard/signin/", "/dashboard/static/")
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
NOT_SIGNED_IN = (
    "You are not signed in",
    "Ask Ladder for a sign-in link: run /ladder dashboard in your community (managers only). "
    "The link arrives privately, is valid for 15 minutes and works once.",
)
SESSION_ENDED = (
    "Your sign-in is no longer valid",
    "Sessions last 12 hours, and only a link from this Ladder opens one. "
    "Run /ladder dashboard in your community for a new link.",
)


def error_page(env: Environment, status: int, title: str, text: str) -> web.Response:
    """A plain page that says what went wrong and what to do (no stack trace, ever)."""
    return html(env, "message.html", status=status, title=title, text=text, viewer=None)


def security_headers(env: Environment) -> Middleware:
    """Headers on every response, and a page (never a stack trace) for 404 and 405."""

    @web.middleware
    async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPNotFound:
            response = error_page(
                env, 404, "Not found", "There is no such page in this community's dashboard."
            )
        except web.HTTPMethodNotAllowed:
            response = error_page(env, 405, "Not allowed", "That address does not take this kind of request.")
        except web.HTTPException:
            raise
        except Exception:  # a page must never show a stack trace; the log keeps it
            log.exception("dashboard: %s %s failed", request.method, request.path)
            response = error_page(
                env,
                500,
                "Something went wrong",
                "Ladder could not show this page. Nothing was changed by viewing it; try again, and "
                "if it keeps failing, the server's log says why.",
            )
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return headers


def signed_in(env: Environment) -> Middleware:
    """Attach the :class:`Viewer` to the request, or answer 401/403 with a page that says why."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(OPEN_PREFIXES):
            return await handler(request)
        dashboard = request.app[DASHBOARD]
        cookie = request.cookies.get(SESSION_COOKIE)
        session = dashboard.keys.session(cookie, dashboard.security_clock.now())
        if session is None:
            title, text = SESSION_ENDED if cookie else NOT_SIGNED_IN
            return error_page(env, 401, title, text)
        async with dashboard.sessions() as db:
            community = await db.get(Community, session.community_id)
            member = await db.get(Member, session.member_id)
        if (
            community is None
            or member is None
            or member.community_id != community.id
            or not member.is_manager
            or member.status == MemberStatus.FORGOTTEN
        ):
            return error_page(
                env,
                403,
                "You are no longer a manager here",
                "This dashboard is for the community's managers. If that is a mistake, ask an admin "
                "to list you as a manager, then run /ladder dashboard again.",
            )
        request[VIEWER] = Viewer(session, community, member)
        if request.method == "POST":
            form = await request.post()
            token = form.get("csrf")
            if not dashboard.keys.csrf_valid(session, token if isinstance(token, str) else None):
                return error_page(
                    env,
                    403,
                    "This form has expired",
                    "The form was not sent from this dashboard session, so nothing was changed. "
                    "Go back, reload the page and try again.",
                )
        return await handler(request)

    return guard


def viewer(request: web.Request) -> Viewer:
    """The signed-in manager of this request (the guard has already checked them)."""
    return request[VIEWER]
