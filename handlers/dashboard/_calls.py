"""The Calls page: every call to action with its sign-ups, open calls first."""

from collections.abc import Sequence

from sqlalchemy import case
from sqlalchemy import select as sql_select
from sqlmodel import col

from handlers.dashboard._paging import Page, clamp, count_rows, offset_of, offset_page, query_tag
from handlers.dashboard._rows import CallRow, SignupRow, level_name, member_name
from handlers.kernel import Scope
from models import Call, CallSignup, CallStatus, Member, SignupStatus
from models.queries import chunks


async def calls_page(scope: Scope, cursor: str | None = None, limit: int = 20) -> Page[CallRow]:
    """Calls still open (or filled and still running) first, then closed ones, newest first."""
    tag = query_tag("calls")
    offset, size = offset_of(tag, cursor), clamp(limit)
    mine = col(Call.community_id) == scope.community_id
    total = await count_rows(scope.session, Call, mine)
    found = await scope.session.execute(
        sql_select(Call, Member)
        .join(Member, col(Member.id) == col(Call.creator_id))
        .where(mine)
        .order_by(
            case((col(Call.status) == CallStatus.CLOSED, 1), else_=0),
            col(Call.created_at).desc(),
            col(Call.id).desc(),
        )
        .offset(offset)
        .limit(size)
    )
    pairs = [(call, creator) for call, creator in found.all()]
    signups = await signups_of(scope, [call.id for call, _ in pairs if call.id is not None])
    rows = [_row(scope, call, creator, signups.get(call.id or 0, [])) for call, creator in pairs]
    return offset_page(tag, rows, total, offset, size)


async def signups_of(scope: Scope, call_ids: Sequence[int]) -> dict[int, list[SignupRow]]:
    """Each call's sign-ups in the order they joined (the waitlist's order)."""
    by_call: dict[int, list[SignupRow]] = {}
    for chunk in chunks(list(call_ids)):
        found = await scope.session.execute(
            sql_select(CallSignup, Member)
            .join(Member, col(Member.id) == col(CallSignup.member_id))
            .where(col(CallSignup.call_id).in_(chunk))
            .order_by(col(CallSignup.joined_at), col(CallSignup.id))
        )
        for signup, member in found.all():
            by_call.setdefault(signup.call_id, []).append(signup_row(signup, member))
    return by_call


def signup_row(signup: CallSignup, member: Member) -> SignupRow:
    """A sign-up as the dashboard shows it."""
    return SignupRow(
        call_id=signup.call_id,
        member_id=signup.member_id,
        name=member_name(member),
        status=SignupStatus(signup.status),
        joined_at=signup.joined_at,
        waitlisted_at=signup.waitlisted_at,
    )


def _row(scope: Scope, call: Call, creator: Member, signups: list[SignupRow]) -> CallRow:
    assert call.id is not None

    def having(status: SignupStatus) -> tuple[SignupRow, ...]:
        return tuple(s for s in signups if s.status == status)

    return CallRow(
        call_id=call.id,
        title=call.title,
        status=call.status,
        need=call.need,
        min_level=call.min_level,
        min_level_name=level_name(scope.config, call.min_level),
        skills=tuple(sorted(call.skill_set)),
        creator_name=member_name(creator),
        created_at=call.created_at,
        deadline=call.deadline,
        filled_at=call.filled_at,
        closed_at=call.closed_at,
        confirmed=having(SignupStatus.CONFIRMED),
        waitlist=having(SignupStatus.WAITLISTED),
        fulfilled=having(SignupStatus.FULFILLED),
        withdrawn=len(having(SignupStatus.WITHDRAWN)),
    )
