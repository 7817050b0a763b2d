"""The layers: handlers/ and models/ never import a chat platform, capabilities keep to their
public surfaces (import-linter's contracts); the schema upgrades itself."""

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
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'discord'))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_importing_the_core_builds_no_process_wide_stemmer() -> None:
    """The question-term reader (stopwords, Snowball stemmer, its cache) is an object the
    composition root builds and passes down: importing every core module builds none."""
    code = (
        "import gc, pkgutil, importlib, handlers, models\n"
        "for pkg in (handlers, models):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sum(type(o).__name__ == 'EnglishStemmer' for o in gc.get_objects()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "0"


def test_lint_rule_bans_platform_imports_in_the_core() -> None:
    """Ruff's banned-api rule flags a platform import in a file under handlers/ (linted from
    standard input, so nothing is written into the source tree)."""
    probe = '"""Probe."""\n\nimport discord  # noqa: F401\n'
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "TID251",
            "--stdin-filename",
            "handlers/probe.py",
        ],
        input=probe,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1 and "TID251" in result.stdout


def test_import_contracts_hold() -> None:
    """import-linter's contracts (pyproject.toml) are kept: the build fails when the core imports
    a platform, scheduler, web framework or metrics library, or a capability reaches into another
    capability's private modules."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_db_upgrade_command_is_idempotent(tmp_path: Path) -> None:
    """`ladder db upgrade` creates the schema, and running it again changes nothing."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade"], env=env)
        assert result.exit_code == 0 and "newest schema" in result.output
