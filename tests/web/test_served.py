"""The dashboard served by ``ladder run`` (the console, interactively) and linked from the shell."""

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from db import fresh_database_url
from typer.testing import CliRunner

from bot.cli import app

LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/dashboard/signin/[A-Za-z0-9_\-]+")
TIMEOUT = 120  # seconds for the console to start, answer and stop on a busy machine


def test_the_console_serves_the_dashboard_and_gives_a_manager_a_link(tmp_path: Path) -> None:
    """``ladder run --platform console`` plus ``/ladder dashboard`` prints a link that opens the
    sign-in page on the port the console listens on; a member who is not a manager gets none."""
    env = os.environ | {
        "DATABASE_URL": fresh_database_url(tmp_path),
        "LADDER_HTTP_HOST": "127.0.0.1",
        "LADDER_HTTP_PORT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    console = subprocess.Popen(
        [str(Path(sys.executable).parent / "ladder"), "run", "--platform", "console"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert console.stdin is not None and console.stdout is not None
    console.stdin.write("@jane /ladder dashboard\n@admin /ladder dashboard\n")
    console.stdin.flush()
    printed: list[str] = []
    for line in console.stdout:
        printed.append(line)
        if LINK.search(line):
            break
    found = LINK.search("".join(printed))
    assert found is not None, "".join(printed)
    with urllib.request.urlopen(found[0], timeout=TIMEOUT) as page:  # noqa: S310 - the http:// link Ladder printed
        assert page.status == 200
        assert "Sign in to Console community" in page.read().decode()
    rest, _ = console.communicate(timeout=TIMEOUT)  # closes stdin: the console stops
    output = "".join(printed) + rest
    assert f"Dashboard: {found[1]}/dashboard/" in output
    assert output.count("/dashboard/signin/") == 1, "jane is no manager: one link only, for admin"
    assert "Only managers can do that" in output


def test_the_shell_prints_a_link_for_the_first_known_manager(tmp_path: Path) -> None:
    """``ladder dashboard --community console:console`` prints a link on LADDER_PUBLIC_URL; with no
    manager known, or a community that does not exist, one line says what to do instead."""
    url = fresh_database_url(tmp_path)
    runner = CliRunner()
    env = {"DATABASE_URL": url, "LADDER_PUBLIC_URL": "https://ladder.example.org"}
    missing = runner.invoke(app, ["dashboard", "--community", "console:console"], env=env)
    assert missing.exit_code == 2
    assert "No community 'console:console' in this database" in missing.output
    script = tmp_path / "script.txt"
    script.write_text("@jane /ladder skills docs\n", encoding="utf-8")
    runner.invoke(app, ["run", "--platform", "console", "--script", str(script)], env=env)
    nobody = runner.invoke(app, ["dashboard", "--community", "console:console"], env=env)
    assert nobody.exit_code == 2 and "--manager" in nobody.output and len(nobody.output.splitlines()) <= 2
    script.write_text("@admin /ladder skills docs\n", encoding="utf-8")
    runner.invoke(app, ["run", "--platform", "console", "--script", str(script)], env=env)
    printed = runner.invoke(app, ["dashboard", "--community", "console:console"], env=env)
    assert printed.exit_code == 0, printed.output
    assert re.fullmatch(
        r"https://ladder\.example\.org/dashboard/signin/[A-Za-z0-9_\-]{43}", printed.stdout.strip()
    )
    assert "Sign-in link for admin at Console community (valid 15 minutes, works once)" in printed.stderr
    other = runner.invoke(app, ["dashboard", "--community", "console:console", "--manager", "jane"], env=env)
    assert other.exit_code == 2 and "'jane' is not a manager" in other.output
