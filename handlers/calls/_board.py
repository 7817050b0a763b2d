"""A call as members see it: its channel message, the list, and the lookups every step shares."""

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.commands import ActionName, usage_refusal
from handlers.kernel import (
    Acting,
    Button,
    CommunityRef,
    Message,
    MessageRef,
    MessageUpdate,
    Notice,
    Outcome,
    Refusal,
    Scope,
    Visibility,
    plain_quote,
)
from models import Call, CallSignup, CallStatus, Community, SignupStatus

OPEN, FILLED, CLOSED = CallStatus.OPEN, CallStatus.FILLED, CallStatus.CLOSED


async def call_message(scope: Scope, call: Call) -> Message:
    """The call's channel message, rebuilt from its current state (updated in place)."""
    confirmed, waitlisted = await signup_counts(scope, call)
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
    calls = await calls_with_status(scope, (OPEN, FILLED))
    if not calls:
        return Outcome().reply(Message(text="No open calls right now."))
    lines = []
    for call in calls:
        confirmed, waitlisted = await signup_counts(scope, call)
        lines.append(
            f"• #{call.id} “{plain_quote(call.title, 120)}” — {confirmed}/{call.need} confirmed, "
            f"{waitlisted} waitlisted, {call.status}, until {call.deadline:%d %b}"
        )
    return Outcome().reply(Message(title="Calls", text="\n".join(lines)))


def must_own(acting: Acting, call: Call) -> None:
    """Refuse a step on a call to anyone but its caller or a manager."""
    if call.creator_id != acting.member_id and not acting.is_manager:
        raise Refusal(f"Only the caller or a manager can do that for call #{call.id}.")


async def refresh_post(scope: Scope, call: Call) -> list[Notice]:
    """Update the call's channel message in place, if it was posted."""
    if call.message_id is None or call.channel_id is None:
        return []
    return [MessageUpdate(MessageRef(call.channel_id, call.message_id), await call_message(scope, call))]


async def calls_with_status(scope: Scope, statuses: tuple[CallStatus, ...]) -> list[Call]:
    """The community's calls in these states, oldest first."""
    rows = await scope.session.exec(
        select(Call)
        .where(Call.community_id == scope.community_id, col(Call.status).in_(statuses))
        .order_by(col(Call.id))
    )
    return list(rows.all())


async def find_call(scope: Scope, call_id: int, command: str) -> Call:
    """Load a call, locking its row (PostgreSQL) so concurrent joins cannot overfill it."""
    call = await scope.session.get(Call, call_id, with_for_update=True)
    if call is None or call.community_id != scope.community_id:
        raise usage_refusal(command, f"There is no call #{call_id}. `/ladder call list` shows the open ones.")
    return call


async def find_signup(scope: Scope, call: Call, member_id: int | None) -> CallSignup | None:
    """A member's sign-up for a call, if any."""
    return (
        await scope.session.exec(
            select(CallSignup).where(CallSignup.call_id == call.id, CallSignup.member_id == member_id)
        )
    ).first()


async def signup_counts(scope: Scope, call: Call) -> tuple[int, int]:
    """How many are confirmed (fulfilled ones included) and how many waitlisted."""
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
