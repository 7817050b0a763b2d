"""The ladder config: DESIGN.md's default ladder built in, TOML overrides, readable problems."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from handlers.kernel import ConfigError, LadderConfig, load_config


def test_default_ladder_is_the_design() -> None:
    """Levels, thresholds, points and tiers match DESIGN.md's default ladder."""
    config = LadderConfig()
    assert [rule.name for rule in config.levels] == [
        "Newcomer",
        "Participant",
        "Contributor",
        "Helper",
        "Co-creator",
        "Steward",
    ]
    helper = config.level(3)
    assert (helper.min_points, helper.min_accepted_answers, helper.min_active_days) == (60, 5, 10)
    assert config.level(4).manager_confirmation and config.level(4).min_calls == 2
    assert config.level(5).appointed_only
    assert config.points.answer_accepted == 10 and config.points.answer_given == 3
    assert config.tiers_for(0) == [(2,), (3,), (5,)]
    assert config.tiers_for(2) == [(4,), (5,)]
    assert (config.routing.helpers_per_tier, config.routing.escalate_after_minutes) == (3, 30)
    assert (config.calls.max_open, config.calls.max_invites_per_member_per_week) == (3, 2)
    assert config.digest.cron == "0 9 * * 1"


def test_toml_overrides_a_part_and_keeps_the_rest(tmp_path: Path) -> None:
    """A file that changes one number keeps every other default."""
    path = tmp_path / "ladder.toml"
    path.write_text('[routing]\nescalate_after_minutes = 15\nhelp_channels = ["C1"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.routing.escalate_after_minutes == 15
    assert config.routing.help_channels == ("C1",)
    assert config.calls.max_open == 3


def test_every_problem_is_reported_with_its_key_path(tmp_path: Path) -> None:
    """Type errors and unknown keys are each named by their path."""
    path = tmp_path / "bad.toml"
    path.write_text(
        '[routing]\nescalate_after_minutes = "soon"\n[calls]\nmax_open = 0\nbudget = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(p.startswith("routing.escalate_after_minutes:") for p in caught.value.problems)
    assert any(p.startswith("calls.max_open:") for p in caught.value.problems)
    assert "calls.budget: unknown setting" in caught.value.problems


def test_semantic_problems_are_reported_together(tmp_path: Path) -> None:
    """A ladder whose levels skip a number and whose cron is wrong gets both problems."""
    path = tmp_path / "bad.toml"
    path.write_text(
        "quests = []\n"
        '[[levels]]\nnumber = 0\nname = "New"\n[[levels]]\nnumber = 2\nname = "Old"\n'
        '[digest]\ncron = "0 25 * * *"\ntimezone = "Mars/Olympus"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = "\n".join(caught.value.problems)
    assert "levels: numbers must run 0, 1, 2" in text
    assert "digest.cron:" in text
    assert "digest.timezone: unknown time zone 'Mars/Olympus'" in text


def test_config_check_command(tmp_path: Path) -> None:
    """`ladder config check` exits 1 listing problems, 0 with a summary for a good file."""
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("[calls]\nmax_open = 5\n", encoding="utf-8")
    bad.write_text("[calls]\nmax_open = -1\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["config", "check", str(good)])
    assert ok.exit_code == 0 and "is valid" in ok.output
    failed = runner.invoke(app, ["config", "check", str(bad)])
    assert failed.exit_code == 1 and "calls.max_open" in failed.output


def test_unreadable_and_invalid_toml_files() -> None:
    """A missing file or broken TOML is one clear problem, not a traceback."""
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(Path("/nonexistent/ladder.toml"))


def test_a_digest_cron_that_fires_more_than_daily_is_refused(tmp_path: Path) -> None:
    """`[digest] cron = "* * * * *"` would post every minute: the config says why it is refused."""
    path = tmp_path / "minute.toml"
    path.write_text('[digest]\ncron = "* * * * *"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.startswith("digest.cron: '* * * * *' fires more than once a day")
