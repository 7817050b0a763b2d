"""`ladder import` refuses a path that is not an export, in one line, and writes nothing."""

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run `ladder import …` against a database under tmp_path."""
    result = CliRunner().invoke(app, ["import", *args], env={"LADDER_DATA_DIR": str(tmp_path / "data")})
    return result.exit_code, result.output


def test_a_folder_without_slack_files_is_not_a_slack_export(tmp_path: Path) -> None:
    """No users.json or channels.json: the manager is told what a Slack export looks like."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.txt").write_text("meow", encoding="utf-8")
    code, output = run(tmp_path, "slack", str(folder))
    assert code == 2
    assert "is not a Slack export: it has no users.json or channels.json" in output
    assert "Traceback" not in output


def test_a_file_without_channels_is_not_a_discord_export(tmp_path: Path) -> None:
    """A file that is neither JSON nor CSV is no DiscordChatExporter export."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    code, output = run(tmp_path, "discord", str(notes))
    assert code == 2 and "holds no DiscordChatExporter export" in output


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    """A typo in the path is answered plainly."""
    code, output = run(tmp_path, "slack", str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in output
