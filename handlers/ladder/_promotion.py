"""Promotion: checked after every credit, announced to the member with what comes next."""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select

from handlers.kernel import (
    DirectMessage,
    LadderConfig,
    LevelRoleChange,
    Message,
    Notice,
    Outcome,
    Scope,
    dm_managers,
    record_once,
)
from handlers.ladder._standing import Standing, missing, only_confirmation_missing, standings
from models import LevelChange, LevelChangeKind, Member, countable


async def promote_if_due(scope: Scope, member_ids: Iterable[int]) -> Outcome:
    """Promote every member who now meets the next level's requirements (possibly several)."""
    ids = sorted(set(member_ids))
    if not ids:
        return Outcome()
    members = (
        await scope.session.exec(
            select(Member).where(
                col(Member.id).in_(ids),
                countable(),
            )
        )
    ).all()
    climbable = [m for m in members if m.level < scope.config.top_level]
    outcome = Outcome()
    for standing in (await standings(scope, climbable)).values():
        outcome.extend(await _climb(scope, standing))
    return outcome


async def _climb(scope: Scope, standing: Standing) -> Outcome:
    config, member, outcome = scope.config, standing.member, Outcome()
    start = member.level
    while member.level < config.top_level:
        rule = config.level(member.level + 1)
        gaps = missing(rule, standing, config, scope.now)
        if gaps:
            if only_confirmation_missing(gaps):
                outcome.extend(await _tell_managers_ready(scope, member, rule.number))
            break
        record_level_change(
            scope, member, rule.number, by=None, reason=f"met every requirement of {rule.name}"
        )
    if member.level != start:
        outcome.notices.append(level_role_notice(config, member))
        outcome.notices.append(
            DirectMessage(member.external_id, promotion_message(config, standing, scope.now))
        )
    return outcome


def record_level_change(scope: Scope, member: Member, level: int, *, by: Member | None, reason: str) -> None:
    """Set a member's level and keep the change in the audit log (who, why, when)."""
    assert member.id is not None
    scope.session.add(
        LevelChange(
            community_id=scope.community_id,
            member_id=member.id,
            from_level=member.level,
            to_level=level,
            changed_by_id=by.id if by else None,
            reason=reason,
            created_at=scope.now,
            kind=LevelChangeKind.MANUAL if by else LevelChangeKind.EARNED,
        )
    )
    member.level = level
    member.level_since = scope.now
    scope.session.add(member)


def level_role_notice(config: LadderConfig, member: Member) -> Notice:
    """Ask the platform to mirror the member's level as a role or user group."""
    return LevelRoleChange(member.external_id, member.level, config.level_name(member.level))


def promotion_message(config: LadderConfig, standing: Standing, now: datetime) -> Message:
    """The DM a promoted member gets: their new level and what the next one needs."""
    member = standing.member
    text = f"You are now level {member.level} · *{config.level_name(member.level)}*. Thank you!"
    return Message(text=text + "\n" + next_steps(config, standing, now), title="Level up")


def next_steps(config: LadderConfig, standing: Standing, now: datetime) -> str:
    """What the member's next level still needs, in one readable paragraph."""
    level = standing.member.level
    if level >= config.top_level:
        return "You are at the top of the ladder."
    rule = config.level(level + 1)
    gaps = missing(rule, standing, config, now)
    if not gaps:
        return f"You meet every requirement of {rule.name}: it is recorded with your next contribution."
    return f"Next, *{rule.name}* needs: " + "; ".join(gaps) + "."


async def _tell_managers_ready(scope: Scope, member: Member, level: int) -> Outcome:
    """Tell managers once that a member waits only for their confirmation."""
    if not await record_once(scope.session, scope.community_id, f"ready:m{member.id}:l{level}"):
        return Outcome()
    name = scope.config.level_name(level)
    message = Message(
        text=(
            f"<@{member.external_id}> meets every requirement for level {level} · {name} "
            f"except your confirmation. To confirm: `/ladder promote <@{member.external_id}> "
            f"{level} <reason>`."
        ),
        title="Ready for promotion",
    )
    return Outcome(notices=await dm_managers(scope, message))
