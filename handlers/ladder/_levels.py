"""Ladder use cases: show a level, explain ``why``, manual promote/demote, roster, resting, skills."""

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from handlers.commands import SetLevel, is_number, named_member, resolve, unknown_member, usage_refusal
from handlers.kernel import (
    Acting,
    Actor,
    DirectMessage,
    MemberRef,
    Message,
    Outcome,
    Scope,
    ensure_member,
    plural,
)
from handlers.ladder._ledger import rest_members
from handlers.ladder._promotion import level_role_notice, next_steps, record_level_change
from handlers.ladder._standing import standings
from models import Assignment, Member, MemberStatus, countable

ROSTER_LIMIT = 60


async def show_level(acting: Acting, ref: MemberRef | None) -> Outcome:
    """``/ladder level [@member]``: a member's level and their record in contributions."""
    scope = acting.scope
    member = acting.member
    if ref is not None:
        member = await named_member(scope, ref, "level")
    standing = (await standings(scope, [member]))[member.id or 0]
    name = scope.config.level_name(member.level)
    lines = [
        f"<@{member.external_id}> is level {member.level} · *{name}* (since {member.level_since:%d %b %Y}).",
        f"{plural(standing.points, 'point')} · {plural(standing.accepted_answers, 'accepted answer')} · "
        f"{plural(standing.calls, 'call')} · {plural(standing.active_days, 'active day')}.",
    ]
    if member.status == MemberStatus.RESTING:
        lines.append("Resting: off the question roster until active again.")
    if member.id == acting.member.id:
        lines.append(next_steps(scope.config, standing, scope.now))
    return Outcome().reply(Message(text="\n".join(lines)))


async def why(acting: Acting) -> Outcome:
    """``/ladder why``: exactly what the actor still needs for the next level."""
    scope = acting.scope
    standing = (await standings(scope, [acting.member]))[acting.member_id]
    return Outcome().reply(Message(text=next_steps(scope.config, standing, scope.now)))


async def set_level(acting: Acting, command: SetLevel) -> Outcome:
    """Managers' ``promote``/``demote``: set a level by hand, keeping who and why in the audit.

    A platform mention may name someone who has not said anything yet (the platform vouches
    for them, so a manager can seed the ladder); a typed ``@handle`` Ladder does not know is
    refused, as every command refuses it.
    """
    scope, verb = acting.scope, "promote" if command.promote else "demote"
    member = await resolve(scope, command.member)
    if member is None and command.member.resolved:
        member = await ensure_member(scope, Actor(command.member.external_id))
    if member is None:
        raise unknown_member(command.member, verb)
    level = parse_level(scope, command.level, verb)
    if command.promote and level <= member.level:
        raise usage_refusal(
            verb, f"<@{member.external_id}> is already at level {member.level}; promote goes up."
        )
    if not command.promote and level >= member.level:
        raise usage_refusal(verb, f"<@{member.external_id}> is at level {member.level}; demote goes down.")
    record_level_change(scope, member, level, by=acting.member, reason=command.reason)
    name = scope.config.level_name(level)
    told = Message(
        text=f"A manager set your level to {level} · *{name}*. Reason: {command.reason}",
        title="Your level changed",
    )
    outcome = Outcome(
        notices=[
            DirectMessage(member.external_id, told),
            level_role_notice(scope.config, member),
        ]
    )
    return outcome.reply(
        Message(
            text=f"{verb.capitalize()}d <@{member.external_id}> to level {level} · {name}. "
            "Kept in the audit log with your reason."
        )
    )


def parse_level(scope: Scope, word: str, command: str) -> int:
    """Resolve a level given as a number or a name (``3`` or ``helper``)."""
    levels = scope.config.levels
    if is_number(word) and int(word) <= scope.config.top_level:
        return int(word)
    for rule in levels:
        if rule.name.lower() == word.lower():
            return rule.number
    names = ", ".join(f"{r.number} {r.name}" for r in levels)
    raise usage_refusal(command, f"{word[:20]!r} is not a level: use one of {names}.")


async def roster(acting: Acting) -> Outcome:
    """``/ladder roster``: the members who answer questions, with resting helpers marked."""
    scope = acting.scope
    answering = [r.number for r in scope.config.levels if r.answers_levels or r.answers_escalations]
    open_count = (
        select(func.count()).where(Assignment.helper_id == Member.id, col(Assignment.open)).scalar_subquery()
    )
    rows = (
        await scope.session.exec(
            select(Member, open_count)
            .where(
                Member.community_id == scope.community_id,
                col(Member.level).in_(answering),
                countable(),
            )
            .order_by(col(Member.level).desc(), col(Member.status), col(Member.display_name))
            .limit(ROSTER_LIMIT + 1)
        )
    ).all()
    if not rows:
        return Outcome().reply(
            Message(text="Nobody answers questions yet: managers are the last tier until members climb.")
        )
    lines = []
    for member, open_assignments in rows[:ROSTER_LIMIT]:
        seen = f"{member.last_active_at:%d %b}" if member.last_active_at else "never"
        state = "resting" if member.status == MemberStatus.RESTING else "on roster"
        lines.append(
            f"• {member.display_name} — {member.level} {scope.config.level_name(member.level)}, "
            f"{state}, {open_assignments} open, last active {seen}"
        )
    if len(rows) > ROSTER_LIMIT:
        lines.append(f"…and more (showing {ROSTER_LIMIT}).")
    return Outcome().reply(Message(text="\n".join(lines), title="Question roster"))


async def rest_inactive(scope: Scope) -> tuple[Outcome, int]:
    """Rest helpers inactive for ``resting_after_days``: they leave the roster, keep their level."""
    cutoff = scope.now - timedelta(days=scope.config.routing.resting_after_days)
    answering = [r.number for r in scope.config.levels if r.answers_levels or r.answers_escalations]
    stale = (
        await scope.session.exec(
            select(Member.id).where(
                Member.community_id == scope.community_id,
                Member.status == MemberStatus.ACTIVE,
                col(Member.level).in_(answering),
                func.coalesce(Member.last_active_at, Member.joined_at) < cutoff,
            )
        )
    ).all()
    ids = [i for i in stale if i is not None]
    await rest_members(scope, ids)
    return Outcome(), len(ids)


async def skills(acting: Acting, wanted: frozenset[str] | None) -> Outcome:
    """``/ladder skills [a,b]``: show or set the skills calls are matched on."""
    member = acting.member
    if wanted is not None:
        member.skills = ",".join(sorted(wanted))
        acting.scope.session.add(member)
    shown = ", ".join(sorted(member.skill_set)) or "none yet"
    verb = "are now" if wanted is not None else "are"
    return Outcome().reply(
        Message(text=f"Your skills {verb}: {shown}. Calls that need them reach you first.")
    )
