"""A member's standing against the ladder: what they have, and what the next level still needs."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from handlers.kernel import LadderConfig, LevelRule, Scope, plural
from models import (
    TOTAL_OF_KIND,
    ActiveDay,
    ContributionKind,
    Member,
    Quest,
    QuestProgress,
    QuestStatus,
)
from models.queries import chunks

CALL_KINDS = (ContributionKind.CALL_FULFILLED, ContributionKind.CALL_LED)
FIRST_STEP_KINDS = (ContributionKind.INTRODUCTION, ContributionKind.QUESTION_ASKED)
ANSWER_KINDS = (
    ContributionKind.ANSWER_GIVEN,
    ContributionKind.ANSWER_ACCEPTED,
    ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT,
)


@dataclass(slots=True)
class Standing:
    """What a member has earned so far: the ledger's totals (kept on the member row by the credit
    path), active days and approved quests."""

    member: Member
    points: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    active_days: int = 0
    approved_quests: set[str] = field(default_factory=set)

    @property
    def accepted_answers(self) -> int:
        """Answers of theirs that askers marked as solving the question."""
        return self.kinds.get(ContributionKind.ANSWER_ACCEPTED, 0)

    @property
    def calls(self) -> int:
        """Calls led or filled."""
        return sum(self.kinds.get(kind, 0) for kind in CALL_KINDS)

    @property
    def took_first_step(self) -> bool:
        """Introduced themself or asked a question."""
        return any(self.kinds.get(kind, 0) for kind in FIRST_STEP_KINDS)

    @property
    def answered_others(self) -> bool:
        """Replied to someone else's question (acknowledged or not)."""
        return any(self.kinds.get(kind, 0) for kind in ANSWER_KINDS)


async def standings(scope: Scope, members: Sequence[Member]) -> dict[int, Standing]:
    """Load the standing of many members at once (three indexed queries per 500 members).

    Totals are read as columns, not from the ``Member`` objects passed in: those may have been
    loaded before this transaction credited them, and the credit path updates the rows in SQL.
    """
    result = {m.id: Standing(m) for m in members if m.id is not None}
    totals = [col(getattr(Member, name)) for name in TOTAL_OF_KIND.values()]
    for chunk in chunks(list(result)):
        rows = await scope.session.execute(
            sql_select(col(Member.id), col(Member.points), *totals).where(col(Member.id).in_(chunk))
        )
        for row in rows.all():
            member_id, points, counts = row[0], row[1], row[2:]
            standing = result[member_id]
            standing.points = points
            standing.kinds = {kind: n for kind, n in zip(TOTAL_OF_KIND, counts, strict=True) if n}
        days = await scope.session.exec(
            select(ActiveDay.member_id, func.count())
            .where(col(ActiveDay.member_id).in_(chunk))
            .group_by(col(ActiveDay.member_id))
        )
        for member_id, count in days.all():
            result[member_id].active_days = count
        quests = await scope.session.exec(
            select(QuestProgress.member_id, Quest.key)
            .join(Quest, col(Quest.id) == col(QuestProgress.quest_id))
            .where(
                col(QuestProgress.member_id).in_(chunk),
                QuestProgress.status == QuestStatus.APPROVED,
            )
        )
        grouped: defaultdict[int, set[str]] = defaultdict(set)
        for member_id, key in quests.all():
            grouped[member_id].add(key)
        for member_id, keys in grouped.items():
            result[member_id].approved_quests = keys
    return result


def missing(
    rule: LevelRule,
    standing: Standing,
    config: LadderConfig,
    now: datetime,
    waived: frozenset[str] = frozenset(),
    first_step_shown: bool = False,
) -> list[str]:
    """Every requirement of ``rule`` the member does not meet yet, in words.

    A manager's confirmation is listed last and only counts once everything else is met.
    ``waived`` names quests that do not count and ``first_step_shown`` stands for "introduced
    themself or asked a question" (placement from history waives what history cannot show).
    """
    gaps: list[str] = []
    if rule.appointed_only:
        return [f"appointment by a manager ({rule.name} is never automatic)"]
    if rule.intro_or_question and not (standing.took_first_step or first_step_shown):
        gaps.append("introduce yourself or ask a question")
    if standing.points < rule.min_points:
        gaps.append(
            f"{plural(rule.min_points - standing.points, 'more point')} "
            f"({standing.points} of {rule.min_points})"
        )
    if standing.accepted_answers < rule.min_accepted_answers:
        gaps.append(
            f"{plural(rule.min_accepted_answers - standing.accepted_answers, 'more accepted answer')} "
            f"({standing.accepted_answers} of {rule.min_accepted_answers})"
        )
    days_in = (now - standing.member.joined_at).days
    if days_in < rule.min_days_in_community:
        gaps.append(
            f"{plural(rule.min_days_in_community - days_in, 'more day')} in the community "
            f"(here {days_in} of {rule.min_days_in_community})"
        )
    if standing.active_days < rule.min_active_days:
        gaps.append(
            f"{plural(rule.min_active_days - standing.active_days, 'more active day')} "
            f"({standing.active_days} of {rule.min_active_days})"
        )
    if standing.calls < rule.min_calls:
        gaps.append(
            f"lead or fill {plural(rule.min_calls - standing.calls, 'more call')} "
            f"({standing.calls} of {rule.min_calls})"
        )
    if rule.quests_of_previous_level:
        for quest in config.quests_of(rule.number - 1):
            if quest.key not in standing.approved_quests and quest.key not in waived:
                gaps.append(f"quest “{quest.title}” ({quest.key})")
    if rule.manager_confirmation:
        gaps.append("a manager's confirmation")
    return gaps


def only_confirmation_missing(gaps: list[str]) -> bool:
    """Say whether a member meets everything but a manager's confirmation."""
    return gaps == ["a manager's confirmation"]
