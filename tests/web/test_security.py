"""Nothing without a session, nothing of another community, no form without its token, no
member text rendered as HTML: each checked over real HTTP."""

import csv
import io

import pytest
from web_harness import EXPORTS, PAGES, WebHarness

from bot.web._guard import SESSION_COOKIE
from models import LevelChange


@pytest.mark.parametrize("path", [*PAGES, "/dashboard/members/1", "/dashboard/digests/1", *EXPORTS])
async def test_nothing_is_reachable_without_a_session(web_app: WebHarness, path: str) -> None:
    """Every page and every export answers 401 with a page that says how to sign in."""
    await web_app.core.text("manager", "skills docs")
    response = await web_app.http.get(path, allow_redirects=False)
    assert response.status == 401
    text = await response.text()
    assert "You are not signed in" in text and "/ladder dashboard" in text
    assert "ladder-" not in response.headers.get("Content-Disposition", "")


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_opens_for_a_signed_in_manager(web_app: WebHarness, path: str) -> None:
    """Each page answers 200 with its own heading and the community's name."""
    await web_app.sign_in()
    response = await web_app.http.get(path)
    assert response.status == 200, await response.text()
    text = await response.text()
    assert "Test community" in text and 'aria-current="page"' in text


async def test_a_forged_cookie_opens_nothing(web_app: WebHarness) -> None:
    """A session cookie whose signature does not match (edited, or from another server) is refused."""
    await web_app.sign_in()
    real = web_app.session_cookie()
    assert real is not None
    payload, _, signature = real.rpartition(".")
    forged = {
        "edited signature": f"{payload}.{signature[::-1]}",
        "other community": real.replace(payload, payload[:-2] + "xx"),
        "garbage": "not-a-session",
    }
    for name, value in forged.items():
        web_app.http.session.cookie_jar.clear()
        web_app.http.session.cookie_jar.update_cookies({SESSION_COOKIE: value}, web_app.http.make_url("/"))
        response = await web_app.http.get("/dashboard/members")
        assert response.status == 401, name
        assert "no longer valid" in await response.text()


async def test_another_communitys_member_is_not_found(web_app: WebHarness) -> None:
    """A member id of another community answers 404 on the page, the actions and the exports."""
    stranger = await web_app.stranger_id()
    await web_app.sign_in()
    token = await web_app.csrf()
    page = await web_app.http.get(f"/dashboard/members/{stranger}")
    assert page.status == 404 and "Not found" in await page.text()
    promote = await web_app.http.post(
        f"/dashboard/members/{stranger}/level",
        data={"csrf": token, "direction": "promote", "level": "2", "reason": "cross-community"},
    )
    assert promote.status == 404
    export = await web_app.http.get(f"/dashboard/export/ledger.csv?member={stranger}")
    assert export.status == 404
    async with web_app.core.ladder.sessions() as session:
        changed = await session.get(LevelChange, 1)
    assert changed is None, "nothing was promoted across communities"


async def test_a_form_without_its_token_changes_nothing(web_app: WebHarness) -> None:
    """A POST with no CSRF token, or another session's, is a 403 page and the level stays."""
    await web_app.core.text("jane", "skills docs")
    jane = await web_app.member_id("jane")
    await web_app.sign_in()
    form = {"direction": "promote", "level": "2", "reason": "looks fine"}
    for token in (None, "forged-token"):
        data = form | ({"csrf": token} if token else {})
        response = await web_app.http.post(f"/dashboard/members/{jane}/level", data=data)
        assert response.status == 403
        assert "This form has expired" in await response.text()
    assert (await web_app.core.member("jane")).level == 0


async def test_member_text_is_shown_as_text(web_app: WebHarness) -> None:
    """A name with HTML, a mention and a mass mention is shown as written: escaped, not linked."""
    hostile = '<script>alert(1)</script> <@U0ADMIN> @everyone =HYPERLINK("x")'
    await web_app.core.ladder.command(web_app.core.ctx("jane"), "skills docs")
    async with web_app.core.ladder.sessions() as session:
        jane = await web_app.core.member("jane")
        jane.display_name = hostile
        session.add(jane)
        await session.commit()
    await web_app.sign_in()
    page = await (await web_app.http.get("/dashboard/members")).text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;@U0ADMIN&gt; @everyone" in page
    assert 'href="https://' not in page and "<@U0ADMIN>" not in page
    export = await web_app.http.get("/dashboard/export/members.csv")
    rows = list(csv.DictReader(io.StringIO(await export.text())))
    (row,) = [r for r in rows if "alert" in r["name"]]
    assert row["name"] == hostile, "a name that starts with < is not a formula: kept as written"


async def test_pages_carry_security_headers(web_app: WebHarness) -> None:
    """Pages forbid framing, inline scripts and referrers (the sign-in link never leaks)."""
    for path in ("/dashboard/", await web_app.link()):
        response = await web_app.http.get(path)
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"


async def test_unknown_addresses_get_a_page_not_a_trace(web_app: WebHarness) -> None:
    """An unknown page, record or export is a plain 404 page inside the dashboard."""
    await web_app.sign_in()
    for path in (
        "/dashboard/nowhere",
        "/dashboard/members/999999",
        "/dashboard/members/abc",
        "/dashboard/digests/77",
        "/dashboard/export/passwords.csv",
        "/dashboard/export/members.xml",
    ):
        response = await web_app.http.get(path)
        assert response.status == 404, path
        assert "There is no such page" in await response.text()
