"""The dashboard under test: the real service and database behind the real aiohttp app."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient
from core_harness import Harness
from sqlmodel import select

from bot.web._guard import SESSION_COOKIE
from handlers.kernel import Actor, CommunityRef, Context
from models import Member

PUBLIC_URL = "http://dashboard.test"
PAGES = (
    "/dashboard/",
    "/dashboard/members",
    "/dashboard/ready",
    "/dashboard/questions",
    "/dashboard/calls",
    "/dashboard/quests",
    "/dashboard/digests",
    "/dashboard/audit",
    "/dashboard/settings",
)
EXPORTS = tuple(
    f"/dashboard/export/{table}.{fmt}"
    for table in (
        "members",
        "shape",
        "ready",
        "stalled",
        "questions",
        "calls",
        "signups",
        "quest-reviews",
        "digests",
        "audit",
        "settings",
        "ledger",
    )
    for fmt in ("csv", "json")
)
OTHER = CommunityRef("console", "other-community", "Another community")
_LINK = re.compile(r"https?://\S+/dashboard/signin/[A-Za-z0-9_\-]+")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class WebHarness:
    """Drives the dashboard over HTTP and the community through the service."""

    core: Harness
    http: TestClient[web.Request, web.Application]

    async def link(self, who: str = "manager") -> str:
        """Ask for a link with ``/ladder dashboard`` as a member; return its path."""
        reply = await self.core.text(who, "dashboard")
        found = _LINK.search(reply)
        assert found is not None, reply
        return urlsplit(found[0]).path

    async def sign_in(self, who: str = "manager") -> None:
        """Open a link and press "Sign in"; the client keeps the session cookie."""
        response = await self.http.post(await self.link(who), allow_redirects=False)
        assert response.status == 303, await response.text()

    async def csrf(self, path: str = "/dashboard/") -> str:
        """The CSRF token on a signed-in page's forms."""
        page = await self.http.get(path)
        found = _CSRF.search(await page.text())
        assert found is not None
        return found[1]

    def session_cookie(self) -> str | None:
        """The session cookie the browser holds, if any."""
        for cookie in self.http.session.cookie_jar:
            if cookie.key == SESSION_COOKIE:
                return cookie.value
        return None

    async def member_id(self, who: str) -> int:
        """A member's primary key (the id dashboard URLs use)."""
        member = await self.core.member(who)
        assert member.id is not None
        return member.id

    async def stranger_id(self) -> int:
        """A member of another community, created by acting there."""
        await self.core.ladder.command(Context(OTHER, Actor("stranger", "Stranger")), "skills")
        async with self.core.ladder.sessions() as session:
            member = (await session.exec(select(Member).where(Member.external_id == "stranger"))).one()
        assert member.id is not None
        return member.id
