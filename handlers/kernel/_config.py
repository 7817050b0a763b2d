"""The ladder config: levels, thresholds, points, quests, tiers, limits and the digest schedule.

Every number in DESIGN.md is a setting here: the whole config and its loading in this module,
its sections in ``_config_sections`` and ``_config_acceptance``, the default ladder's levels and
quests in ``_config_defaults``, the checks they share in ``_config_base``. The built-in default
is the default ladder of DESIGN.md; a TOML file (``LADDER_CONFIG``) overrides any part of it, and
``ladder config check`` reports each problem with its key path.
"""

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from handlers.kernel._config_acceptance import Acceptance
from handlers.kernel._config_base import (
    ABOVE_THE_TOP,
    NO_SUCH_LEVEL,
    THRESHOLDS,
    TOP_LEVEL,
    Strict,
    cron_problems,
    timezone_problems,
)
from handlers.kernel._config_defaults import DEFAULT_LEVELS, DEFAULT_QUESTS
from handlers.kernel._config_sections import Calls, Digest, LevelRule, Managers, Points, QuestRule, Routing

__all__ = [
    "DEFAULT_LEVELS",
    "Acceptance",
    "Calls",
    "ConfigError",
    "LadderConfig",
    "LevelRule",
    "Managers",
    "Points",
    "QuestRule",
    "Routing",
    "cron_problems",
    "load_config",
    "parse_config",
    "timezone_problems",
]
"""What the kernel's package exports from the config (its parts live in ``_config_*``)."""


