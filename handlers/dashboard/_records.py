"""Quest reviews, the digest archive and the audit log of level changes."""

from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import col

from handlers.dashboard._paging import (
    Keyset,
    Page,
    clamp,
    count_rows,
    keyset_page,
    offset_of,
    offset_page,
    query_tag,
)
from handlers.dashboard._rows import DigestRow, LevelChangeRow, ReviewRow, level_name, member_name
from handlers.health import HealthReport, build_report
from handlers.kernel import Scope
from models import Digest, LevelChange, Member, Quest, QuestProgress, QuestStatus


class ReviewView(StrEnum):
    """Submissions waiting for a manager (oldest first), or those a manager reviewed (newest first).

    Quests Ladder completed by itself (an introduction completing "Say hello") are in neither.
    """

    PENDING = "pending"
    REVIEWED = "reviewed"


async def quest_reviews(
    scope: Scope, view: ReviewView = ReviewView.PENDING, cursor: str | None = None, limit: int = 50
) -> Page[ReviewRow]:
    """One page of quest submissions of this community (see :class:`ReviewView`), with the total."""
    reviewer = aliased(Member)
    order: list[Any]
    if view is ReviewView.PENDING:
        wanted = [col(QuestProgress.status) == QuestStatus.SUBMITTED]
        order = [col(QuestProgress.submitted_at), col(QuestProgress.id)]
    else:
        wanted = [col(QuestProgress.reviewed_by_id).is_not(None)]
        order = [col(QuestProgress.reviewed_at).desc(), col(QuestProgress.id).desc()]
    conditions = [col(Quest.community_id) == scope.community_id, *wanted]
    tag = query_tag("reviews", view)
    offset, size = offset_of(tag, cursor), clamp(limit)
    total = (
        await scope.session.execute(
            sql_select(func.count())
            .select_from(QuestProgress)
            .join(Quest, col(Quest.id) == col(QuestProgress.quest_id))
            .where(*conditions)
        )
    ).scalar_one()
    found = await scope.session.execute(
        sql_select(QuestProgress, Quest, Member, reviewer)
        .join(Quest, col(Quest.id) == col(QuestProgress.quest_id))
        .join(Member, col(Member.id) == col(QuestProgress.member_id))
        .outerjoin(reviewer, col(reviewer.id) == col(QuestProgress.reviewed_by_id))
        .where(*conditions)
        .order_by(*order)
        .offset(offset)
        .limit(size)
    )
    rows = [
        ReviewRow(
            progress_id=progress.id,
            member_id=member.id,
            member_name=member_name(member),
            external_id=member.external_id,
            quest_key=quest.key,
            quest_title=quest.title,
            quest_level=quest.level,
            status=QuestStatus(progress.status),
            evidence=progress.evidence,
            submitted_at=progress.submitted_at,
            reviewer_name=member_name(by) if by is not None else None,
            reviewed_at=progress.reviewed_at,
            note=progress.review_note,
        )
        for progress, quest, member, by in found.all()
    ]
    return offset_page(tag, rows, total, offset, size)


async def digests_page(scope: Scope, cursor: str | None = None, limit: int = 50) -> Page[DigestRow]:
    """The community's digests, newest period first."""
    tag = query_tag("digests")
    offset, size = offset_of(tag, cursor), clamp(limit)
    mine = col(Digest.community_id) == scope.community_id
    total = await count_rows(scope.session, Digest, mine)
    found = await scope.session.execute(
        sql_select(Digest)
        .where(mine)
        .order_by(col(Digest.period_start).desc(), col(Digest.id).desc())
        .offset(offset)
        .limit(size)
    )
    rows = [
        DigestRow(
            digest_id=d.id,
            period_start=d.period_start,
            period_end=d.period_end,
            status=d.status,
            claimed_at=d.claimed_at,
            posted_at=d.posted_at,
            late=d.late,
            channel_id=d.channel_id,
        )
        for d in found.scalars().all()
    ]
    return offset_page(tag, rows, total, offset, size)


async def digest_report(scope: Scope, digest_id: int) -> HealthReport | None:
    """The figures of an archived digest's period, computed again (None: no such digest here)."""
    digest = (
        await scope.session.execute(
            sql_select(Digest).where(
                col(Digest.id) == digest_id, col(Digest.community_id) == scope.community_id
            )
        )
    ).scalar_one_or_none()
    if digest is None:
        return None
    return await build_report(scope, digest.period_start, digest.period_end)


async def audit_log(
    scope: Scope,
    cursor: str | None = None,
    limit: int = 50,
    *,
    manual_only: bool = False,
    member_id: int | None = None,
) -> Page[LevelChangeRow]:
    """Level changes of this community, newest first: who, from which level to which, by whom, why.

    ``manual_only`` keeps the changes a manager made; ``member_id`` one member's changes.
    """
    conditions = [col(LevelChange.community_id) == scope.community_id]
    if manual_only:
        conditions.append(col(LevelChange.changed_by_id).is_not(None))
    if member_id is not None:
        conditions.append(col(LevelChange.member_id) == member_id)
    total = await count_rows(scope.session, LevelChange, *conditions)
    keyset = Keyset(col(LevelChange.created_at), col(LevelChange.id), descending=True)
    statement = sql_select(col(LevelChange.id), col(LevelChange.created_at), col(LevelChange.id)).where(
        *conditions
    )
    tag = query_tag("audit", manual_only, member_id)
    page = await keyset_page(scope.session, statement, keyset, tag, cursor, clamp(limit), total)
    rows = await change_rows(scope, [ident for ident, _, _ in page.rows])
    return Page(tuple(rows), page.total, page.first, page.next_cursor, page.previous_cursor)


async def change_rows(scope: Scope, change_ids: list[int]) -> list[LevelChangeRow]:
    """Audit rows for the given level changes of this community, in the order given."""
    if not change_ids:
        return []
    by = aliased(Member)
    found = await scope.session.execute(
        sql_select(LevelChange, Member, by)
        .join(Member, col(Member.id) == col(LevelChange.member_id))
        .outerjoin(by, col(by.id) == col(LevelChange.changed_by_id))
        .where(col(LevelChange.id).in_(change_ids))
    )
    rows = {
        change.id: change_row(scope, change, member, manager)
        for change, member, manager in found.all()
        if change.community_id == scope.community_id  # checked here: the key finds the rows
    }
    return [rows[i] for i in change_ids if i in rows]


def change_row(scope: Scope, change: LevelChange, member: Member, by: Member | None) -> LevelChangeRow:
    """A level change as the audit log shows it."""
    assert change.id is not None
    config = scope.config
    return LevelChangeRow(
        change_id=change.id,
        at=change.created_at,
        member_id=change.member_id,
        member_name=member_name(member),
        from_level=change.from_level,
        from_level_name=level_name(config, change.from_level),
        to_level=change.to_level,
        to_level_name=level_name(config, change.to_level),
        by_member_id=change.changed_by_id,
        by_name=member_name(by) if by is not None else None,
        reason=change.reason,
    )
