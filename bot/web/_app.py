"""The dashboard's aiohttp application, mounted at ``/dashboard`` beside ``/healthz``."""

from pathlib import Path

from aiohttp import web

from bot.web._actions import close_call, confirm_level, review_quest, set_level
from bot.web._activity import calls_list, questions_list, reviews_list
from bot.web._guard import security_headers, signed_in
from bot.web._keys import Keys
from bot.web._member import member_page
from bot.web._members import members_list
from bot.web._overview import overview_page
from bot.web._progress import progress_page
from bot.web._records import audit_page, digest_page, digests_list, download
from bot.web._render import environment
from bot.web._settings import settings_page
from bot.web._signin import show_link, sign_out, use_link
from bot.web._state import DASHBOARD, Dashboard
from handlers.kernel import Clock
from handlers.service import LadderService
from handlers.signin import DashboardAddress, signing_secret

PREFIX = "/dashboard"
STATIC = Path(__file__).parent / "static"


async def build_dashboard(
    service: LadderService,
    address: DashboardAddress,
    *,
    secret_key: str = "",
    link_clock: Clock | None = None,
) -> web.Application:
    """The dashboard for one service; the key is ``LADDER_SECRET_KEY`` or one kept in the database.

    ``link_clock`` ages links and sessions when it must differ from the service's clock (the demo's
    figures are as of its simulated last day; its links expire in real time).
    """
    if not secret_key:
        async with service.sessions() as session, session.begin():
            secret_key = await signing_secret(session)
    env = environment()
    app = web.Application(middlewares=[security_headers(env), signed_in(env)])
    app[DASHBOARD] = Dashboard(service, Keys(secret_key), address, env, link_clock=link_clock)
    app.router.add_static("/static/", STATIC, append_version=True)
    app.router.add_get("/signin/{token}", show_link)
    app.router.add_post("/signin/{token}", use_link)
    app.router.add_post("/signout", sign_out)
    app.router.add_get("/", overview_page)
    app.router.add_get("/members", members_list)
    app.router.add_get("/members/{member_id}", member_page)
    app.router.add_post("/members/{member_id}/level", set_level)
    app.router.add_post("/members/{member_id}/confirm", confirm_level)
    app.router.add_post("/quests/{progress_id}/review", review_quest)
    app.router.add_post("/calls/{call_id}/close", close_call)
    app.router.add_get("/ready", progress_page)
    app.router.add_get("/questions", questions_list)
    app.router.add_get("/calls", calls_list)
    app.router.add_get("/quests", reviews_list)
    app.router.add_get("/digests", digests_list)
    app.router.add_get("/digests/{digest_id}", digest_page)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/settings", settings_page)
    app.router.add_get("/export/{table:[a-z-]+}.{format:csv|json}", download)
    return app


def mount_dashboard(parent: web.Application, dashboard: web.Application) -> None:
    """Serve the dashboard under ``/dashboard/`` on an app that already serves other routes."""

    async def to_overview(_request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{PREFIX}/")

    parent.router.add_get(PREFIX, to_overview)
    parent.add_subapp(PREFIX, dashboard)
