"""``/ladder dashboard`` on Slack: a private link, and the dashboard served beside Slack's endpoint
(HTTP mode) or on the standalone server (Socket Mode), on the port actually bound."""

import asyncio
import re
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from browser_kit import chromium, follow, need_browser
from fake_slack import FakeSlack
from selenium.webdriver.common.by import By
from slack_harness import BOT_TOKEN, SECRET, payload, signed_headers
from test_slack_serve import serving, settings_for

LINK = re.compile(r"http://127\.0\.0\.1:(\d+)/dashboard/signin/[A-Za-z0-9_\-]+")


def dashboard_command(fake: FakeSlack, user: str) -> bytes:
    """A signed-request body: ``/ladder dashboard`` typed by ``user``."""
    form = payload("slash_command") | {
        "text": "dashboard",
        "user_id": user,
        "response_url": fake.response_url(),
    }
    return urlencode(form).encode()


async def ask_for_link(fake: FakeSlack, port: int, user: str) -> str:
    """Send ``/ladder dashboard`` to Ladder's HTTP endpoint; return the private reply's text."""
    body = dashboard_command(fake, user)
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response,
    ):
        assert response.status == 200
    await fake.wait_for(lambda: bool(fake.to("response_url")))
    (reply,) = fake.to("response_url")
    fake.clear()
    return str(reply.args["text"])


async def test_http_mode_serves_the_dashboard_and_an_admin_gets_a_link(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """A workspace admin's ``/ladder dashboard`` answers privately with a link on the bound port;
    a member who is not a manager is refused; the link opens the sign-in page."""
    settings = settings_for(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        LADDER_HTTP_HOST="127.0.0.1",
    )
    async with serving(settings) as port:
        refused = await ask_for_link(fake, port, "U0JANE")
        reply = await ask_for_link(fake, port, "U0ADMIN")
        async with aiohttp.ClientSession() as http:
            found = LINK.search(reply)
            assert found is not None, reply
            assert int(found[1]) == port
            async with http.get(found[0]) as page:
                assert page.status == 200
                assert "Sign in" in await page.text()
            async with http.get(f"http://127.0.0.1:{port}/dashboard/members") as members:
                assert members.status == 401
    assert "Only managers" in refused and "/dashboard/" not in refused


async def test_socket_mode_serves_the_dashboard_on_the_standalone_server(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """In Socket Mode the link points at the standalone server beside /healthz, and opens."""
    settings = settings_for(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-1-A0LADDER-1-abc",
        SLACK_API_URL=fake.base_url,
        LADDER_HTTP_HOST="127.0.0.1",
    )
    envelope = payload("socket_mode_slash_command")
    envelope["payload"] |= {"text": "dashboard", "user_id": "U0ADMIN", "response_url": fake.response_url()}
    async with serving(settings):
        await fake.send_envelope(envelope)
        await fake.wait_for(lambda: bool(fake.to("response_url")))
        reply = str(fake.to("response_url")[0].args["text"])
        found = LINK.search(reply)
        assert found is not None, reply
        async with aiohttp.ClientSession() as http:
            async with http.get(found[0]) as page:
                assert page.status == 200 and "Sign in" in await page.text()
            async with http.get(f"http://127.0.0.1:{found[1]}/healthz") as health:
                assert health.status in (200, 503)


async def test_a_manager_signs_in_with_the_link_from_slack_in_a_real_browser(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """Chromium opens the link Slack delivered, presses "Sign in" and lands on the Overview."""
    need_browser()
    settings = settings_for(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        LADDER_HTTP_HOST="127.0.0.1",
    )
    async with serving(settings) as port:
        reply = await ask_for_link(fake, port, "U0ADMIN")
        found = LINK.search(reply)
        assert found is not None, reply

        def sign_in() -> tuple[str, str]:
            with chromium() as browser:
                browser.get(found[0])
                follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
                heading = browser.find_element(By.TAG_NAME, "h1").text
                browser.save_screenshot(str(tmp_path / "slack-overview.png"))
                return heading, browser.find_element(By.CSS_SELECTOR, ".who").text

        heading, who = await asyncio.to_thread(sign_in)
    assert heading == "Overview"
    assert who == "Signed in as Ada"
