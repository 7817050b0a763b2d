"""The demo community served by ``ladder demo --serve`` in a subprocess, for the browser tests."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import DemoServer, need_browser
from db import fresh_database_url

DEMO_MEMBERS, DEMO_WEEKS = "100", "12"
START_TIMEOUT = 600  # seconds for the simulation to finish on a busy two-core machine
_DASHBOARD = re.compile(r"^Dashboard: (http://\S+)$")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """``ladder demo --serve`` as a person runs it; interrupted (Ctrl+C) at the end."""
    need_browser()
    folder = tmp_path_factory.mktemp("demo")
    url = fresh_database_url(folder)
    env = os.environ | {
        "DATABASE_URL": url,
        "LADDER_HTTP_HOST": "127.0.0.1",
        "LADDER_HTTP_PORT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(Path(sys.executable).parent / "ladder"),
        "demo",
        "--serve",
        "--out",
        str(folder / "out"),
        "--members",
        DEMO_MEMBERS,
        "--weeks",
        DEMO_WEEKS,
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in server.stdout or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    printed: list[str] = []
    link = None
    while link is None:
        try:
            line = lines.get(timeout=START_TIMEOUT).rstrip()
        except queue.Empty:
            server.kill()
            pytest.fail("ladder demo --serve printed no Dashboard: line:\n" + "\n".join(printed))
        printed.append(line)
        found = _DASHBOARD.match(line)
        link = found[1] if found else None
        if server.poll() is not None and lines.empty() and link is None:
            pytest.fail("ladder demo --serve stopped:\n" + "\n".join(printed))
    assert sum(1 for line in printed if line.startswith("Dashboard: ")) == 1
    try:
        yield DemoServer(link.split("/dashboard/")[0], link, url, tmp_path_factory.mktemp("screenshots"))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
