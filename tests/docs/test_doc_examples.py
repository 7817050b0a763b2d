"""Every example in README.md and docs/*.md runs as written: a doc change that breaks one fails.

``ladder …`` commands run through the real CLI (typer's runner, in a scratch folder); the ones
that need a token or an export this machine has not must stop at that, with their one-line
answer, not at a usage error. Console scripts run through the console adapter, TOML through
``ladder config check``. Commands for other tools (docker, kubectl, systemd) cannot run here:
the repository files they name must exist.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from doc_examples import (
    KINDS,
    REPO,
    Command,
    Example,
    created_paths,
    examples,
    repository_paths,
    shell_commands,
)
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.settings import Settings

EXAMPLES = examples()
ELSEWHERE = frozenset(
    {
        "bash",
        "cat",
        "cp",
        "curl",
        "docker",
        "install",
        "journalctl",
        "kubectl",
        "mkdir",
        "mypy",
        "pip",
        "printf",
        "python",
        "python3",
        "ruff",
        "sudo",
        "systemctl",
        "useradd",
    }
)
LACKS_A_TOKEN_OR_EXPORT = re.compile(r" is not set\b|: no such file or folder")
CONSOLE_REFUSALS = (
    "Not understood",
    "Unknown action",
    "wait takes",
    "reply takes",
    "There is no question",
    "There is no message",
)
SMALLEST_DEMO = ["--members", "20", "--weeks", "2"]  # the same code as the full demo, 40 s sooner


def of_kind(kind: str) -> list[Example]:
    """The examples of one kind, for parametrizing."""
    return [example for example in EXAMPLES if example.kind == kind]


def following(example: Example) -> Example | None:
    """The example right after this one in the same document."""
    index = EXAMPLES.index(example)
    after = EXAMPLES[index + 1] if index + 1 < len(EXAMPLES) else None
    return after if after is not None and after.document == example.document else None


def ladder(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> Result:
    """Run the CLI as a person would in an empty folder, with no Ladder or platform settings."""
    names = [str(field.alias) for field in Settings.model_fields.values() if field.alias]
    clean: dict[str, str | None] = dict.fromkeys(names)
    clean |= {"LADDER_DATA_DIR": str(tmp_path / "data")} | (env or {})
    return CliRunner().invoke(app, args, env=clean)


def runnable_env(command: Command) -> dict[str, str]:
    """The example's settings a test may use: Ladder's own and SQLite URLs, never placeholders,
    tokens or servers (examples never reach a platform or a remote database from a test)."""
    return {
        name: value
        for name, value in command.env.items()
        if "…" not in value
        and name != "LADDER_DATA_DIR"
        and (name.startswith("LADDER_") or (name == "DATABASE_URL" and value.startswith("sqlite")))
    }


def test_every_example_says_what_it_is() -> None:
    """A fence without a kind this suite checks would be an example nobody runs."""
    unchecked = [f"{e.name} (```{e.kind})" for e in EXAMPLES if e.kind not in KINDS]
    assert unchecked == [], f"use one of {KINDS} so a test runs it"
    assert {"sh", "toml", "ladder-console", "text"} <= {e.kind for e in EXAMPLES}


@pytest.mark.parametrize("example", of_kind("sh"), ids=lambda e: e.name)
def test_shell_example(example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `ladder …` line runs (or stops only for a token or export it needs); every other
    command is one a reader runs elsewhere, and the repository files it names exist."""
    monkeypatch.chdir(tmp_path)
    created = created_paths(example.text)
    for command in shell_commands(example.text):
        if not command.argv:
            continue
        if command.program != "ladder":
            assert command.program in ELSEWHERE, f"{example.name}: no check runs `{command.program}`"
            missing = [
                p for p in repository_paths(command.argv) if p not in created and not (REPO / p).exists()
            ]
            assert missing == [], f"{example.name}: {missing} not in the repository"
            continue
        args = [
            str(REPO / word) if "/" in word and (REPO / word).exists() else word for word in command.argv[1:]
        ]
        if args[:1] == ["demo"]:
            args += SMALLEST_DEMO
        result = ladder(args, tmp_path, runnable_env(command))
        shown = f"{example.name}: `{' '.join(command.argv)}`\n{result.output}"
        assert "Traceback" not in result.output, shown
        if result.exit_code != 0:
            assert result.exit_code == 2 and LACKS_A_TOKEN_OR_EXPORT.search(result.output), shown


@pytest.mark.parametrize("example", of_kind("toml"), ids=lambda e: e.name)
def test_config_example(example: Example, tmp_path: Path) -> None:
    """A config example passes `ladder config check` as written."""
    path = tmp_path / "ladder.toml"
    path.write_text(example.text, encoding="utf-8")
    result = ladder(["config", "check", str(path)], tmp_path)
    assert result.exit_code == 0, f"{example.name}\n{result.output}"


@pytest.mark.parametrize("example", of_kind("ladder-console"), ids=lambda e: e.name)
def test_console_example(example: Example, tmp_path: Path) -> None:
    """A console script runs without one line refused; a ```text block right after it is what
    it prints."""
    script = tmp_path / "script.txt"
    script.write_text(example.text, encoding="utf-8")
    result = ladder(["run", "--platform", "console", "--script", str(script)], tmp_path)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    refused = [line for line in result.output.splitlines() if line.startswith(CONSOLE_REFUSALS)]
    assert refused == [], f"{example.name}: {refused}"
    shown = following(example)
    if shown is not None and shown.kind == "text":
        printed = " ".join(result.output.split())  # as read, whatever the terminal's width
        for line in shown.text.strip().splitlines():
            assert " ".join(line.split()) in printed, f"{shown.name}: {line!r} is not what the console prints"


@pytest.mark.parametrize(
    "example",
    [e for e in of_kind("text") if e.previous_kind != "ladder-console"],
    ids=lambda e: e.name,
)
def test_text_example(example: Example) -> None:
    """A folder layout names folders that exist; an invite URL asks for the permissions its
    document's table lists."""
    text = example.text.strip()
    if text.startswith("https://"):
        url = urlsplit(text)
        assert url.netloc == "discord.com", f"{example.name}: no check for this URL"
        query = parse_qs(url.query)
        assert set(query["scope"][0].split(" ")) == {"bot", "applications.commands"}
        table = re.findall(
            r"^\| [^|]+ \| (\d+) \|", example.document.read_text(encoding="utf-8"), re.MULTILINE
        )
        assert int(query["permissions"][0]) == sum(int(value) for value in table), example.name
        return
    folders = [
        line.split()[0] for line in text.splitlines() if line[:1].isalpha() and line.split()[0].endswith("/")
    ]
    assert folders, f"{example.name}: a ```text block must follow a console example, list folders or be a URL"
    assert [f for f in folders if not (REPO / f).is_dir()] == [], example.name
