"""The rows the dashboard's tables show: plain, frozen values a template or an export reads."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.kernel import LadderConfig
from models import Member, MemberStatus, QuestionStatus, QuestStatus, SignupStatus


def level_name(config: LadderConfig, level: int) -> str:
    """A level's name, or "Level n" for a level the config no longer has."""
    return config.level_name(level) if 0 <= level <= config.top_level else f"Level {level}"


def member_name(member: Member) -> str:
    """What the dashboard calls a member: their display name, else their platform id."""
    return member.display_name or member.external_id


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One row of the Members page.

    ``missing`` lists, in words, every requirement of the next level the member does not meet yet
    (the sentences ``/ladder why`` uses); empty at the top of the ladder or when nothing is missing.
    """

    member_id: int
    external_id: str
    name: str
    level: int
    level_name: str
    status: MemberStatus
    is_manager: bool
    points: int
    accepted_answers: int
    answers_given: int
    calls: int
    active_days: int
    joined_at: datetime
    level_since: datetime
    last_active_at: datetime | None
    next_level: int | None
    next_level_name: str | None
    missing: tuple[str, ...]

    @property
    def resting(self) -> bool:
        """Off the question roster until active again (level kept)."""
        return self.status == MemberStatus.RESTING

    @property
    def missing_text(self) -> str:
        """What the next level still needs, as one sentence for a table cell."""
        if self.next_level_name is None:
            return "Top of the ladder."
        if not self.missing:
            return f"Meets every requirement of {self.next_level_name}."
        return f"{self.next_level_name}: " + "; ".join(self.missing) + "."


@dataclass(frozen=True, slots=True)
class LevelChangeRow:
    """One entry of the audit log: a member's level changed, by whom (None: Ladder) and why."""

    change_id: int
    at: datetime
    member_id: int
    member_name: str
    from_level: int
    from_level_name: str
    to_level: int
    to_level_name: str
    by_member_id: int | None
    by_name: str | None
    reason: str

    @property
    def manual(self) -> bool:
        """Set by a manager (promote/demote), not reached automatically or by placement."""
        return self.by_member_id is not None


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """A question still waiting: who asked, how long ago, which tier it has reached.

    ``tier`` is 1-based among ``tiers`` (0 while the asker weighs an earlier answer Ladder found);
    ``tier_levels`` names the levels of the current tier; ``exhausted`` means every tier was tried
    and the managers were told; ``waiting_on`` names the helpers pinged whose assignment is open.
    """

    question_id: int
    asked_at: datetime
    age: timedelta
    asker_id: int
    asker_name: str
    asker_level: int
    asker_level_name: str
    text: str
    status: QuestionStatus
    tier: int
    tiers: int
    tier_levels: tuple[str, ...]
    escalations: int
    exhausted: bool
    first_response_at: datetime | None
    waiting_on: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SignupRow:
    """A member's place on a call (the waitlist in the order it moves up)."""

    call_id: int
    member_id: int
    name: str
    status: SignupStatus
    joined_at: datetime
    waitlisted_at: datetime | None


@dataclass(frozen=True, slots=True)
class CallRow:
    """A call to action with its sign-ups: confirmed, waitlisted (in order) and fulfilled."""

    call_id: int
    title: str
    status: str
    need: int
    min_level: int
    min_level_name: str
    skills: tuple[str, ...]
    creator_name: str
    created_at: datetime
    deadline: datetime
    filled_at: datetime | None
    closed_at: datetime | None
    confirmed: tuple[SignupRow, ...]
    waitlist: tuple[SignupRow, ...]
    fulfilled: tuple[SignupRow, ...]
    withdrawn: int


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A quest submission: pending review, or reviewed (by whom, when, with what note)."""

    progress_id: int
    member_id: int
    member_name: str
    external_id: str
    quest_key: str
    quest_title: str
    quest_level: int
    status: QuestStatus
    evidence: str
    submitted_at: datetime
    reviewer_name: str | None
    reviewed_at: datetime | None
    note: str


@dataclass(frozen=True, slots=True)
class QuestRow:
    """One quest of the ladder and where a member stands on it (``status`` None: not started)."""

    key: str
    title: str
    level: int
    points: int
    status: QuestStatus | None
    submitted_at: datetime | None
    reviewed_at: datetime | None


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One contribution in a member's ledger."""

    at: datetime
    kind: str
    points: int
    source_id: str


@dataclass(frozen=True, slots=True)
class DigestRow:
    """A digest period: claimed, then posted (where, and whether late)."""

    digest_id: int
    period_start: datetime
    period_end: datetime
    status: str
    claimed_at: datetime
    posted_at: datetime | None
    late: bool
    channel_id: str | None


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting in force: ``section.key = value``; ``source`` says where it comes from
    ("ladder config" or "community", for what managers changed with commands)."""

    section: str
    key: str
    value: str
    source: str
