"""Calls to action: a number of the right people, invited within caps, waitlisted past ``need``."""

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.commands import ActionName, CallDone, NewCall, named_member, usage_refusal
from handlers.kernel import (
    Acting,
    Button,
    ChannelPost,
    CommunityRef,
    Context,
    DirectMessage,
    Message,
    MessageRef,
    MessageUpdate,
    Notice,
    Outcome,
    Refusal,
    Scope,
    Track,
    Tracked,
    Visibility,
    dm_notice,
    plain_quote,
    plural,
)
from handlers.ladder import Credit, call_led_source, call_source, credit, parse_level
from models import (
    Call,
    CallInvite,
    CallSignup,
    CallStatus,
    Community,
    ContributionKind,
    Member,
    SignupStatus,
    countable,
)
from models.locks import Budget, hold

OPEN, FILLED, CLOSED = CallStatus.OPEN, CallStatus.FILLED, CallStatus.CLOSED
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
    open_calls = await _calls(scope, (OPEN,))
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


async def call_message(scope: Scope, call: Call) -> Message:
    """The call's channel message, rebuilt from its current state (updated in place)."""
    confirmed, waitlisted = await _counts(scope, call)
    states = {OPEN: "open", FILLED: "filled — new sign-ups join the waitlist", CLOSED: "closed"}
    state = states[CallStatus(call.status)]
    level = f" · level {call.min_level}+" if call.min_level else ""
    skills = f" · skills {call.skills.replace(',', ', ')}" if call.skills else ""
    buttons: tuple[Button, ...] = ()
    if call.status != CLOSED:
        buttons = (
            Button("Join", ActionName.CALL_JOIN, str(call.id), "primary"),
            Button("Leave", ActionName.CALL_LEAVE, str(call.id)),
        )
    return Message(
        title=f"Call #{call.id}: {plain_quote(call.title, 200)}",
        text=(
            f"{confirmed} of {call.need} confirmed, {waitlisted} waitlisted · {state}{level}{skills} · "
            f"deadline {call.deadline:%d %b %H:%M} UTC"
        ),
        buttons=buttons,
        visibility=Visibility.CHANNEL,
    )


async def list_calls(acting: Acting) -> Outcome:
    """``/ladder call list``: open and filled calls with their counts."""
    scope = acting.scope
    calls = await _calls(scope, (OPEN, FILLED))
    if not calls:
        return Outcome().reply(Message(text="No open calls right now."))
    lines = []
    for call in calls:
        confirmed, waitlisted = await _counts(scope, call)
        lines.append(
            f"• #{call.id} “{plain_quote(call.title, 120)}” — {confirmed}/{call.need} confirmed, "
            f"{waitlisted} waitlisted, {call.status}, until {call.deadline:%d %b}"
        )
    return Outcome().reply(Message(title="Calls", text="\n".join(lines)))


async def join(acting: Acting, call_id: int) -> Outcome:
    """``/ladder call join``: the first ``need`` are in; later ones are waitlisted at once."""
    scope = acting.scope
    call = await _call(scope, call_id, "call join")
    if call.status == CLOSED:
        raise Refusal(f"Call #{call.id} is closed.")
    if acting.member.level < call.min_level:
        raise Refusal(
            f"Call #{call.id} is for level {call.min_level} and up; you are at level {acting.member.level}."
        )
    signup = await _signup(scope, call, acting.member_id)
    if signup is not None and signup.status in (
        SignupStatus.CONFIRMED,
        SignupStatus.WAITLISTED,
        SignupStatus.FULFILLED,
    ):
        raise Refusal(f"You are already {signup.status} on call #{call.id}.")
    confirmed, waitlisted = await _counts(scope, call)
    status = SignupStatus.CONFIRMED if confirmed < call.need else SignupStatus.WAITLISTED
    signup = signup or CallSignup(call_id=call_id, member_id=acting.member_id)
    signup.status, signup.joined_at = status, scope.now
    if status == SignupStatus.WAITLISTED:
        signup.waitlisted_at = signup.waitlisted_at or scope.now
    scope.session.add(signup)
    outcome = Outcome()
    if status == SignupStatus.CONFIRMED and confirmed + 1 == call.need:
        call.status, call.filled_at = FILLED, call.filled_at or scope.now
        scope.session.add(call)
        outcome.notices += await dm_notice(
            scope, call.creator_id, Message(text=f"Call #{call.id} “{call.title}” is filled.")
        )
    await scope.session.flush()
    outcome.notices.extend(await _refresh(scope, call))
    if status == SignupStatus.CONFIRMED:
        return outcome.reply(Message(text=f"You are in: call #{call.id} “{call.title}”."))
    return outcome.reply(
        Message(
            text=(
                f"Call #{call.id} is full, so you are #{waitlisted + 1} on its waitlist. "
                "You will be told if a place opens."
            )
        )
    )


