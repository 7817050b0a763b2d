"""The digest on a terminal: headings on their own line, items under them, wrapped lines indented."""

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.console import wrap

SCRIPT = """\
@carol /ladder ask How do I run the tests on a machine without a network connection at all?
wait 45m
@carol /ladder health
"""


def test_the_digest_s_headings_stand_alone_and_wrapped_items_are_indented(tmp_path: Path) -> None:
    """`/ladder health` on the console: "Questions" is a line of its own, each figure sits under
    it indented, and a figure too long for the terminal continues indented, never at column 0."""
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {
        "LADDER_DATA_DIR": str(tmp_path / "data"),
        "LADDER_CONFIG": None,
        "DATABASE_URL": None,
        "COLUMNS": "60",
    }
    result = CliRunner().invoke(app, ["run", "--platform", "console", "--script", str(script)], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    digest = lines[next(i for i, line in enumerate(lines) if line.startswith("[Ladder health")) :]
    heading = digest.index("  Questions")
    assert digest[heading + 1] == "    • Asked this period: 1 (taken care of by an earlier"
    assert digest[heading + 2] == "      answer: 0)"
    assert digest[heading + 3] == "    • Solved (an answer acknowledged by a mark, a reaction"
    assert all(len(line) <= 60 for line in digest)
    shape = digest.index("  Ladder shape")
    assert digest[shape + 1].startswith("    • Steward: 0 now (compared with ")
    note = digest.index("Flags on shares need at least 10 questions, 10 answers or 3")
    assert digest[note + 1] == "  ended calls in the period."


def test_a_wrapped_bullet_continues_under_its_text() -> None:
    """A flag too long for the line continues under its first word, not under the bullet."""
    text = "• First answers are slow: median 48 min, target 30 min; 17% of 40 questions answered"
    assert wrap(text, 40).splitlines() == [
        "• First answers are slow: median 48 min,",
        "  target 30 min; 17% of 40 questions",
        "  answered",
    ]
