"""Signing in to the dashboard: one-time links, the session cookie, and every refusal a page."""

import asyncio

import pytest
from sqlmodel import select
from web_harness import PUBLIC_URL, WebHarness

from handlers.service import MANAGERS_ONLY
from models import SignInLink


async def test_a_manager_gets_a_private_one_time_link(web_app: WebHarness) -> None:
    """``/ladder dashboard`` answers the manager privately with a link on the public address;
    the database keeps only the token's hash."""
    replies = await web_app.core.say("manager", "dashboard")
    (reply,) = replies
    assert reply.visibility == "private"
    assert f"{PUBLIC_URL}/dashboard/signin/" in reply.text
    assert "valid 15 minutes" in reply.text
    token = reply.text.rsplit("/", 1)[1]
    async with web_app.core.ladder.sessions() as session:
        (stored,) = (await session.exec(select(SignInLink))).all()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


async def test_members_who_are_not_managers_get_no_link(web_app: WebHarness) -> None:
    """A member who is not a manager is refused before anything is written."""
    assert await web_app.core.text("jane", "dashboard") == MANAGERS_ONLY
    async with web_app.core.ladder.sessions() as session:
        assert (await session.exec(select(SignInLink))).all() == []


async def test_opening_a_link_shows_a_button_and_uses_nothing(web_app: WebHarness) -> None:
    """A link scanner's GET sees a "Sign in" button; the link still works afterwards."""
    path = await web_app.link()
    for _ in range(2):
        page = await web_app.http.get(path)
        assert page.status == 200
        text = await page.text()
        assert "Sign in to Test community" in text and "<button" in text
    assert web_app.session_cookie() is None
    signed = await web_app.http.post(path, allow_redirects=False)
    assert signed.status == 303 and signed.headers["Location"] == "/dashboard/"


async def test_signing_in_sets_a_strict_session_cookie(web_app: WebHarness) -> None:
    """The session cookie is HttpOnly, SameSite=Lax, scoped to /dashboard, and lasts 12 hours."""
    signed = await web_app.http.post(await web_app.link(), allow_redirects=False)
    header = signed.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/dashboard" in header
    assert "Max-Age=43200" in header
    assert "Secure" not in header, "http:// public address: a Secure cookie would never come back"
    overview = await web_app.http.get("/dashboard/")
    assert overview.status == 200
    assert "Overview" in await overview.text()


async def test_the_cookie_is_secure_behind_https(web_app: WebHarness) -> None:
    """With an https LADDER_PUBLIC_URL the session cookie is marked Secure."""
    web_app.core.ladder.dashboard.url = "https://ladder.example.org"
    signed = await web_app.http.post(await web_app.link(), allow_redirects=False)
    assert "Secure" in signed.headers["Set-Cookie"]


async def test_a_used_link_is_refused_with_a_page_that_says_so(web_app: WebHarness) -> None:
    """The second use of a link (GET or POST) says it was already used and how to get another."""
    path = await web_app.link()
    await web_app.http.post(path, allow_redirects=False)
    web_app.http.session.cookie_jar.clear()
    for method in (web_app.http.get, web_app.http.post):
        again = await method(path, allow_redirects=False)
        assert again.status == 410
        text = await again.text()
        assert "already used" in text and "/ladder dashboard" in text
    assert web_app.session_cookie() is None


async def test_an_expired_link_is_refused(web_app: WebHarness) -> None:
    """Fifteen minutes after it was issued, a link only explains that it expired."""
    path = await web_app.link()
    web_app.core.later(minutes=15, seconds=1)
    refused = await web_app.http.post(path, allow_redirects=False)
    assert refused.status == 410
    assert "has expired" in await refused.text()
    assert web_app.session_cookie() is None


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "x" * 5000])
async def test_a_forged_link_is_refused(web_app: WebHarness, token: str) -> None:
    """A token Ladder never issued is "not a sign-in link"."""
    await web_app.link()
    for method in (web_app.http.get, web_app.http.post):
        refused = await method(f"/dashboard/signin/{token}", allow_redirects=False)
        assert refused.status == 404
        assert "This is not a sign-in link" in await refused.text()


async def test_failed_sign_ins_are_rate_limited_per_address(web_app: WebHarness) -> None:
    """Past ten failed attempts a minute from one address, sign-in answers 429 until the minute is
    over, even for a good link."""
    for _ in range(10):
        assert (await web_app.http.get("/dashboard/signin/guess")).status == 404
    path = await web_app.link()
    limited = await web_app.http.post(path, allow_redirects=False)
    assert limited.status == 429
    assert "Too many sign-in attempts" in await limited.text()
    web_app.core.later(minutes=1)
    assert (await web_app.http.post(path, allow_redirects=False)).status == 303


async def test_a_manager_opening_good_links_is_never_limited(web_app: WebHarness) -> None:
    """Opening a dozen good links in a minute (each shown, then used) is not an attack."""
    for _ in range(12):
        path = await web_app.link()
        assert (await web_app.http.get(path)).status == 200
        assert (await web_app.http.post(path, allow_redirects=False)).status == 303


async def test_links_are_issued_to_one_manager_and_their_community(web_app: WebHarness) -> None:
    """The session names the manager the link was issued to, in the header of every page."""
    await web_app.core.text("manager", "skills docs")
    await web_app.sign_in()
    text = await (await web_app.http.get("/dashboard/")).text()
    assert "Signed in as manager" in text and "Test community" in text


async def test_a_link_of_someone_no_longer_a_manager_opens_nothing(web_app: WebHarness) -> None:
    """A manager who lost the role between the link and the click is refused."""
    path = await web_app.link()
    web_app.core.admins.clear()
    await web_app.core.text("manager", "skills")  # seen again: no longer an admin
    refused = await web_app.http.post(path, allow_redirects=False)
    assert refused.status == 403
    assert "no longer a manager" in await refused.text()


async def test_signing_out_forgets_the_session(web_app: WebHarness) -> None:
    """The "Sign out" form (with the CSRF token) ends the session in this browser."""
    await web_app.sign_in()
    token = await web_app.csrf()
    out = await web_app.http.post("/dashboard/signout", data={"csrf": token})
    assert out.status == 200 and "You are signed out" in await out.text()
    assert (await web_app.http.get("/dashboard/")).status == 401


async def test_sessions_end_after_twelve_hours(web_app: WebHarness) -> None:
    """A session older than 12 hours opens nothing; the page says how to get a new link."""
    await web_app.sign_in()
    web_app.core.later(hours=12, seconds=1)
    refused = await web_app.http.get("/dashboard/")
    assert refused.status == 401
    assert "no longer valid" in await refused.text()


async def test_a_link_still_works_within_its_fifteen_minutes(web_app: WebHarness) -> None:
    """Links expire by the dashboard's clock: one issued now still works 14 minutes later."""
    path = await web_app.link()
    web_app.core.later(minutes=14)
    assert (await web_app.http.post(path, allow_redirects=False)).status == 303


async def test_two_clicks_on_one_link_open_one_session(web_app: WebHarness) -> None:
    """Two POSTs of the same link racing each other: exactly one signs in."""
    path = await web_app.link()
    first, second = await asyncio.gather(
        web_app.http.post(path, allow_redirects=False), web_app.http.post(path, allow_redirects=False)
    )
    assert sorted([first.status, second.status]) == [303, 410]
