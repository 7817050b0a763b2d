"""Signing up for a call and leaving it: confirmed up to ``need``, waitlisted past it."""

from sqlmodel import col, select

from handlers.calls._board import CLOSED, FILLED, OPEN, find_call, find_signup, refresh_post, signup_counts
from handlers.kernel import Acting, Message, Outcome, Refusal, Scope, dm_notice
from models import Call, CallSignup, SignupStatus


async def join(acting: Acting, call_id: int) -> Outcome:
    """``/ladder call join``: the first ``need`` are in; later ones are waitlisted at once."""
    scope = acting.scope
    call = await find_call(scope, call_id, "call join")
    if call.status == CLOSED:
        raise Refusal(f"Call #{call.id} is closed.")
    if acting.member.level < call.min_level:
        raise Refusal(
            f"Call #{call.id} is for level {call.min_level} and up; you are at level {acting.member.level}."
        )
    signup = await find_signup(scope, call, acting.member_id)
    if signup is not None and signup.status in (
        SignupStatus.CONFIRMED,
        SignupStatus.WAITLISTED,
        SignupStatus.FULFILLED,
    ):
        raise Refusal(f"You are already {signup.status} on call #{call.id}.")
    confirmed, waitlisted = await signup_counts(scope, call)
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
    outcome.notices.extend(await refresh_post(scope, call))
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
    call = await find_call(scope, call_id, "call leave")
    signup = await find_signup(scope, call, acting.member_id)
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
        call = await find_call(scope, call_id, "forget-me")
        signup = await find_signup(scope, call, member_id)
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
    outcome.notices.extend(await refresh_post(scope, call))
    return outcome
