"""Console lines as the README writes them: trailing comments, and reactions that must land."""

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

SCRIPT = """\
@carol /ladder ask How do I run the tests?
wait 45m                      # move time on; escalations and deadlines run
@bob reply 1 Run `make test` from the repo root.
@carol react c9 ✅             # a message nobody posted
@carol react c1 ✅             # or: @carol press accept_answer 1
@dave say I'm #1 at tests  # not a comment before the two spaces
"""


def test_comments_after_two_spaces_and_reactions_to_printed_messages(tmp_path: Path) -> None:
    """`wait 45m   # …` waits; a reaction to an id never printed is refused by name; one to the
    printed reply accepts it; a # inside a member's words stays part of them."""
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {"LADDER_DATA_DIR": str(tmp_path / "data"), "LADDER_CONFIG": None, "DATABASE_URL": None}
    result = CliRunner().invoke(app, ["run", "--platform", "console", "--script", str(script)], env=env)
    out = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "… 45m later" in out and "wait takes a duration" not in out
    assert "(@bob's message c1 in #general)" in out
    assert "There is no message 'c9' to react to" in out
    assert "Your answer to question #1 was accepted." in out
    assert "(@dave's message c3 in #general)" in out
