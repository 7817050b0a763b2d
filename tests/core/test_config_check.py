"""`ladder config check` as an organizer meets it: every problem in one run, each with its key path."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

LEVELS_THAT_FALL = """\
[[levels]]
number = 0
name = "New"
[[levels]]
number = 1
name = "Regular"
min_points = 60
[[levels]]
number = 2
name = "Helper"
min_points = 40
"""
THRESHOLDS_FALL = "quests = []\n" + LEVELS_THAT_FALL


def check(tmp_path: Path, toml: str) -> tuple[int, list[str]]:
    """Run `ladder config check` on a file; return the exit code and the problems it lists."""
    path = tmp_path / "ladder.toml"
    path.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "check", str(path)])
    assert "Traceback" not in result.output
    problems = [line.removeprefix("✗ ") for line in result.output.splitlines() if line.startswith("✗ ")]
    return result.exit_code, problems


def test_type_errors_and_schedule_errors_come_in_one_run(tmp_path: Path) -> None:
    """A wrong type elsewhere no longer hides a bad cron and time zone until it is fixed."""
    code, problems = check(
        tmp_path,
        '[routing]\nescalate_after_minutes = "soon"\n'
        '[digest]\ncron = "0 25 * * *"\ntimezone = "Mars/Olympus"\n',
    )
    assert code == 1
    paths = {problem.split(":")[0] for problem in problems}
    assert {"routing.escalate_after_minutes", "digest.cron", "digest.timezone"} <= paths


@pytest.mark.parametrize(
    ("toml", "key_path", "says"),
    [
        ("[digest]\nlate_grace_hours = true\n", "digest.late_grace_hours", "integer"),
        ('[routing]\nsimilar_question_min_score = "0.5"\n', "routing.similar_question_min_score", "number"),
        (
            '[[quests]]\nkey = "x"\nlevel = 0\ntitle = "X"\nauto_kinds = ["answer_accepted", "answers"]\n',
            "quests.0.auto_kinds.1",
            "'answers' is not a contribution kind",
        ),
        (THRESHOLDS_FALL, "levels.2.min_points", "lower than level 1's 60"),
        ('[managers]\nslack = ["U1", "U2", "U1"]\n', "managers.slack", "'U1' is listed twice"),
        ('[managers]\nconsole = ["ada", " "]\n', "managers.console", "entry 2 is empty"),
        ('[routing]\nhelp_channels = [""]\n', "routing.help_channels", "entry 1 is empty"),
    ],
)
def test_each_mistake_is_refused_with_its_key_path(
    tmp_path: Path, toml: str, key_path: str, says: str
) -> None:
    """Values the checker used to accept (a bool for hours, an unknown kind, falling thresholds,
    repeated or empty ids) are refused, each named by where it is."""
    code, problems = check(tmp_path, toml)
    assert code == 1, problems
    assert any(p.startswith(f"{key_path}:") and says in p for p in problems), problems


def test_every_kind_of_problem_is_listed_together(tmp_path: Path) -> None:
    """Types, schedules, levels, quests, managers and cross-section rules: all in one report."""
    code, problems = check(
        tmp_path,
        LEVELS_THAT_FALL
        + '[[quests]]\nkey = "far"\nlevel = 7\ntitle = "Far"\nauto_kinds = ["chatter"]\n'
        + "[calls]\nmax_open = true\n"
        + '[digest]\ncron = "every day"\nlate_grace_hours = 1.5\n'
        + '[managers]\nslack = ["U1", "U1"]\n',
    )
    assert code == 1
    paths = {problem.split(":")[0] for problem in problems}
    assert {
        "levels.2.min_points",
        "quests.0.level",
        "quests.0.auto_kinds.0",
        "calls.max_open",
        "digest.cron",
        "digest.late_grace_hours",
        "managers.slack",
    } <= paths, problems


def test_a_cross_section_rule_is_not_guessed_from_a_broken_section(tmp_path: Path) -> None:
    """When the levels themselves are broken, quests are not measured against default levels."""
    code, problems = check(
        tmp_path,
        '[[levels]]\nnumber = "zero"\nname = "New"\n[[levels]]\nnumber = 1\nname = "Old"\n'
        '[[quests]]\nkey = "q"\nlevel = 1\ntitle = "Q"\n',
    )
    assert code == 1
    assert [p.split(":")[0] for p in problems] == ["levels.0.number"], problems


def test_a_good_file_is_still_valid(tmp_path: Path) -> None:
    """The README's kind of file passes, with the default ladder's falling-to-zero thresholds."""
    code, problems = check(tmp_path, '[routing]\nhelp_channels = ["C1"]\n[managers]\nslack = ["U1"]\n')
    assert (code, problems) == (0, [])


def test_version() -> None:
    """`ladder --version` says which Ladder is installed, as operators paste into bug reports."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == "ladder 0.1.0"


def test_a_valid_file_is_summed_up_in_plain_english(tmp_path: Path) -> None:
    """One quest is "1 quest", not "1 quests"."""
    path = tmp_path / "ladder.toml"
    path.write_text('[[quests]]\nkey = "hello"\nlevel = 0\ntitle = "Say hello"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("; 1 quest."), result.output
