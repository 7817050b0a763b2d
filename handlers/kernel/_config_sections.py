"""The config's sections: levels, quests, points, routing, calls, the digest and managers."""

from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from handlers.kernel._config_base import (
    ABOVE_THE_TOP,
    NO_SUCH_LEVEL,
    UNKNOWN_TIMEZONE,
    Strict,
    cron_problems,
    is_timezone,
    within_ladder,
)


class LevelRule(Strict):
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


class QuestRule(Strict):
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
        return within_ladder(level, info, NO_SUCH_LEVEL)


class Points(Strict):
    """Points per contribution kind (a quest's points come from the quest)."""

    answer_accepted: int = Field(default=10, ge=0)
    answer_given: int = Field(default=3, ge=0)
    call_fulfilled: int = Field(default=8, ge=0)
    review: int = Field(default=2, ge=0)
    introduction: int = Field(default=2, ge=0)
    question_asked: int = Field(default=0, ge=0)
    call_led: int = Field(default=0, ge=0)


class Routing(Strict):
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


class Calls(Strict):
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
        return within_ladder(level, info, ABOVE_THE_TOP)


class Digest(Strict):
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


class Managers(Strict):
    """Members allowed to run manager commands besides the platform's own admins."""

    slack: tuple[str, ...] = ()
    discord: tuple[str, ...] = ()
    discord_roles: tuple[str, ...] = ()
    console: tuple[str, ...] = ()

    def lists(self, platform: str, external_id: str) -> bool:
        """Say whether the config names this platform identity as a manager."""
        return external_id in getattr(self, platform, ())