async def leave(acting: Acting, call_id: int) -> Outcome:
    """``/ladder call leave``: withdraw; a confirmed place goes to the first waitlisted member."""
    scope = acting.scope
    call = await _call(scope, call_id, "call leave")
    signup = await _signup(scope, call, acting.member_id)
    if signup is None or signup.status not in (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED):
        raise Refusal(f"You are not signed up for call #{call.id}.")
    if call.status == CLOSED:
        raise Refusal(f"Call #{call.id} is closed.")
    outcome = await _withdraw(scope, call, signup)
    return outcome.reply(Message(text=f"You left call #{call.id}."))


async def withdraw_everywhere(scope: Scope, member_id: int) -> Outcome:
    """Take a member off every call still open or filled (``forget-me``): each place they held
    goes to the first waitlisted member, who is told."""
    call_ids = (
        await scope.session.exec(
            select(CallSignup.call_id)
            .join(Call, col(Call.id) == col(CallSignup.call_id))
            .where(
                Call.community_id == scope.community_id,
                col(Call.status).in_([OPEN, FILLED]),
                CallSignup.member_id == member_id,
                col(CallSignup.status).in_([SignupStatus.CONFIRMED, SignupStatus.WAITLISTED]),
            )
            .order_by(col(CallSignup.call_id))
        )
    ).all()
    outcome = Outcome()
    for call_id in call_ids:
        call = await _call(scope, call_id, "forget-me")
        signup = await _signup(scope, call, member_id)
        assert signup is not None
        outcome.extend(await _withdraw(scope, call, signup))
    return outcome


async def _withdraw(scope: Scope, call: Call, signup: CallSignup) -> Outcome:
    """Withdraw one sign-up; a confirmed place goes to the first waitlisted member."""
    was_confirmed = signup.status == SignupStatus.CONFIRMED
    signup.status = SignupStatus.WITHDRAWN
    scope.session.add(signup)
    outcome = Outcome()
    if was_confirmed:
        first = (
            await scope.session.exec(
                select(CallSignup)
                .where(CallSignup.call_id == call.id, CallSignup.status == SignupStatus.WAITLISTED)
                .order_by(col(CallSignup.joined_at), col(CallSignup.id))
            )
        ).first()
        if first is not None:
            first.status = SignupStatus.CONFIRMED
            scope.session.add(first)
            opened = Message(text=f"A place opened: you are now in call #{call.id} “{call.title}”.")
            outcome.notices += await dm_notice(scope, first.member_id, opened)
        elif call.status == FILLED:
            call.status = OPEN
            scope.session.add(call)
    await scope.session.flush()
    outcome.notices.extend(await _refresh(scope, call))
    return outcome


async def done(acting: Acting, command: CallDone) -> Outcome:
    """``/ladder call done``: the caller credits the members who fulfilled the call."""
    scope = acting.scope
    call = await _call(scope, command.call_id, "call done")
    _must_own(acting, call)
    members, strangers, already = [], [], []
    for ref in command.members:
        member = await named_member(scope, ref, "call done")
        signup = await _signup(scope, call, member.id)
        if signup is None or signup.status not in (SignupStatus.CONFIRMED, SignupStatus.FULFILLED):
            strangers.append(f"<@{member.external_id}>")
        elif signup.status == SignupStatus.FULFILLED:
            already.append(f"<@{member.external_id}>")
        else:
            members.append((member, signup))
    if strangers:
        raise usage_refusal(
            "call done",
            f"Not confirmed on call #{call.id}: {', '.join(strangers)}. Nothing was credited.",
        )
    assert call.id is not None
    credits = [
        Credit(
            call.creator_id,
            ContributionKind.CALL_LED,
            scope.config.points.call_led,
            call_led_source(call.id),
            scope.now,
        )
    ]
    for member, signup in members:
        assert member.id is not None
        signup.status = SignupStatus.FULFILLED
        scope.session.add(signup)
        credits.append(
            Credit(
                member.id,
                ContributionKind.CALL_FULFILLED,
                scope.config.points.call_fulfilled,
                call_source(call.id, member.id),
                scope.now,
            )
        )
    outcome = await credit(scope, credits)
    said = []
    if members:
        said.append(f"Credited {', '.join(f'<@{m.external_id}>' for m, _ in members)} for call #{call.id}.")
    if already:
        said.append(f"Already credited for call #{call.id}: {', '.join(already)}.")
    if not members:
        said.append("Nothing new was credited.")
    return outcome.reply(Message(text=" ".join(said)))


