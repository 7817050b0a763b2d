"""Ending a call: crediting who showed up, closing by hand or at the deadline."""

from sqlmodel import col, select

from handlers.calls._board import (
    CLOSED,
    FILLED,
    OPEN,
    find_call,
    find_signup,
    must_own,
    refresh_post,
    signup_counts,
)
from handlers.commands import CallDone, named_member, usage_refusal
from handlers.kernel import Acting, Message, Outcome, Refusal, Scope, dm_notice
from handlers.ladder import Credit, call_led_source, call_source, credit
from models import Call, ContributionKind, SignupStatus


async def done(acting: Acting, command: CallDone) -> Outcome:
    """``/ladder call done``: the caller credits the members who fulfilled the call."""
    scope = acting.scope
    call = await find_call(scope, command.call_id, "call done")
    must_own(acting, call)
    members, strangers, already = [], [], []
    for ref in command.members:
        member = await named_member(scope, ref, "call done")
        signup = await find_signup(scope, call, member.id)
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
    call = await find_call(scope, call_id, "call close")
    must_own(acting, call)
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
        confirmed, _ = await signup_counts(scope, call)
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
    return Outcome(notices=await refresh_post(scope, call))
