"""A real browser for tests: Debian's Chromium driven by Selenium through Debian's ChromeDriver.

Without the browser the tests that need it skip, saying why; CI sets ``LADDER_REQUIRE_BROWSER=1``
(``.ci/run`` installs ``chromium chromium-driver``) so that a missing browser fails instead.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from typer.testing import CliRunner

from bot.cli import app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REQUIRED = "LADDER_REQUIRE_BROWSER"
PAGE_WAIT = 30.0  # seconds a page may take to load on a busy machine
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def need_browser() -> None:
    """Skip (or, when CI requires it, fail) unless Chromium and ChromeDriver are installed."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return
    reason = f"no browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
    if os.environ.get(REQUIRED) == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile, closed on exit."""
    need_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="ladder-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(Path(profile) / "downloads")}
        )
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            yield driver
        finally:
            driver.quit()


def follow(browser: webdriver.Chrome, element: WebElement) -> None:
    """Click a link or a button and wait until the next page has replaced this one and loaded.

    A click returns before the browser navigates, so reading the page straight after it reads
    the old page, or a half-parsed new one on a busy machine.
    """
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(browser, PAGE_WAIT)
    wait.until(expected_conditions.staleness_of(page))
    wait.until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def full_page_screenshot(driver: webdriver.Chrome, path: Path, width: int = 1280) -> None:
    """Save the whole page, not only the window (the window is resized to the page's height)."""
    driver.set_window_size(width, 900)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(height + 100, 8000))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 900)


@dataclass
class DemoServer:
    """The served demo: its address, the link it printed, and how to ask for more links."""

    base: str
    first_link: str
    database_url: str
    shots: Path

    def link(self) -> str:
        """A fresh one-time link from the shell, as an operator gets one."""
        result = CliRunner().invoke(
            app,
            ["dashboard", "--community", "console:demo"],
            env={"DATABASE_URL": self.database_url, "LADDER_PUBLIC_URL": self.base},
        )
        assert result.exit_code == 0, result.output
        return result.stdout.strip().splitlines()[-1]