async def close(acting: Acting, call_id: int) -> Outcome:
    """``/ladder call close``: the caller or a manager closes a call early."""
    scope = acting.scope
    call = await _call(scope, call_id, "call close")
    _must_own(acting, call)
    if call.status == CLOSED:
        raise Refusal(f"Call #{call.id} is already closed.")
    outcome = await _close(scope, call)
    return outcome.reply(Message(text=f"Call #{call.id} is closed."))


async def close_due(scope: Scope) -> tuple[Outcome, int]:
    """Close every call whose deadline has passed and tell its caller how it went."""
    due = (
        await scope.session.exec(
            select(Call).where(
                Call.community_id == scope.community_id,
                col(Call.status).in_([OPEN, FILLED]),
                col(Call.deadline) <= scope.now,
            )
        )
    ).all()
    outcome = Outcome()
    for call in due:
        outcome.extend(await _close(scope, call))
        confirmed, _ = await _counts(scope, call)
        deadline = Message(
            text=(
                f"Call #{call.id} “{call.title}” reached its deadline with {confirmed} of "
                f"{call.need} confirmed. Credit people with `/ladder call done {call.id} @…`."
            )
        )
        outcome.notices += await dm_notice(scope, call.creator_id, deadline)
    return outcome, len(due)


async def _close(scope: Scope, call: Call) -> Outcome:
    call.status, call.closed_at = CLOSED, scope.now
    scope.session.add(call)
    await scope.session.flush()
    return Outcome(notices=await _refresh(scope, call))


def _must_own(acting: Acting, call: Call) -> None:
    if call.creator_id != acting.member_id and not acting.is_manager:
        raise Refusal(f"Only the caller or a manager can do that for call #{call.id}.")


async def _refresh(scope: Scope, call: Call) -> list[Notice]:
    """Update the call's channel message in place, if it was posted."""
    if call.message_id is None or call.channel_id is None:
        return []
    return [MessageUpdate(MessageRef(call.channel_id, call.message_id), await call_message(scope, call))]


async def _calls(scope: Scope, statuses: tuple[CallStatus, ...]) -> list[Call]:
    rows = await scope.session.exec(
        select(Call)
        .where(Call.community_id == scope.community_id, col(Call.status).in_(statuses))
        .order_by(col(Call.id))
    )
    return list(rows.all())


async def _call(scope: Scope, call_id: int, command: str) -> Call:
    """Load a call, locking its row (PostgreSQL) so concurrent joins cannot overfill it."""
    call = await scope.session.get(Call, call_id, with_for_update=True)
    if call is None or call.community_id != scope.community_id:
        raise usage_refusal(command, f"There is no call #{call_id}. `/ladder call list` shows the open ones.")
    return call


async def _signup(scope: Scope, call: Call, member_id: int | None) -> CallSignup | None:
    return (
        await scope.session.exec(
            select(CallSignup).where(CallSignup.call_id == call.id, CallSignup.member_id == member_id)
        )
    ).first()


async def _counts(scope: Scope, call: Call) -> tuple[int, int]:
    rows = await scope.session.exec(
        select(CallSignup.status, func.count())
        .where(CallSignup.call_id == call.id)
        .group_by(col(CallSignup.status))
    )
    counts = dict(rows.all())
    confirmed = counts.get(SignupStatus.CONFIRMED, 0) + counts.get(SignupStatus.FULFILLED, 0)
    return confirmed, counts.get(SignupStatus.WAITLISTED, 0)


async def open_calls(session: AsyncSession, community: CommunityRef) -> list[Call]:
    """A community's open calls, oldest first (an adapter's autocompletion reads them)."""
    found = (
        await session.exec(
            select(Community).where(
                Community.platform == community.platform, Community.external_id == community.external_id
            )
        )
    ).first()
    if found is None:
        return []
    query = select(Call).where(Call.community_id == found.id, Call.status == CallStatus.OPEN)
    return list((await session.exec(query.order_by(col(Call.id)))).all())
