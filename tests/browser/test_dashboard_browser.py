"""The dashboard in a real browser (Debian's Chromium), on a community built by ``ladder demo``.

Every page is visited and photographed under the test's temporary folder (``shots``); the
Overview's photo is the README's screenshot.
"""

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import DemoServer, chromium, follow, full_page_screenshot
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import create_engine, text

from bot.database import sync_url

PAGES = {
    "Overview": "Overview",
    "Members": "Members",
    "Ready & stalled": "Ready & stalled",
    "Questions": "Questions",
    "Calls": "Calls",
    "Quest reviews": "Quest reviews",
    "Digests": "Digests",
    "Audit log": "Audit log",
    "Settings": "Settings",
}
DOWNLOAD_WAIT = 30.0  # seconds a download may take to land on disk


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A fresh Chromium (fresh profile, no cookies) for one test."""
    with chromium() as driver:
        yield driver


def sign_in(browser: webdriver.Chrome, link: str) -> None:
    """Open a sign-in link and press the button, as a manager would."""
    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Sign in to Demo open-source community")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Overview"


def heading(browser: webdriver.Chrome) -> str:
    """The page's main heading."""
    return browser.find_element(By.TAG_NAME, "h1").text


def column(browser: webdriver.Chrome, index: int) -> list[str]:
    """The text of one column (0: the row header) of the page's first table."""
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    return [row.find_elements(By.CSS_SELECTOR, "th, td")[index].text for row in rows]


def test_every_page_of_the_demo_community(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """The link ``ladder demo --serve`` printed signs in; every page opens from the navigation and
    shows its heading; each is photographed (the Overview on a phone too)."""
    sign_in(browser, demo.first_link)
    full_page_screenshot(browser, demo.shots / "overview.png")
    assert "What needs attention" in browser.page_source
    chart = browser.find_element(By.CSS_SELECTOR, "svg[role=img] title").get_attribute("textContent")
    assert chart is not None and chart.startswith("Members per level, week by week")
    for label, title in PAGES.items():
        follow(browser, browser.find_element(By.LINK_TEXT, label))
        assert heading(browser) == title
        current = browser.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]").text
        assert current == label
        full_page_screenshot(
            browser, demo.shots / f"{label.lower().replace(' & ', '-').replace(' ', '-')}.png"
        )
    follow(browser, browser.find_element(By.LINK_TEXT, "Members"))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "table tbody tr th a"))
    assert browser.find_element(By.ID, "history-heading").text == "Level history"
    full_page_screenshot(browser, demo.shots / "member.png")
    browser.get(f"{demo.base}/dashboard/questions?view=unsolved")
    full_page_screenshot(browser, demo.shots / "questions-unsolved.png")
    browser.get(f"{demo.base}/dashboard/quests?view=reviewed")
    full_page_screenshot(browser, demo.shots / "quest-reviews-reviewed.png")
    for page in ("", "members"):
        browser.get(f"{demo.base}/dashboard/{page}")
        full_page_screenshot(browser, demo.shots / f"phone-{page or 'overview'}.png", width=390)


