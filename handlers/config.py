"""The ladder config: levels, thresholds, points, quests, tiers, limits and the digest schedule.

Every number in DESIGN.md is a setting here. The built-in default is the default ladder of
DESIGN.md; a TOML file (``LADDER_CONFIG``) overrides any part of it, and ``ladder config check``
reports each problem with its key path.
"""

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from handlers.cron import crontab_trigger, fires_more_than_daily


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelRule(_Strict):
    """What it takes to reach a level, and whose questions members at that level answer."""

    number: int = Field(ge=0)
    name: str = Field(min_length=1, max_length=40)
    min_points: int = Field(default=0, ge=0)
    min_accepted_answers: int = Field(default=0, ge=0)
    min_days_in_community: int = Field(default=0, ge=0)
    min_active_days: int = Field(default=0, ge=0)
    min_calls: int = Field(default=0, ge=0)
    intro_or_question: bool = False
    quests_of_previous_level: bool = True
    manager_confirmation: bool = False
    appointed_only: bool = False
    answers_levels: tuple[int, ...] = ()
    answers_escalations: bool = False


class QuestRule(_Strict):
    """A quest attached to a level; ``auto_kinds`` complete it when such a contribution is credited."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    level: int = Field(ge=0)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=1000)
    points: int = Field(default=5, ge=0, le=1000)
    auto_kinds: tuple[str, ...] = ()


class Points(_Strict):
    """Points per contribution kind (a quest's points come from the quest)."""

    answer_accepted: int = Field(default=10, ge=0)
    answer_given: int = Field(default=3, ge=0)
    call_fulfilled: int = Field(default=8, ge=0)
    review: int = Field(default=2, ge=0)
    introduction: int = Field(default=2, ge=0)
    question_asked: int = Field(default=0, ge=0)
    call_led: int = Field(default=0, ge=0)


class Routing(_Strict):
    """Question routing limits."""

    helpers_per_tier: int = Field(default=3, ge=1, le=20)
    helper_active_days: int = Field(default=14, ge=1)
    max_pings_per_helper_per_day: int = Field(default=4, ge=1)
    max_open_questions_per_member: int = Field(default=5, ge=1, le=100)
    max_questions_per_member_per_day: int = Field(default=10, ge=1, le=1000)
    escalate_after_minutes: int = Field(default=30, ge=1)
    resting_after_days: int = Field(default=30, ge=1)
    similar_question_min_score: float = Field(default=0.45, gt=0, le=1)
    help_channels: tuple[str, ...] = ()
    intro_channels: tuple[str, ...] = ()


class Calls(_Strict):
    """Call-to-action limits."""

    max_open: int = Field(default=3, ge=1, le=50)
    invite_factor: int = Field(default=2, ge=1, le=10)
    max_invites_per_member_per_week: int = Field(default=2, ge=1)
    default_deadline_days: int = Field(default=7, ge=1, le=365)
    max_need: int = Field(default=50, ge=1, le=1000)
    creator_min_level: int = Field(default=4, ge=0)
    recent_days: int = Field(default=30, ge=1)


class Digest(_Strict):
    """The scheduled health report and the thresholds that raise a flag in words."""

    cron: str = "0 9 * * 1"
    timezone: str = "UTC"
    channel: str | None = None
    period_days: int = Field(default=7, ge=1, le=31)
    first_response_target_minutes: int = Field(default=30, ge=1)
    newcomer_window_days: int = Field(default=14, ge=1)
    stalled_weeks: int = Field(default=8, ge=1)
    min_answered_in_target_share: float = Field(default=0.5, ge=0, le=1)
    min_first_tier_share: float = Field(default=0.6, ge=0, le=1)
    max_top_tier_newcomer_share: float = Field(default=0.3, ge=0, le=1)
    min_call_fill_rate: float = Field(default=0.6, ge=0, le=1)
    late_grace_hours: int = Field(default=24, ge=0)


class Managers(_Strict):
    """Members allowed to run manager commands besides the platform's own admins."""

    slack: tuple[str, ...] = ()
    discord: tuple[str, ...] = ()
    discord_roles: tuple[str, ...] = ()
    console: tuple[str, ...] = ()

    def lists(self, platform: str, external_id: str) -> bool:
        """Say whether the config names this platform identity as a manager."""
        return external_id in getattr(self, platform, ())


class LadderConfig(_Strict):
    """The whole ladder. Defaults are DESIGN.md's default ladder."""

    levels: tuple[LevelRule, ...] = Field(default_factory=lambda: DEFAULT_LEVELS)
    quests: tuple[QuestRule, ...] = Field(default_factory=lambda: DEFAULT_QUESTS)
    points: Points = Points()
    routing: Routing = Routing()
    calls: Calls = Calls()
    digest: Digest = Digest()
    managers: Managers = Managers()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = list(_semantic_problems(self))
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


def _semantic_problems(config: LadderConfig) -> list[str]:
    problems: list[str] = []
    numbers = [rule.number for rule in config.levels]
    if numbers != list(range(len(numbers))):
        problems.append(f"levels: numbers must run 0, 1, 2… in order (got {numbers})")
    if len(numbers) < 2:
        problems.append("levels: a ladder needs at least two levels")
    for index, rule in enumerate(config.levels):
        for answered in rule.answers_levels:
            if answered >= rule.number:
                problems.append(
                    f"levels.{index}.answers_levels: level {rule.number} can only answer lower "
                    f"levels (got {answered})"
                )
    keys = [q.key for q in config.quests]
    for index, quest in enumerate(config.quests):
        if keys.count(quest.key) > 1 and keys.index(quest.key) != index:
            problems.append(f"quests.{index}.key: duplicate quest key {quest.key!r}")
        if numbers and quest.level > numbers[-1]:
            problems.append(f"quests.{index}.level: no level {quest.level} in the ladder")
    if config.calls.creator_min_level > (numbers[-1] if numbers else 0):
        problems.append("calls.creator_min_level: higher than the top level")
    problems.extend(cron_problems(config.digest.cron, "digest.cron"))
    problems.extend(timezone_problems(config.digest.timezone, "digest.timezone"))
    return problems


def cron_problems(cron: str, key: str = "cron") -> list[str]:
    """Return a readable problem for a digest cron that isn't five valid fields, or that would
    post the digest more than once in 24 hours; or none."""
    try:
        crontab_trigger(cron, "UTC")
    except ValueError as error:
        return [f"{key}: {error}"]
    if fires_more_than_daily(cron):
        return [
            f"{key}: {cron!r} fires more than once a day, and the digest is posted at most once "
            'per 24 hours: give one minute and one hour (like "0 9 * * 1", Mondays 09:00)'
        ]
    return []


def timezone_problems(name: str, key: str = "timezone") -> list[str]:
    """Return a readable problem for an unknown IANA time zone, or none."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [f"{key}: unknown time zone {name!r} (use an IANA name such as Europe/Paris)"]
    return []


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one line per problem with its key path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_config(data: Mapping[str, Any]) -> LadderConfig:
    """Build a config from parsed TOML, raising :class:`ConfigError` with every problem."""
    try:
        return LadderConfig.model_validate(data)
    except ValidationError as error:
        problems = [line for e in error.errors() for line in _describe(e).splitlines()]
        raise ConfigError(problems) from None


def _describe(error: Mapping[str, Any]) -> str:
    path = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown setting"
    return f"{path}: {message}" if path else message


def load_config(path: Path | None) -> LadderConfig:
    """Load a TOML config file, or the built-in default ladder when no path is given."""
    if path is None:
        return LadderConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([f"{path}: cannot read ({error.strerror})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML ({error})"]) from None
    return parse_config(data)


DEFAULT_LEVELS: tuple[LevelRule, ...] = (
    LevelRule(number=0, name="Newcomer", quests_of_previous_level=False),
    LevelRule(number=1, name="Participant", intro_or_question=True),
    LevelRule(number=2, name="Contributor", min_points=20, min_days_in_community=7, answers_levels=(0,)),
    LevelRule(
        number=3,
        name="Helper",
        min_points=60,
        min_accepted_answers=5,
        min_active_days=10,
        answers_levels=(0, 1),
    ),
    LevelRule(
        number=4,
        name="Co-creator",
        min_points=150,
        min_calls=2,
        manager_confirmation=True,
        answers_levels=(2, 3),
    ),
    LevelRule(number=5, name="Steward", appointed_only=True, answers_escalations=True),
)

DEFAULT_QUESTS: tuple[QuestRule, ...] = (
    QuestRule(
        key="say-hello",
        level=0,
        title="Say hello",
        description="Introduce yourself in the introductions channel, or ask your first question.",
        points=2,
        auto_kinds=("introduction", "question_asked"),
    ),
    QuestRule(
        key="read-the-guide",
        level=1,
        title="Read the community guide",
        description="Read the guide and submit one thing you would change or add.",
        points=5,
    ),
    QuestRule(
        key="first-answer",
        level=1,
        title="Give your first answer",
        description="Answer someone's question; the quest completes when an answer is accepted.",
        points=5,
        auto_kinds=("answer_accepted",),
    ),
    QuestRule(
        key="review-a-quest",
        level=2,
        title="Review a quest",
        description="Review another member's quest submission with a helpful note.",
        points=5,
        auto_kinds=("review",),
    ),
    QuestRule(
        key="write-a-faq",
        level=2,
        title="Write a FAQ entry",
        description="Turn a solved question into a FAQ entry and link it as evidence.",
        points=10,
    ),
    QuestRule(
        key="join-a-call",
        level=3,
        title="Answer a call",
        description="Join a call to action and see it through.",
        points=10,
        auto_kinds=("call_fulfilled",),
    ),
    QuestRule(
        key="mentor-a-newcomer",
        level=3,
        title="Mentor a newcomer",
        description="Pair with a newcomer until they reach Participant; link the thread.",
        points=15,
    ),
)
