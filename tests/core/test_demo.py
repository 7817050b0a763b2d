"""`ladder demo`: a deterministic simulated community that writes its digest and chart."""

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app


def run_demo(out: Path) -> str:
    """Run a small demo and return what it printed."""
    result = CliRunner().invoke(
        app,
        ["demo", "--out", str(out), "--members", "60", "--weeks", "3", "--seed", "3"],
        env={"LADDER_DATA_DIR": str(out / "data")},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_writes_the_digest_and_chart(tmp_path: Path) -> None:
    """The demo prints the ladder and the digest and writes Markdown with a PNG chart."""
    output = run_demo(tmp_path / "a")
    assert "The ladder after 3 weeks" in output and "Ladder health" in output
    digest = (tmp_path / "a" / "digest.md").read_text(encoding="utf-8")
    assert "![" in digest and "ladder-health.png" in digest
    assert (tmp_path / "a" / "ladder-health.png").read_bytes().startswith(b"\x89PNG")


def test_demo_is_deterministic(tmp_path: Path) -> None:
    """The same seed gives the same community and the same digest."""
    run_demo(tmp_path / "a")
    run_demo(tmp_path / "b")
    first = (tmp_path / "a" / "digest.md").read_text(encoding="utf-8")
    second = (tmp_path / "b" / "digest.md").read_text(encoding="utf-8")
    assert first == second
