"""Opening a call: its post, and invitations to the best-matching members within their caps."""

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from handlers.calls._board import FILLED, OPEN, call_message, calls_with_status
from handlers.commands import ActionName, NewCall, usage_refusal
from handlers.kernel import (
    Acting,
    Button,
    ChannelPost,
    Context,
    DirectMessage,
    Message,
    Outcome,
    Refusal,
    Scope,
    Track,
    Tracked,
    plural,
)
from handlers.ladder import parse_level
from models import Call, CallInvite, CallSignup, Member, SignupStatus, countable
from models.locks import Budget, hold

CANDIDATES_SCANNED = 2000


async def new_call(acting: Acting, ctx: Context, command: NewCall) -> Outcome:
    """``/ladder call new``: open a call within the budget and invite the best-matched members.

    The open-call budget and the weekly invitation cap are counted and spent under the
    community's call lock, so replicas opening calls at once cannot overspend either.
    """
    scope, limits = acting.scope, acting.scope.config.calls
    if not acting.is_manager and acting.member.level < limits.creator_min_level:
        raise Refusal(
            f"Calls are opened by managers and members of level {limits.creator_min_level} "
            f"({scope.config.level_name(limits.creator_min_level)}) and up."
        )
    if not 1 <= command.need <= limits.max_need:
        raise usage_refusal("call new", f"need= must be a whole number from 1 to {limits.max_need}.")
    min_level = parse_level(scope, command.min_level, "call new") if command.min_level else 0
    await hold(scope.session, Budget.OPEN_CALLS, scope.community_id)
    open_calls = await calls_with_status(scope, (OPEN,))
    if len(open_calls) >= limits.max_open:
        listing = "; ".join(f"#{c.id} “{c.title}”" for c in open_calls)
        raise Refusal(
            f"This community already has {plural(len(open_calls), 'open call')} (the budget is "
            f"{limits.max_open}): {listing}. Close or fill one first."
        )
    deadline = scope.now + (command.deadline or timedelta(days=limits.default_deadline_days))
    call = Call(
        community_id=scope.community_id,
        creator_id=acting.member_id,
        title=command.title,
        need=command.need,
        min_level=min_level,
        skills=",".join(sorted(command.skills)),
        deadline=deadline,
        created_at=scope.now,
    )
    scope.session.add(call)
    await scope.session.flush()
    assert call.id is not None, "a flushed call has its id"
    invitees = await best_matches(scope, call, limit=command.need * limits.invite_factor)
    outcome = Outcome()
    for member in invitees:
        assert member.id is not None
        scope.session.add(CallInvite(call_id=call.id, member_id=member.id, invited_at=scope.now))
        outcome.notices.append(DirectMessage(member.external_id, _invitation(scope, call)))
    if command.post and ctx.channel_id:
        outcome.notices.append(
            ChannelPost(ctx.channel_id, await call_message(scope, call), track=Track(Tracked.CALL, call.id))
        )
    short = (
        f" Only {plural(len(invitees), 'member matches', 'members match')}; "
        "consider post=yes or a lower level=."
        if len(invitees) < call.need
        else ""
    )
    return outcome.reply(
        Message(
            text=f"Call #{call.id} “{call.title}” is open until {deadline:%d %b %H:%M} UTC. "
            f"Invited {plural(len(invitees), 'well-matched member')} by DM.{short}"
        )
    )


async def best_matches(scope: Scope, call: Call, *, limit: int) -> list[Member]:
    """Members to invite: level in range, matching skills, recently active, least committed,
    and never more than the weekly invitation cap."""
    limits = scope.config.calls
    invites_this_week = (
        select(func.count())
        .where(CallInvite.member_id == Member.id, CallInvite.invited_at > scope.now - timedelta(days=7))
        .scalar_subquery()
    )
    commitments = (
        select(func.count())
        .select_from(CallSignup)
        .join(Call, col(Call.id) == col(CallSignup.call_id))
        .where(
            CallSignup.member_id == Member.id,
            CallSignup.status == SignupStatus.CONFIRMED,
            col(Call.status).in_([OPEN, FILLED]),
        )
        .scalar_subquery()
    )
    rows = await scope.session.exec(
        select(Member, commitments)
        .where(
            Member.community_id == scope.community_id,
            Member.level >= call.min_level,
            countable(),
            Member.id != call.creator_id,
            col(Member.last_active_at) >= scope.now - timedelta(days=limits.recent_days),
            invites_this_week < limits.max_invites_per_member_per_week,
        )
        .order_by(col(Member.last_active_at).desc())
        .limit(CANDIDATES_SCANNED)
    )
    wanted = call.skill_set
    ranked = []
    for member, load in rows.all():
        overlap = len(wanted & member.skill_set)
        if wanted and not overlap:
            continue
        last = member.last_active_at.timestamp() if member.last_active_at else 0.0
        ranked.append((-overlap, load, -last, member.id or 0, member))
    ranked.sort(key=lambda row: row[:4])
    return [row[4] for row in ranked[:limit]]


def _invitation(scope: Scope, call: Call) -> Message:
    skills = f" Skills: {call.skills.replace(',', ', ')}." if call.skills else ""
    return Message(
        title=f"Call #{call.id}: {call.title}",
        text=(
            f"You are one of a few members asked for this call: it needs {call.need} "
            f"{'person' if call.need == 1 else 'people'} by {call.deadline:%d %b}.{skills}\n"
            f"Join with the button or `/ladder call join {call.id}`."
        ),
        buttons=(Button("Join", ActionName.CALL_JOIN, str(call.id), "primary"),),
    )
