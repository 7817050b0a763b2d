"""A member's page: their row, ledger, level history, quests and the questions they wait on."""

from dataclasses import dataclass

from sqlalchemy import select as sql_select
from sqlalchemy import true
from sqlalchemy.orm import aliased
from sqlmodel import col

from handlers.dashboard._members import member_rows
from handlers.dashboard._paging import Page, clamp, count_rows, offset_of, offset_page, query_tag
from handlers.dashboard._questions import question_rows
from handlers.dashboard._records import change_row
from handlers.dashboard._rows import LedgerRow, LevelChangeRow, MemberRow, QuestionRow, QuestRow
from handlers.kernel import Scope
from models import (
    Assignment,
    Contribution,
    LevelChange,
    Member,
    Quest,
    Question,
    QuestionStatus,
    QuestProgress,
    QuestStatus,
)

WAITING = (QuestionStatus.OPEN, QuestionStatus.ANSWERED)


@dataclass(frozen=True, slots=True)
class MemberDetail:
    """Everything the member page shows.

    ``level_history`` is oldest first; ``quests`` lists every active quest of the ladder with the
    member's latest submission (status None: not started); ``asked`` their questions not solved
    yet; ``assigned`` the questions they were pinged for and have not answered.
    """

    member: MemberRow
    skills: tuple[str, ...]
    ledger: Page[LedgerRow]
    level_history: tuple[LevelChangeRow, ...]
    quests: tuple[QuestRow, ...]
    asked: tuple[QuestionRow, ...]
    assigned: tuple[QuestionRow, ...]


async def member_detail(
    scope: Scope, member_id: int, ledger_cursor: str | None = None, ledger_limit: int = 50
) -> MemberDetail | None:
    """A member of this community's page; None when no member of this community has that id."""
    member = (
        await scope.session.execute(
            sql_select(Member).where(
                col(Member.id) == member_id, col(Member.community_id) == scope.community_id
            )
        )
    ).scalar_one_or_none()
    if member is None:
        return None
    (row,) = await member_rows(scope, [member])
    return MemberDetail(
        member=row,
        skills=tuple(sorted(member.skill_set)),
        ledger=await ledger_page(scope, member_id, ledger_cursor, ledger_limit),
        level_history=await _level_history(scope, member),
        quests=await _quests(scope, member_id),
        asked=await _asked(scope, member),
        assigned=await _assigned(scope, member_id),
    )


async def ledger_page(scope: Scope, member_id: int, cursor: str | None, limit: int) -> Page[LedgerRow]:
    """A member's contributions, newest first (the member is one of this community's: the
    caller checked; the member's own index finds their rows)."""
    tag = query_tag("ledger", member_id)
    offset, size = offset_of(tag, cursor), clamp(limit)
    theirs = col(Contribution.member_id) == member_id
    total = await count_rows(scope.session, Contribution, theirs)
    found = await scope.session.execute(
        sql_select(
            col(Contribution.created_at),
            col(Contribution.kind),
            col(Contribution.points),
            col(Contribution.source_id),
        )
        .where(theirs)
        .order_by(col(Contribution.created_at).desc(), col(Contribution.id).desc())
        .offset(offset)
        .limit(size)
    )
    rows = [LedgerRow(at, kind, points, source) for at, kind, points, source in found.all()]
    return offset_page(tag, rows, total, offset, size)


async def _level_history(scope: Scope, member: Member) -> tuple[LevelChangeRow, ...]:
    by = aliased(Member)
    found = await scope.session.execute(
        sql_select(LevelChange, by)
        .outerjoin(by, col(by.id) == col(LevelChange.changed_by_id))
        .where(col(LevelChange.member_id) == member.id)  # the member's own index; they are of this community
        .order_by(col(LevelChange.created_at), col(LevelChange.id))
    )
    return tuple(change_row(scope, change, member, manager) for change, manager in found.all())


async def _quests(scope: Scope, member_id: int) -> tuple[QuestRow, ...]:
    quests = (
        await scope.session.execute(
            sql_select(Quest)
            .where(col(Quest.community_id) == scope.community_id, col(Quest.active) == true())
            .order_by(col(Quest.level), col(Quest.key))
        )
    ).scalars()
    latest: dict[int, QuestProgress] = {}
    progress = await scope.session.execute(
        sql_select(QuestProgress)
        .where(col(QuestProgress.member_id) == member_id)
        .order_by(col(QuestProgress.submitted_at), col(QuestProgress.id))
    )
    for submission in progress.scalars():
        latest[submission.quest_id] = submission
    rows = []
    for quest in quests:
        done = latest.get(quest.id or 0)
        rows.append(
            QuestRow(
                key=quest.key,
                title=quest.title,
                level=quest.level,
                points=quest.points,
                status=QuestStatus(done.status) if done else None,
                submitted_at=done.submitted_at if done else None,
                reviewed_at=done.reviewed_at if done else None,
            )
        )
    return tuple(rows)


async def _asked(scope: Scope, member: Member) -> tuple[QuestionRow, ...]:
    found = await scope.session.execute(
        sql_select(Question)
        .where(col(Question.asker_id) == member.id, col(Question.status).in_(WAITING))
        .order_by(col(Question.asked_at), col(Question.id))
    )
    return tuple(await question_rows(scope, [(question, member) for question in found.scalars()]))


async def _assigned(scope: Scope, member_id: int) -> tuple[QuestionRow, ...]:
    asker = aliased(Member)
    found = await scope.session.execute(
        sql_select(Question, asker)
        .join(Assignment, col(Assignment.question_id) == col(Question.id))
        .join(asker, col(asker.id) == col(Question.asker_id))
        .where(
            col(Assignment.helper_id) == member_id,
            col(Assignment.open) == true(),
            col(Question.community_id) == scope.community_id,
            col(Question.status) == QuestionStatus.OPEN,
        )
        .order_by(col(Question.asked_at), col(Question.id))
    )
    return tuple(await question_rows(scope, [(question, who) for question, who in found.all()]))
