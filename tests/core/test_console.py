"""The console adapter: a script of several members, printed as each would see it."""

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

SCRIPT = """\
# a tiny community
@alice joins
@alice #intros say Hi! I'm Alice.
@bob say hi
@admin /ladder promote @bob 2 Helped on the old forum
@carol /ladder ask How do I run the tests? @everyone
wait 45m
@bob reply 1 Run make test
@carol react c4 ✅
@carol /ladder level
@nobody frobnicate
@admin /ladder cal nwe
this line is not a member line
"""


def test_console_script_plays_a_community(tmp_path: Path) -> None:
    """Every line is handled; members see their DMs, replies and channel posts."""
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    config = tmp_path / "ladder.toml"
    config.write_text('[routing]\nhelp_channels = ["help"]\nintro_channels = ["intros"]\n', encoding="utf-8")
    env = {"LADDER_DATA_DIR": str(tmp_path / "data"), "LADDER_CONFIG": str(config)}
    result = CliRunner().invoke(app, ["run", "--platform", "console", "--script", str(script)], env=env)
    out = result.output
    assert result.exit_code == 0, out
    assert "DM @alice\n[Welcome]" in out
    assert "You are now level 1 · *Participant*" in out
    assert "Question #1: “How do I run the tests? @\u200beveryone”" in out
    assert "DM @bob\n[Can you help?]" in out
    assert "… 45m later" in out
    assert "@bob replied to your question #1" in out
    assert "Your answer to question #1 was accepted." in out
    assert "Unknown action 'frobnicate'." in out
    assert "Usage: /ladder call new" in out
    assert "Not understood: 'this line is not a member line'." in out
    assert "Traceback" not in out