class LadderConfig(Strict):
    """The whole ladder. Defaults are DESIGN.md's default ladder."""

    levels: tuple[LevelRule, ...] = Field(default_factory=lambda: DEFAULT_LEVELS)
    quests: tuple[QuestRule, ...] = Field(default_factory=lambda: DEFAULT_QUESTS)
    points: Points = Points()
    routing: Routing = Routing()
    calls: Calls = Calls()
    digest: Digest = Digest()
    managers: Managers = Managers()
    acceptance: Acceptance = Acceptance()

    @field_validator("levels")
    @classmethod
    def _a_ladder(cls, levels: tuple[LevelRule, ...]) -> tuple[LevelRule, ...]:
        problems = _level_problems(levels)
        if problems:
            raise ValueError("\n".join(problems))
        return levels

    @field_validator("quests")
    @classmethod
    def _distinct_quest_keys(cls, quests: tuple[QuestRule, ...]) -> tuple[QuestRule, ...]:
        keys = [q.key for q in quests]
        problems = [
            f"quests.{index}.key: duplicate quest key {quest.key!r}"
            for index, quest in enumerate(quests)
            if keys.index(quest.key) != index
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return quests

    @model_validator(mode="after")
    def _sections_agree(self) -> Self:
        problems = _cross_section_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def top_level(self) -> int:
        """The highest level number (the Steward in the default ladder)."""
        return self.levels[-1].number

    def level(self, number: int) -> LevelRule:
        """Return the rule of a level, clamped to the ladder."""
        return self.levels[max(0, min(number, self.top_level))]

    def level_name(self, number: int) -> str:
        """Return a level's display name."""
        return self.level(number).name

    def quests_of(self, level: int) -> tuple[QuestRule, ...]:
        """Return the quests attached to a level."""
        return tuple(q for q in self.quests if q.level == level)

    def quest(self, key: str) -> QuestRule | None:
        """Find a quest by its key."""
        return next((q for q in self.quests if q.key == key), None)

    def tiers_for(self, asker_level: int) -> list[tuple[int, ...]]:
        """Return the tiers, in escalation order, that answer a level's questions.

        A tier is the set of levels that answer the asker's level, lowest first; the levels that
        answer escalations come last. Managers are the final resort after every tier.
        """
        tiers: list[tuple[int, ...]] = [
            (rule.number,)
            for rule in self.levels
            if asker_level in rule.answers_levels and rule.number > asker_level
        ]
        escalation = tuple(r.number for r in self.levels if r.answers_escalations and r.number > asker_level)
        if escalation:
            tiers.append(escalation)
        return tiers


def _level_problems(levels: tuple[LevelRule, ...]) -> list[str]:
    """Rules of the ladder alone: numbered in order, answering lower levels, thresholds that rise.

    A threshold of 0 asks nothing more at that level (the default ladder's Co-creator counts no
    active days), so only a positive threshold below an earlier level's is a fall.
    """
    problems: list[str] = []
    numbers = [rule.number for rule in levels]
    if numbers != list(range(len(numbers))):
        problems.append(f"levels: numbers must run 0, 1, 2… in order (got {numbers})")
    if len(numbers) < 2:
        problems.append("levels: a ladder needs at least two levels")
    highest: dict[str, tuple[int, int]] = {}
    for index, rule in enumerate(levels):
        for answered in rule.answers_levels:
            if answered >= rule.number:
                problems.append(
                    f"levels.{index}.answers_levels: level {rule.number} can only answer lower "
                    f"levels (got {answered})"
                )
        for name in THRESHOLDS:
            value = getattr(rule, name)
            earlier = highest.get(name)
            if value and earlier is not None and value < earlier[1]:
                problems.append(
                    f"levels.{index}.{name}: {value} is lower than level {earlier[0]}'s {earlier[1]} "
                    "(a higher level cannot ask for less)"
                )
            if value and (earlier is None or value > earlier[1]):
                highest[name] = (rule.number, value)
    return problems


def _cross_section_problems(config: LadderConfig) -> list[str]:
    """Rules that measure another section against the ladder's levels (configs built in code)."""
    top = config.levels[-1].number if config.levels else 0
    problems = [
        f"quests.{index}.level: {NO_SUCH_LEVEL.format(level=quest.level)}"
        for index, quest in enumerate(config.quests)
        if quest.level > top
    ]
    if config.calls.creator_min_level > top:
        problems.append(f"calls.creator_min_level: {ABOVE_THE_TOP}")
    return problems


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one line per problem with its key path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_config(data: Mapping[str, Any]) -> LadderConfig:
    """Build a config from parsed TOML, raising :class:`ConfigError` with every problem at once.

    Values are checked strictly, as TOML typed them (``true`` is not a number of hours, ``"0.5"``
    not a share). The rules that measure a section against the ladder get the top level up
    front, read from the file's own levels when those are sound, so they are reported in the same
    run as any other problem.
    """
    context = {TOP_LEVEL: _top_level(data)}
    try:
        return LadderConfig.model_validate_json(_as_json(data), strict=True, context=context)
    except ValidationError as error:
        raise ConfigError(_problems(error)) from None


def _top_level(data: Mapping[str, Any]) -> int | None:
    """The top level of the file's ladder, or None when its levels are themselves broken."""
    if "levels" not in data:
        return DEFAULT_LEVELS[-1].number
    try:
        levels = TypeAdapter(tuple[LevelRule, ...]).validate_json(_as_json(data["levels"]), strict=True)
    except ValidationError:
        return None
    return levels[-1].number if levels else None


def _as_json(value: object) -> str:
    """TOML as JSON for strict validation; TOML dates have no place in a config: they become text."""
    return json.dumps(value, default=str)


def _problems(error: ValidationError) -> list[str]:
    return [line for e in error.errors() for line in _describe(e).splitlines()]


def _describe(error: Mapping[str, Any]) -> str:
    path = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown setting"
    if not path or message.startswith((f"{path}.", f"{path}:")):
        return message
    return f"{path}: {message}"


def load_config(path: Path | None) -> LadderConfig:
    """Load a TOML config file, or the built-in default ladder when no path is given."""
    if path is None:
        return LadderConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([f"{path}: cannot read ({error.strerror})"]) from None
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        problem = f"{path}: not UTF-8 text (byte {byte:#04x} at offset {error.start}): save it as UTF-8"
        raise ConfigError([problem]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML ({error})"]) from None
    return parse_config(data)
