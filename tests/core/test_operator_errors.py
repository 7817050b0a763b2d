"""Mistakes an operator makes get one line that says what to change, never a traceback."""

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app

UNSET = ("DATABASE_URL", "LADDER_CONFIG", "LADDER_LOG_LEVEL", "LADDER_LOG_FORMAT", "LADDER_HTTP_HOST")


def ladder(args: list[str], tmp_path: Path, **env: str) -> Result:
    """Run ``ladder`` in-process with only the given settings (the data dir under tmp_path)."""
    clean: dict[str, str | None] = dict.fromkeys(UNSET)
    clean |= {"LADDER_DATA_DIR": str(tmp_path / "data")} | env
    return CliRunner().invoke(app, args, env=clean)


def one_line(result: Result, code: int = 2) -> str:
    """The whole output is one line and the command stopped with ``code``."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and len(lines) == 1, result.output
    return lines[0]


def script(tmp_path: Path) -> str:
    """A one-line console script."""
    path = tmp_path / "script.txt"
    path.write_text("@alice joins\n", encoding="utf-8")
    return str(path)


def test_a_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    """A config saved in Latin-1 is named, with the byte, by `config check` and by `run`."""
    config = tmp_path / "ladder.toml"
    config.write_bytes("[calls]\nmax_open = 5 # café\n".encode("latin-1"))
    line = one_line(ladder(["config", "check", str(config)], tmp_path), code=1)
    assert "not UTF-8" in line and "0xe9" in line
    run = ladder(
        ["run", "--platform", "console", "--script", script(tmp_path)], tmp_path, LADDER_CONFIG=str(config)
    )
    assert "not UTF-8" in one_line(run)


def test_an_unknown_log_level(tmp_path: Path) -> None:
    """LADDER_LOG_LEVEL=LOUD is refused by name with the levels that exist."""
    line = one_line(ladder(["db", "upgrade"], tmp_path, LADDER_LOG_LEVEL="LOUD"))
    assert "LADDER_LOG_LEVEL" in line and "'LOUD'" in line and "WARNING" in line


def test_an_unsupported_database_url(tmp_path: Path) -> None:
    """A MySQL URL is refused before any connection, without echoing its password."""
    line = one_line(ladder(["db", "upgrade"], tmp_path, DATABASE_URL="mysql://ladder:s3cret@db/ladder"))
    assert "DATABASE_URL" in line and "'mysql' is not supported" in line
    assert "s3cret" not in line


def under_a_file(tmp_path: Path) -> Path:
    """A database path whose folder is a regular file."""
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    return tmp_path / "notes.txt" / "ladder.db"


def in_proc(tmp_path: Path) -> Path:
    """A database path in a folder nobody may create files in, not even root."""
    return Path("/proc/ladder/ladder.db")


@pytest.mark.parametrize("where", [under_a_file, in_proc])
@pytest.mark.parametrize("command", [["db", "upgrade"], ["run", "--platform", "console", "--script"]])
def test_an_unwritable_database_path(
    tmp_path: Path, where: Callable[[Path], Path], command: list[str]
) -> None:
    """A SQLite file Ladder cannot create is refused at once (no retries), in one line."""
    args = [*command, script(tmp_path)] if command[-1] == "--script" else command
    line = one_line(ladder(args, tmp_path, DATABASE_URL=f"sqlite:///{where(tmp_path)}"))
    assert line.startswith(f"Cannot write the SQLite database {where(tmp_path)}:"), line


def test_demo_out_naming_a_file(tmp_path: Path) -> None:
    """`demo --out` pointing at a file says so; nothing is simulated."""
    (tmp_path / "out.md").write_text("mine", encoding="utf-8")
    line = one_line(ladder(["demo", "--out", str(tmp_path / "out.md")], tmp_path))
    assert line == f"--out {tmp_path / 'out.md'} is a file: name a folder (it is created if missing)."
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == "mine"


def test_demo_out_in_an_unwritable_place(tmp_path: Path) -> None:
    """`demo --out` where no folder can be made is one line naming the option."""
    line = one_line(ladder(["demo", "--out", "/proc/ladder-demo"], tmp_path))
    assert line.startswith("--out /proc/ladder-demo: cannot write there")


def slack_server(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    """`ladder run --platform slack` in HTTP mode on 127.0.0.1:port, as an operator starts it."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env |= {
        "LADDER_DATA_DIR": str(tmp_path / "data"),
        "SLACK_BOT_TOKEN": "xoxb-1-ladder",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "LADDER_HTTP_HOST": "127.0.0.1",
        "LADDER_HTTP_PORT": str(port),
    }
    command = [sys.executable, "-c", "from bot.cli import main; main()", "run", "--platform", "slack"]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def test_the_http_port_already_in_use(tmp_path: Path) -> None:
    """A second Ladder on a taken port stops with one line; the first keeps serving (and, as a
    server, logs at INFO by default, bound to LADDER_HTTP_HOST)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = slack_server(tmp_path / "a", port)
    try:
        assert first.stderr is not None
        for line in first.stderr:
            if "serves Slack" in line:
                break
        assert f"INFO bot.slack: Ladder serves Slack on http://127.0.0.1:{port}/slack/events" in line
        second = slack_server(tmp_path / "b", port)
        _, errors = second.communicate(timeout=60)
        assert second.returncode == 2 and "Traceback" not in errors, errors
        assert errors.splitlines()[-1] == (
            f"Cannot listen on 127.0.0.1:{port}: the address is already in use. Set LADDER_HTTP_PORT "
            "(or LADDER_HTTP_HOST) to a free address, or stop the other server."
        )
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=30)
