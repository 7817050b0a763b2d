"""The ladder config: levels, thresholds, points, quests, tiers, limits and the digest schedule.

Every number in DESIGN.md is a setting here. The built-in default is the default ladder of
DESIGN.md; a TOML file (``LADDER_CONFIG``) overrides any part of it, and ``ladder config check``
reports each problem with its key path.
"""

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from handlers.kernel._cron import cron_problem, fires_more_than_daily
from handlers.kernel._text import normalise_emoji
from models import ContributionKind

UNKNOWN_TIMEZONE = "unknown time zone {name} (use an IANA name such as Europe/Paris)"
TOP_LEVEL = "top_level"
NO_SUCH_LEVEL = "no level {level} in the ladder"
ABOVE_THE_TOP = "higher than the top level"
THRESHOLDS = ("min_points", "min_accepted_answers", "min_days_in_community", "min_active_days", "min_calls")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _entries_filled_and_distinct(cls, value: Any) -> Any:
        """Every list of ids, names or numbers, in any section: no empty entry, none twice."""
        if not isinstance(value, tuple):
            return value
        seen: set[object] = set()
        for index, entry in enumerate(value):
            if isinstance(entry, str) and not entry.strip():
                raise ValueError(f"entry {index + 1} is empty")
            if isinstance(entry, str | int):
                if entry in seen:
                    raise ValueError(f"{entry!r} is listed twice")
                seen.add(entry)
        return value


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


def _contribution_kind(kind: str) -> str:
    """A quest's ``auto_kinds`` name contributions Ladder credits: the kinds ``[points]`` prices."""
    if kind not in Points.model_fields:
        raise ValueError(f"{kind!r} is not a contribution kind (use {', '.join(Points.model_fields)})")
    return kind


class QuestRule(_Strict):
    """A quest attached to a level; ``auto_kinds`` complete it when such a contribution is credited."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    level: int = Field(ge=0)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=1000)
    points: int = Field(default=5, ge=0, le=1000)
    auto_kinds: tuple[Annotated[str, AfterValidator(_contribution_kind)], ...] = ()

    @field_validator("level")
    @classmethod
    def _level_in_ladder(cls, level: int, info: ValidationInfo) -> int:
        return _within_ladder(level, info, NO_SUCH_LEVEL)


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

    @field_validator("creator_min_level")
    @classmethod
    def _creator_level_in_ladder(cls, level: int, info: ValidationInfo) -> int:
        return _within_ladder(level, info, ABOVE_THE_TOP)


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
    flag_min_questions: int = Field(default=10, ge=1)
    flag_min_answers: int = Field(default=10, ge=1)
    flag_min_calls: int = Field(default=3, ge=1)
    late_grace_hours: int = Field(default=24, ge=0)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, cron: str) -> str:
        problems = cron_problems(cron, "")
        if problems:
            raise ValueError(problems[0].removeprefix(": "))
        return cron

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        if not is_timezone(name):
            raise ValueError(UNKNOWN_TIMEZONE.format(name=repr(name)))
        return name


EXPLICIT_MARKS = ("✅", "✔️", "☑️", "white_check_mark", "heavy_check_mark", "ballot_box_with_check")
POSITIVE_REACTIONS = (
    *EXPLICIT_MARKS,
    "👍",
    "🙌",
    "🙏",
    "❤️",
    "🎉",
    "💯",
    "+1",
    "thumbsup",
    "raised_hands",
    "pray",
    "heart",
    "tada",
    "100",
)
THANKS_WORDS = (
    "thanks",
    "thank you",
    "thx",
    "ty",
    "cheers",
    "that worked",
    "works now",
    "solved it",
    "thankyou",
    "thank u",
    "thanx",
    "tysm",
    "much appreciated",
    "appreciate it",
    "that helped",
    "that did it",
    "that fixed it",
)


def _emoji(name: str) -> str:
    """An emoji or emoji name that still names something once normalised."""
    if not normalise_emoji(name):
        raise ValueError(f"{name!r} is not an emoji or emoji name")
    return name


def _words(words: str) -> str:
    """Thanks words: at least one letter."""
    if not any(ch.isalpha() for ch in words):
        raise ValueError(f"{words!r} has no word in it")
    return words


Emoji = Annotated[str, AfterValidator(_emoji)]
Words = Annotated[str, AfterValidator(_words)]


class Acceptance(_Strict):
    """How Ladder knows an answer helped, and the limits that keep acceptance honest.

    Emoji are compared after normalisation (skin tones, variation selectors and Slack's colons
    dropped), so ``+1::skin-tone-2`` and 👍🏽 are both ``+1``/👍. Thanks words match whole words,
    case-insensitively.
    """

    explicit_marks: tuple[Emoji, ...] = Field(default=EXPLICIT_MARKS, min_length=1)
    positive_reactions: tuple[Emoji, ...] = POSITIVE_REACTIONS
    thanks_words: tuple[Words, ...] = THANKS_WORDS
    thanks_window_hours: int = Field(default=24, ge=1, le=24 * 30)
    max_accepted_answers: int = Field(default=3, ge=1, le=20)
    same_asker_max: int = Field(default=3, ge=1)
    same_asker_window_days: int = Field(default=7, ge=1, le=365)
    answer_given_max_per_day: int = Field(default=5, ge=0)


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


def _within_ladder(level: int, info: ValidationInfo, problem: str) -> int:
    """Refuse a level above the top of the ladder being loaded (``parse_config`` passes it)."""
    top = (info.context or {}).get(TOP_LEVEL)
    if top is not None and level > top:
        raise ValueError(problem.format(level=level))
    return level


def cron_problems(cron: str, key: str = "cron") -> list[str]:
    """Return a readable problem for a digest cron that isn't five valid fields, or that would
    post the digest more than once in 24 hours; or none."""
    problem = cron_problem(cron)
    if problem is not None:
        return [f"{key}: {problem}"]
    if fires_more_than_daily(cron):
        return [
            f"{key}: {cron!r} fires more than once a day, and the digest is posted at most once "
            'per 24 hours: give one minute and one hour (like "0 9 * * 1", Mondays 09:00)'
        ]
    return []


def is_timezone(name: str) -> bool:
    """Say whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def timezone_problems(name: str, key: str = "timezone") -> list[str]:
    """Return a readable problem for an unknown IANA time zone, or none."""
    return [] if is_timezone(name) else [f"{key}: {UNKNOWN_TIMEZONE.format(name=repr(name))}"]


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
        auto_kinds=(ContributionKind.INTRODUCTION, ContributionKind.QUESTION_ASKED),
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
        auto_kinds=(ContributionKind.ANSWER_ACCEPTED,),
    ),
    QuestRule(
        key="review-a-quest",
        level=2,
        title="Review a quest",
        description="Review another member's quest submission with a helpful note.",
        points=5,
        auto_kinds=(ContributionKind.REVIEW,),
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
        auto_kinds=(ContributionKind.CALL_FULFILLED,),
    ),
    QuestRule(
        key="mentor-a-newcomer",
        level=3,
        title="Mentor a newcomer",
        description="Pair with a newcomer until they reach Participant; link the thread.",
        points=15,
    ),
)