def test_filter_and_sort_members(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """Filtering by level lists only that level; clicking a column header sorts by it, and again
    reverses it; the search finds a member by part of their name."""
    sign_in(browser, demo.link())
    follow(browser, browser.find_element(By.LINK_TEXT, "Members"))
    Select(browser.find_element(By.ID, "level")).select_by_visible_text("1 Participant")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    levels = column(browser, 1)
    assert levels and set(levels) == {"1 Participant"}
    points = [int(p.replace(",", "")) for p in column(browser, 2)]
    assert points == sorted(points, reverse=True)
    follow(browser, browser.find_element(By.LINK_TEXT, "Points ▼"))
    ascending = [int(p.replace(",", "")) for p in column(browser, 2)]
    assert ascending == sorted(ascending) and set(column(browser, 1)) == {"1 Participant"}
    follow(browser, browser.find_element(By.CSS_SELECTOR, "a.sort[href*='sort=name']"))
    names = [name.split("\n")[0] for name in column(browser, 0)]
    assert names == sorted(names, key=str.casefold)
    follow(browser, browser.find_element(By.LINK_TEXT, "Clear"))
    search = browser.find_element(By.ID, "q")
    search.send_keys("member00")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    found = column(browser, 0)
    assert found and all("member00" in name.lower() for name in found)
    full_page_screenshot(browser, demo.shots / "members-filtered.png")


def test_promote_a_member_and_see_the_audit_row(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """Promoting from the member page answers with the chat's own reply, and the audit log's
    first row by managers names the member, the levels and the reason."""
    sign_in(browser, demo.link())
    browser.get(f"{demo.base}/dashboard/members?level=1&sort=points&dir=asc")
    link = browser.find_element(By.CSS_SELECTOR, "table tbody tr th a")
    name = link.text
    follow(browser, link)
    Select(browser.find_element(By.ID, "direction")).select_by_value("promote")
    Select(browser.find_element(By.ID, "new-level")).select_by_visible_text("2 Contributor")
    browser.find_element(By.ID, "reason").send_keys("ran the docs sprint <b>well</b>")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='Change level']"))
    flash = browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert flash == f"Promoted @{name} to level 2 · Contributor. Kept in the audit log with your reason."
    assert browser.find_element(By.CSS_SELECTOR, "p.lead").text.startswith("Level 2 · Contributor")
    follow(browser, browser.find_element(By.LINK_TEXT, "Audit log"))
    follow(browser, browser.find_element(By.LINK_TEXT, "By managers"))
    first = browser.find_element(By.CSS_SELECTOR, "table tbody tr")
    cells = [cell.text for cell in first.find_elements(By.CSS_SELECTOR, "th, td")]
    assert cells[1:] == [name, "1 Participant", "2 Contributor", "Ada", "ran the docs sprint <b>well</b>"]
    full_page_screenshot(browser, demo.shots / "audit-after-promotion.png")
    browser.refresh()
    assert not browser.find_elements(By.CSS_SELECTOR, ".flash"), "a reply is shown once"


def test_download_members_as_csv(demo: DemoServer, browser: webdriver.Chrome, tmp_path: Path) -> None:
    """The Members page's CSV link downloads a UTF-8 file with a header row and every member."""
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    sign_in(browser, demo.link())
    follow(browser, browser.find_element(By.LINK_TEXT, "Members"))
    total = browser.find_element(By.CSS_SELECTOR, ".pager .count").text
    browser.find_element(By.LINK_TEXT, "CSV").click()  # a download: the page stays
    deadline = time.monotonic() + DOWNLOAD_WAIT
    while not list(tmp_path.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.2)
    (download,) = tmp_path.glob("*.csv")
    assert download.name.startswith("ladder-demo-open-source-community-members-")
    rows = list(csv.DictReader(io.StringIO(download.read_text(encoding="utf-8"))))
    assert {"name", "level", "points", "accepted_answers"} <= set(rows[0])
    assert total.endswith(f"of {len(rows)} members")
    assert any(row["name"] == "Ada" for row in rows)


def test_a_used_link_is_refused(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """A link already used (the demo's own, used by the first test or here) says so."""
    link = demo.link()
    sign_in(browser, link)
    browser.delete_all_cookies()
    browser.get(link)
    assert heading(browser) == "This sign-in link was already used"
    assert not browser.find_elements(By.CSS_SELECTOR, "main form button")
    browser.get(f"{demo.base}/dashboard/")
    assert heading(browser) == "You are not signed in"


def test_a_forged_cookie_is_refused(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """A session cookie edited in the browser opens nothing."""
    sign_in(browser, demo.link())
    real = browser.get_cookie("ladder_session")
    assert real is not None and real["httpOnly"] and real["sameSite"] == "Lax"
    payload, _, signature = real["value"].rpartition(".")
    browser.delete_all_cookies()
    browser.add_cookie(
        {"name": "ladder_session", "value": f"{payload}.{'A' * len(signature)}", "path": "/dashboard"}
    )
    browser.get(f"{demo.base}/dashboard/members")
    assert heading(browser) == "Your sign-in is no longer valid"


def test_a_form_without_the_csrf_token_is_forbidden(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """A promotion form stripped of its token is refused with a 403 page; the level stays."""
    sign_in(browser, demo.link())
    browser.get(f"{demo.base}/dashboard/members?level=0")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "table tbody tr th a"))
    member_page = browser.current_url
    browser.execute_script(
        "document.querySelectorAll('input[name=csrf]').forEach(function (e) { e.remove(); });"
    )
    browser.find_element(By.ID, "reason").send_keys("no token")
    follow(browser, browser.find_element(By.XPATH, "//button[text()='Change level']"))
    assert heading(browser) == "This form has expired"
    browser.get(member_page)
    assert browser.find_element(By.CSS_SELECTOR, "p.lead").text.startswith("Level 0 · Newcomer")


def test_another_communitys_member_is_not_found(demo: DemoServer, browser: webdriver.Chrome) -> None:
    """A member id of another community in the URL is a 404 page, not their record."""
    engine = create_engine(sync_url(demo.database_url))
    with engine.begin() as connection:
        community = connection.execute(
            text(
                "INSERT INTO community (platform, external_id, name, timezone, created_at) "
                "VALUES ('console', 'elsewhere', 'Elsewhere', 'UTC', CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
        stranger = connection.execute(
            text(
                "INSERT INTO member (community_id, platform, external_id, display_name, level, status, "
                "skills, is_bot, is_manager, joined_at, level_since) VALUES (:c, 'console', "
                "'stranger', 'Stranger', 3, 'active', '', false, false, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"c": community},
        ).scalar_one()
    engine.dispose()
    sign_in(browser, demo.link())
    browser.get(f"{demo.base}/dashboard/members/{stranger}")
    assert heading(browser) == "Not found"
    assert "Stranger" not in browser.page_source
