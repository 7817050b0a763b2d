"""`ladder demo`: a deterministic simulated community that writes its digest and chart."""

import sqlite3
from pathlib import Path

import pytest
from db import fresh_database_url
from typer.testing import CliRunner

from bot.cli import app


def run_demo(out: Path, database_url: str) -> str:
    """Run a small demo on the given database (SQLite, or PostgreSQL in CI) and return its output."""
    result = CliRunner().invoke(
        app,
        ["demo", "--out", str(out), "--members", "60", "--weeks", "3", "--seed", "3"],
        env={"DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One demo on SQLite (its folder, its database file, its output), read by several tests:
    a demo takes half a minute, and these tests only read what it left."""
    folder = tmp_path_factory.mktemp("demo")
    database = folder / "demo.db"
    return folder / "out", database, run_demo(folder / "out", f"sqlite:///{database}")


def test_demo_writes_the_digest_and_chart(sqlite_demo: tuple[Path, Path, str]) -> None:
    """The demo prints the ladder and the digest and writes Markdown with a PNG chart."""
    out, _, output = sqlite_demo
    assert "The ladder after 3 weeks" in output and "Ladder health" in output
    digest = (out / "digest.md").read_text(encoding="utf-8")
    assert "![" in digest and "ladder-health.png" in digest
    assert (out / "ladder-health.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_demo_is_deterministic(tmp_path: Path) -> None:
    """The same seed gives the same community and the same digest."""
    run_demo(tmp_path / "a", fresh_database_url(tmp_path / "a"))
    run_demo(tmp_path / "b", fresh_database_url(tmp_path / "b"))
    first = (tmp_path / "a" / "digest.md").read_text(encoding="utf-8")
    second = (tmp_path / "b" / "digest.md").read_text(encoding="utf-8")
    assert first == second


def test_demo_refuses_a_database_that_already_holds_it(tmp_path: Path) -> None:
    """A second demo into the same database would mix communities: it stops with one line."""
    url = fresh_database_url(tmp_path)
    run_demo(tmp_path / "a", url)
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "b")], env={"DATABASE_URL": url})
    assert result.exit_code == 2
    assert "already holds a demo community" in result.output


def test_demo_askers_acknowledge_answers_as_real_ones_do(sqlite_demo: tuple[Path, Path, str]) -> None:
    """Answers in the demo are mostly accepted by a reaction or thanks in words, rarely by a
    mark or the button (DESIGN.md's real proportions), through the same events path."""
    _, database, _ = sqlite_demo
    with sqlite3.connect(database) as connection:
        signals = dict(
            connection.execute(
                "SELECT accepted_signal, count(*) FROM answer WHERE accepted_signal IS NOT NULL "
                "GROUP BY accepted_signal"
            ).fetchall()
        )
    assert signals.get("reaction", 0) > signals.get("explicit", 0)
    assert signals.get("thanks", 0) > signals.get("explicit", 0)


def test_demo_escalates_on_time_day_and_night(sqlite_demo: tuple[Path, Path, str]) -> None:
    """The demo sweeps when the real scheduler would (at each timer, day and night), so no
    question waits past the escalation timer after its helpers were pinged without escalating:
    the digest's first-tier share cannot contradict its "answered within 30 min"."""
    _, database, _ = sqlite_demo
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT q.id, q.escalations, q.exhausted,"
            " (julianday(q.first_response_at) - julianday(min(a.assigned_at))) * 1440"
            " FROM question q JOIN assignment a ON a.question_id = q.id"
            " WHERE q.first_response_at IS NOT NULL GROUP BY q.id"
        ).fetchall()
    assert len(rows) > 10
    late_unescalated = [
        (question, round(minutes))
        for question, escalations, exhausted, minutes in rows
        if minutes > 31 and escalations == 0 and not exhausted
    ]
    assert late_unescalated == []
