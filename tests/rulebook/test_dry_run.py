"""``ladder import … --dry-run``: the whole summary, placement included, and nothing written."""

import hashlib
import sqlite3
from pathlib import Path

from slack_export import helpful_community
from typer.testing import CliRunner

from bot.cli import app


def digest(path: Path) -> str:
    """A file's content digest, to show it did not change."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(args: list[str], database: Path, tmp_path: Path) -> tuple[int, str, str]:
    """Run the CLI with the database and data folder under ``tmp_path``; (exit code, out, err)."""
    env = {"DATABASE_URL": f"sqlite:///{database}", "LADDER_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_dry_run_prints_the_summary_and_creates_no_database(tmp_path: Path) -> None:
    """No database file appears; the summary, with placement, goes to stdout and says it was a
    dry run; a malformed file is named on stderr."""
    export = helpful_community().write(tmp_path / "export")
    (export / "general" / "2024-01-01.json").write_text('[{"type": "message", "user": "U1", "te')
    database = tmp_path / "db" / "ladder.db"
    code, out, err = run(["import", "slack", str(export), "--dry-run"], database, tmp_path)
    assert code == 0, err
    assert not database.exists() and not database.parent.exists() and not (tmp_path / "data").exists()
    assert "Dry run: imported into an empty throw-away database" in out
    for expected in ("Members per level", "Top helpers", "Answers accepted:", "At Helper and above: U0Helpa"):
        assert expected in out
    assert "Ready for confirmation: nobody." in out
    assert "skipped malformed file general/2024-01-01.json" in err and "Importing" not in out


def test_a_dry_run_over_an_existing_database_leaves_it_untouched(tmp_path: Path) -> None:
    """Over an existing SQLite database the dry run imports into a copy: what the real import
    would add shows in the summary, and the database's bytes do not change."""
    export = helpful_community().write(tmp_path / "export")
    database = tmp_path / "ladder.db"
    code, first, err = run(["import", "slack", str(export)], database, tmp_path)
    assert code == 0, err and "Dry run" not in first
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(database)
    code, out, err = run(["import", "slack", str(export), "--dry-run"], database, tmp_path)
    assert code == 0, err
    assert f"throw-away copy of {database}" in out and " 0 new," in out
    assert digest(database) == before
