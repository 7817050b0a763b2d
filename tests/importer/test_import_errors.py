"""`ladder import` refuses what it cannot import in one line on stderr, and exits non-zero."""

import json
from pathlib import Path

import pytest
from exportgen import write, zip_folder
from typer.testing import CliRunner

from bot.cli import app


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run `ladder import …` against a database under tmp_path: exit code, stdout, stderr."""
    result = CliRunner().invoke(app, ["import", *args], env={"LADDER_DATA_DIR": str(tmp_path / "data")})
    return result.exit_code, result.stdout, result.stderr


def test_a_folder_without_slack_files_is_not_a_slack_export(tmp_path: Path) -> None:
    """No users.json or channels.json: the manager is told what a Slack export looks like."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.txt").write_text("meow", encoding="utf-8")
    code, out, err = run(tmp_path, "slack", str(folder))
    assert code == 2 and out == ""
    assert "is not a Slack export: it has no users.json or channels.json" in err
    assert "Traceback" not in err


def test_a_file_without_channels_is_not_a_discord_export(tmp_path: Path) -> None:
    """A file that is neither JSON nor CSV is no DiscordChatExporter export."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    code, _, err = run(tmp_path, "discord", str(notes))
    assert code == 2 and "holds no DiscordChatExporter export" in err


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    """A typo in the path is answered plainly."""
    code, _, err = run(tmp_path, "slack", str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in err


@pytest.mark.parametrize(
    ("made", "asked", "said"),
    [
        (
            "slack-modern",
            "discord",
            "is a Slack export, not a DiscordChatExporter export: import it with `ladder import slack",
        ),
        (
            "dce-json-new",
            "slack",
            "is a DiscordChatExporter export, not a Slack export: import it with `ladder import discord",
        ),
        ("dce-csv-semicolon", "slack", "is a DiscordChatExporter export, not a Slack export"),
    ],
)
def test_an_export_of_the_other_kind_is_refused_as_such(
    tmp_path: Path, made: str, asked: str, said: str
) -> None:
    """The wrong command is named with the right one, in one line, and nothing is called malformed."""
    write(made, tmp_path / "export")
    code, out, err = run(tmp_path, asked, str(tmp_path / "export"))
    assert code == 2 and out == ""
    assert said in err and "malformed" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_archive_whose_every_file_is_malformed_fails(tmp_path: Path) -> None:
    """Files that look like exports but none decodes: exit non-zero, saying so and naming one."""
    folder = tmp_path / "broken"
    folder.mkdir()
    for n in range(3):
        (folder / f"Makers - chan{n} [{n}].json").write_text(
            '{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [{"id": '
        )
    code, out, err = run(tmp_path, "discord", str(folder))
    assert code == 2 and out == ""
    assert "nothing imported, every 3 files are malformed (first: Makers - chan0 [0].json" in err


def test_a_mixed_archive_imports_and_names_its_bad_files_on_stderr(tmp_path: Path) -> None:
    """JSON and CSV of different eras import together; a broken file, a stray JSON and HTML exports
    are set aside: the bad ones named on stderr, the summary on stdout, exit 0."""
    folder = tmp_path / "mixed"
    write("dce-json-new", folder / "json")
    write("dce-csv-semicolon", folder / "csv")
    (folder / "Makers - Text - cut [77].json").write_text(
        '{"guild": {"id": "800000000000000001"}, "channel": {"id": "77"}, "messages": [{'
    )
    (folder / "Makers - Text - empty [78].csv").write_text(
        "AuthorID,Author,Date,Content,Attachments,Reactions\n"
    )
    (folder / "settings.json").write_text(json.dumps({"theme": "dark"}))
    (folder / "Makers - Text - help [1].html").write_text("<html><div class='chatlog'></div></html>")
    code, out, err = run(tmp_path, "discord", str(folder))
    assert code == 0
    assert "skipped malformed file Makers - Text - cut [77].json: JSONDecodeError" in err
    assert "skipped malformed file settings.json: not a DiscordChatExporter export" in err
    assert "Imported Makers Guild" in out and "HTML/TXT exports (they keep no member ids): 1" in out
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("shape", "said"),
    [
        ("html", "holds only DiscordChatExporter HTML/TXT exports, which keep no member ids"),
        ("package", "is Discord's own data package, which holds only your own messages"),
        ("nested", "holds an archive (slack.zip): pass the .zip itself"),
        ("badzip", "is not a readable .zip archive"),
        ("empty", "holds no DiscordChatExporter export: no .json or .csv channel files"),
        ("direct", "holds only direct-message exports, not a server's channels"),
    ],
)
def test_other_shapes_are_refused_with_what_to_do(tmp_path: Path, shape: str, said: str) -> None:
    """Exports Ladder cannot read get a one-line answer saying what to export instead."""
    target = tmp_path / "export"
    target.mkdir()
    if shape == "html":
        (target / "Makers - help [1].html").write_text("<div class='chatlog'>", encoding="utf-8")
    elif shape == "package":
        (target / "messages").mkdir()
        (target / "messages" / "index.json").write_text("{}")
    elif shape == "nested":
        write("slack-2016", tmp_path / "slack")
        zip_folder(tmp_path / "slack", target / "slack.zip")
    elif shape == "direct":
        write("dce-json-new", tmp_path / "all")
        for dm in (tmp_path / "all").glob("Direct Messages*"):
            dm.rename(target / dm.name)
    elif shape == "badzip":
        target = tmp_path / "export.zip"
        target.write_bytes(b"PK\x03\x04 truncated download")
    code, _, err = run(tmp_path, "discord", str(target))
    assert code == 2 and said in err


def test_the_old_exporters_csv_archive_imports_with_its_messages(tmp_path: Path) -> None:
    """The reported archive shape (``;``, ``05-Jun-18 07:13 AM``) imports its messages and exits 0."""
    manifest = write("dce-csv-semicolon", tmp_path / "old")
    code, out, err = run(tmp_path, "discord", str(tmp_path / "old"))
    assert code == 0 and "malformed" not in err
    assert f"{manifest.events} events read" in out
