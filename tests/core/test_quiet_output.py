"""What a person runs at a terminal shows its result, not thousands of log lines."""

import json
import re
from pathlib import Path

from typer.testing import CliRunner, Result

from bot.cli import app

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ", re.MULTILINE
)
SCRIPT = "@alice joins\n@alice #intros say Hi, I'm Alice\n@carol /ladder ask How do I run the tests?\n"


def ladder(args: list[str], tmp_path: Path, **env: str) -> Result:
    """Run ``ladder`` in-process with only the given logging settings."""
    clean: dict[str, str | None] = {"DATABASE_URL": None, "LADDER_LOG_LEVEL": None, "LADDER_LOG_FORMAT": None}
    result = CliRunner().invoke(app, args, env=clean | {"LADDER_DATA_DIR": str(tmp_path / "data")} | env)
    assert result.exit_code == 0, result.output
    return result


def demo(tmp_path: Path, **env: str) -> Result:
    """The smallest demo."""
    return ladder(
        ["demo", "--out", str(tmp_path / "out"), "--members", "20", "--weeks", "2"], tmp_path, **env
    )


def console(tmp_path: Path, **env: str) -> Result:
    """A short console script."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "script.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    return ladder(["run", "--platform", "console", "--script", str(path)], tmp_path, **env)


def test_the_demo_prints_its_result_and_no_log_lines(tmp_path: Path) -> None:
    """`ladder demo` shows the ladder and the digest; the core's INFO lines stay out of sight."""
    output = demo(tmp_path).output
    assert "The ladder after 2 weeks" in output and "Digest written to" in output
    assert not LOG_LINE.search(output), LOG_LINE.findall(output)[:3]


def test_the_console_prints_what_members_see_and_no_log_lines(tmp_path: Path) -> None:
    """A console script shows each member's replies without 'INFO handlers.ingest' in between."""
    output = console(tmp_path).output
    assert "Question #1" in output
    assert not LOG_LINE.search(output)


def test_ladder_log_level_still_shows_everything(tmp_path: Path) -> None:
    """An operator who sets LADDER_LOG_LEVEL=INFO gets the INFO lines back, as text or JSON."""
    assert LOG_LINE.search(demo(tmp_path / "text", LADDER_LOG_LEVEL="INFO").output)
    output = console(tmp_path / "json", LADDER_LOG_LEVEL="info", LADDER_LOG_FORMAT="json").output
    records = [json.loads(line) for line in output.splitlines() if line.startswith('{"time"')]
    assert any(record["level"] == "INFO" and record["logger"] == "handlers.ingest" for record in records)
