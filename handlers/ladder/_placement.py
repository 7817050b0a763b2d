"""Placement from history: after an import, every member sits where their history puts them.

DESIGN.md ("Placement from history"): each member climbs to the highest level whose rules their
history meets, up to the first level that needs a manager's confirmation or appointment. A quest
history cannot show (none of its automatic kinds is one the history path credits) does not hold
placement back: it is waived, and the audit says so. So does the first step ("introduced themself
or asked a question", and the "Say hello" quest) for a member history shows answering others: an
export often cannot show an introduction, and an answer shows more. An import never lowers a
level; members who meet a confirmation level's rules are returned as ready for confirmation.
"""

from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, update
from sqlmodel import select

from handlers.kernel import LadderConfig, LevelRule, Scope
from handlers.ladder._standing import (
    FIRST_STEP_KINDS,
    Standing,
    missing,
    only_confirmation_missing,
    standings,
)
from models import ContributionKind, LevelChange, LevelChangeKind, Member, countable
from models.queries import chunks

HISTORY_KINDS = frozenset(
    {
        ContributionKind.INTRODUCTION,
        ContributionKind.QUESTION_ASKED,
        ContributionKind.ANSWER_GIVEN,
        ContributionKind.ANSWER_ACCEPTED,
    }
)
WAIVED = "waived: placed from history"


@dataclass(frozen=True, slots=True)
class Placed:
    """A member the import moved up: from which level to which."""

    member: Member
    from_level: int
    to_level: int


@dataclass(slots=True)
class Placement:
    """What placement did: who moved up, and who now waits only for a manager's confirmation."""

    placed: list[Placed] = field(default_factory=list)
    ready: list[tuple[Member, int]] = field(default_factory=list)


def waivable_quests(config: LadderConfig) -> frozenset[str]:
    """Quests history cannot show: no automatic kind of theirs is one an import credits."""
    return frozenset(q.key for q in config.quests if not HISTORY_KINDS & set(q.auto_kinds))


def helper_level(config: LadderConfig) -> int:
    """The first level that takes accepted answers (Helper in the default ladder)."""
    for rule in config.levels:
        if rule.min_accepted_answers > 0:
            return rule.number
    return config.top_level


async def place_from_history(scope: Scope) -> Placement:
    """Place every member of the community from their recorded history (never lower): the
    audit rows and the new levels are written with one statement each."""
    waived = waivable_quests(scope.config)
    rows = await scope.session.exec(
        select(Member).where(
            Member.community_id == scope.community_id,
            countable(),
            Member.level < scope.config.top_level,
        )
    )
    placement = Placement()
    changes: list[dict[str, object]] = []
    for chunk in chunks(list(rows.all())):
        for standing in (await standings(scope, chunk)).values():
            changes.extend(_climb(scope, standing, waived, placement))
    if changes:
        await scope.session.execute(insert(LevelChange), changes)
        table = Member.__table__  # type: ignore[attr-defined]
        connection = await scope.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.id == bindparam("member"))
            .values(level=bindparam("level"), level_since=scope.now),
            [{"member": p.member.id, "level": p.to_level} for p in placement.placed],
        )
    return placement


def _climb(
    scope: Scope, standing: Standing, waived: frozenset[str], placement: Placement
) -> list[dict[str, object]]:
    """The level changes a member's history earns, as audit rows; ready members are noted."""
    config, member = scope.config, standing.member
    by_answering = not standing.took_first_step and standing.answered_others
    if by_answering:
        waived |= first_step_quests(config)
    level, changes = member.level, list[dict[str, object]]()
    while level < config.top_level:
        rule = config.level(level + 1)
        if rule.appointed_only:
            break
        gaps = missing(rule, standing, config, scope.now, waived, first_step_shown=by_answering)
        if rule.manager_confirmation:
            if only_confirmation_missing(gaps):
                placement.ready.append((member, rule.number))
            break
        if gaps:
            break
        changes.append(
            {
                "community_id": scope.community_id,
                "member_id": member.id,
                "from_level": level,
                "to_level": rule.number,
                "changed_by_id": None,
                "reason": _reason(config, rule, standing, waived, by_answering),
                "created_at": scope.now,
                "kind": LevelChangeKind.PLACED,
            }
        )
        level = rule.number
    if level != member.level:
        placement.placed.append(Placed(member, member.level, level))
    return changes


def first_step_quests(config: LadderConfig) -> frozenset[str]:
    """Quests that only a first step completes ("Say hello"): waived for a member whose history
    shows them answering others instead, since an answer shows more than a hello."""
    first_step = set(FIRST_STEP_KINDS)
    return frozenset(q.key for q in config.quests if q.auto_kinds and set(q.auto_kinds) <= first_step)


def _reason(
    config: LadderConfig, rule: LevelRule, standing: Standing, waived: frozenset[str], by_answering: bool
) -> str:
    """The audit's words: which rules were met, and which quests were waived."""
    reason = f"placed from history: met every requirement of {rule.name}"
    if rule.intro_or_question and by_answering:
        reason += " (first step shown by answering others)"
    if rule.quests_of_previous_level:
        skipped = [
            f"“{quest.title}”"
            for quest in config.quests_of(rule.number - 1)
            if quest.key in waived and quest.key not in standing.approved_quests
        ]
        if skipped:
            reason += f"; quest{'s' if len(skipped) > 1 else ''} {', '.join(skipped)} {WAIVED}"
    return reason[:500]
