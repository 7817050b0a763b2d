"""Rendering a signed-in page: the layout's context, the one-time flash, redirects after actions."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.web._guard import COOKIE_PATH, FLASH_COOKIE, viewer
from bot.web._render import html
from bot.web._state import DASHBOARD
from handlers.kernel import Scope

NAV = (
    ("overview", "Overview", "/dashboard/"),
    ("members", "Members", "/dashboard/members"),
    ("ready", "Ready & stalled", "/dashboard/ready"),
    ("questions", "Questions", "/dashboard/questions"),
    ("calls", "Calls", "/dashboard/calls"),
    ("quests", "Quest reviews", "/dashboard/quests"),
    ("digests", "Digests", "/dashboard/digests"),
    ("audit", "Audit log", "/dashboard/audit"),
    ("settings", "Settings", "/dashboard/settings"),
)
FLASH_LIMIT = 1500  # characters kept of an action's replies: a cookie holds about 4 kB


@asynccontextmanager
async def scope_of(request: web.Request) -> AsyncIterator[Scope]:
    """A read-only unit of work in the signed-in manager's community, at the dashboard's time."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    async with dashboard.sessions() as session:
        yield Scope(session, dashboard.config, dashboard.clock.now(), who.community)


def page(
    request: web.Request, template: str, *, active: str, status: int = 200, **context: object
) -> web.Response:
    """Render a dashboard page for the signed-in manager, showing (and clearing) any flash."""
    dashboard = request.app[DASHBOARD]
    who = viewer(request)
    flash = dashboard.keys.read_flash(request.cookies.get(FLASH_COOKIE))
    response = html(
        dashboard.env,
        template,
        status=status,
        viewer=who,
        csrf=dashboard.keys.csrf_token(who.session),
        flash=flash,
        nav=NAV,
        active=active,
        now=dashboard.clock.now(),
        tz=who.community.timezone,
        config=dashboard.config,
        **context,
    )
    if flash:
        response.del_cookie(FLASH_COOKIE, path=COOKIE_PATH)
    return response


def back_with(request: web.Request, location: str, lines: list[str]) -> web.Response:
    """Redirect after a POST (so a reload does not repeat it), carrying the replies to show."""
    dashboard = request.app[DASHBOARD]
    kept, total = [], 0
    for line in lines:
        if total + len(line) > FLASH_LIMIT:
            kept.append(line[: max(0, FLASH_LIMIT - total)] + "…")
            break
        kept.append(line)
        total += len(line)
    response = web.Response(status=303, headers={"Location": location})
    response.set_cookie(
        FLASH_COOKIE,
        dashboard.keys.flash(kept),
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=dashboard.secure_cookies,
        max_age=120,
    )
    return response
