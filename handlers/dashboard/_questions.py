"""The Questions page: questions still waiting, by age or by how far they have escalated."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy import select as sql_select
from sqlmodel import col

from handlers.dashboard._paging import Page, clamp, count_rows, offset_of, offset_page, query_tag
from handlers.dashboard._rows import QuestionRow, level_name, member_name
from handlers.kernel import Scope
from models import Assignment, Member, Question, QuestionStatus
from models.queries import chunks


class QuestionView(StrEnum):
    """Which questions the page lists.

    ``unanswered``: nobody but the asker has replied yet (the digest's "still unanswered");
    ``escalated``: unanswered and passed on to a higher tier at least once (or past the last tier);
    ``unsolved``: someone replied, but no answer has been accepted yet.
    """

    UNANSWERED = "unanswered"
    ESCALATED = "escalated"
    UNSOLVED = "unsolved"


class QuestionSort(StrEnum):
    """Oldest first, or furthest escalated first (then oldest)."""

    AGE = "age"
    TIER = "tier"


def _view(view: QuestionView) -> list[ColumnElement[bool]]:
    if view is QuestionView.UNSOLVED:
        return [col(Question.status) == QuestionStatus.ANSWERED]
    conditions = [col(Question.status) == QuestionStatus.OPEN]
    if view is QuestionView.ESCALATED:
        conditions.append(or_(col(Question.escalations) > 0, col(Question.exhausted) == true()))
    return conditions


def _order(sort: QuestionSort) -> list[Any]:
    oldest = [col(Question.asked_at), col(Question.id)]
    if sort is QuestionSort.TIER:
        return [col(Question.exhausted).desc(), col(Question.tier_index).desc(), *oldest]
    return oldest


async def questions_page(
    scope: Scope,
    view: QuestionView = QuestionView.UNANSWERED,
    sort: QuestionSort = QuestionSort.AGE,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[QuestionRow]:
    """One page of the community's waiting questions (see :class:`QuestionView`), with the total."""
    conditions = [col(Question.community_id) == scope.community_id, *_view(view)]
    tag = query_tag("questions", view, sort)
    offset, size = offset_of(tag, cursor), clamp(limit)
    total = await count_rows(scope.session, Question, *conditions)
    # The page's ids first, sorted on the question table alone (no text, no join), then its rows.
    ids = (
        await scope.session.execute(
            sql_select(col(Question.id)).where(*conditions).order_by(*_order(sort)).offset(offset).limit(size)
        )
    ).scalars()
    found = await scope.session.execute(
        sql_select(Question, Member)
        .join(Member, col(Member.id) == col(Question.asker_id))
        .where(col(Question.id).in_(list(ids)))
        .order_by(*_order(sort))
    )
    rows = await question_rows(scope, [(question, asker) for question, asker in found.all()])
    return offset_page(tag, rows, total, offset, size)


async def question_rows(scope: Scope, pairs: Sequence[tuple[Question, Member]]) -> list[QuestionRow]:
    """Rows for loaded questions and their askers, with the helpers each one still waits on."""
    waiting = await _waiting_on(scope, [q.id for q, _ in pairs if q.id is not None])
    config, rows = scope.config, list[QuestionRow]()
    for question, asker in pairs:
        assert question.id is not None
        tiers = config.tiers_for(question.asker_level)
        current = tiers[question.tier_index] if 0 <= question.tier_index < len(tiers) else ()
        rows.append(
            QuestionRow(
                question_id=question.id,
                asked_at=question.asked_at,
                age=scope.now - question.asked_at,
                asker_id=question.asker_id,
                asker_name=member_name(asker),
                asker_level=question.asker_level,
                asker_level_name=level_name(config, question.asker_level),
                text=question.text,
                status=QuestionStatus(question.status),
                tier=question.tier_index + 1 if question.tier_index >= 0 else 0,
                tiers=len(tiers),
                tier_levels=tuple(level_name(config, level) for level in current),
                escalations=question.escalations,
                exhausted=question.exhausted,
                first_response_at=question.first_response_at,
                waiting_on=tuple(waiting.get(question.id, ())),
            )
        )
    return rows


async def _waiting_on(scope: Scope, question_ids: Sequence[int]) -> dict[int, list[str]]:
    """The helpers pinged for each question whose assignment is still open, in the order pinged."""
    waiting: dict[int, list[str]] = {}
    for chunk in chunks(list(question_ids)):
        found = await scope.session.execute(
            sql_select(col(Assignment.question_id), Member)
            .join(Member, col(Member.id) == col(Assignment.helper_id))
            .where(col(Assignment.question_id).in_(chunk), col(Assignment.open) == true())
            .order_by(col(Assignment.assigned_at), col(Assignment.id))
        )
        for question_id, helper in found.all():
            waiting.setdefault(question_id, []).append(member_name(helper))
    return waiting
