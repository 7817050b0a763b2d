"""The layers: handlers/ and models/ never import a chat platform; the schema upgrades itself."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_no_platform_library() -> None:
    """Importing every core module loads neither slack_bolt, slack_sdk nor discord."""
    code = (
        "import pkgutil, importlib, sys, handlers, models\n"
        "for pkg in (handlers, models):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{info.name}')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'discord'))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_lint_rule_bans_platform_imports_in_the_core(tmp_path: Path) -> None:
    """ruff's banned-api rule flags a platform import placed in handlers/."""
    offender = ROOT / "handlers" / "_lint_probe_tmp.py"
    offender.write_text('"""Probe."""\n\nimport discord  # noqa: F401\n', encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--select", "TID251", str(offender)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        offender.unlink()
    assert result.returncode == 1 and "TID251" in result.stdout


def test_db_upgrade_command_is_idempotent(tmp_path: Path) -> None:
    """`ladder db upgrade` creates the schema, and running it again changes nothing."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade"], env=env)
        assert result.exit_code == 0 and "newest schema" in result.output
