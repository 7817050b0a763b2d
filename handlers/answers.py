"""Answers and solves: first responses are timed, helpers are credited when the asker marks one."""

from datetime import datetime

from sqlmodel import col, select

from handlers.actions import AcceptAnswer, ActionName, EarlierAnswerChoice
from handlers.directory import dm
from handlers.grammar import Command
from handlers.ledger import Credit, credit, touch
from handlers.mentions import plain_quote
from handlers.refusal import Refusal, usage_refusal
from handlers.routing import begin_routing, close_assignments, no_helper_text
from handlers.scope import Acting, Scope
from handlers.text import plural
from handlers.types import Button, Message, Outcome
from models import Answer, Member, Question, QuestionStatus

CHECK_MARKS = frozenset({"white_check_mark", "heavy_check_mark", "✅", "✔️", "☑️"})


async def record_reply(
    scope: Scope,
    question: Question,
    member: Member,
    text: str,
    *,
    source_id: str,
    at: datetime,
    live: bool,
) -> Outcome:
    """A reply in a question's thread: an answer unless the asker wrote it."""
    if member.id == question.asker_id or question.status == QuestionStatus.DEFLECTED:
        return Outcome()
    assert member.id is not None and question.id is not None
    answer = Answer(
        question_id=question.id, member_id=member.id, text=text, source_id=source_id, created_at=at
    )
    scope.session.add(answer)
    if question.first_response_at is None:
        question.first_response_at = at
        question.first_responder_id = member.id
        question.answered_level = member.level
        question.next_escalation_at = None
        await close_assignments(scope, question)
    if question.status == QuestionStatus.OPEN:
        question.status = QuestionStatus.ANSWERED
    scope.session.add(question)
    await scope.session.flush()
    if not live:
        return Outcome()
    message = Message(
        title="Someone answered",
        text=(
            f"<@{member.external_id}> replied to your question #{question.id}: "
            f"“{plain_quote(text, 400)}”\nIf it solves it, mark it so they are credited."
        ),
        buttons=(Button("This answered it", ActionName.ACCEPT_ANSWER, str(answer.id), "primary"),),
    )
    return Outcome(notices=await dm(scope, question.asker_id, message))


async def solve(scope: Scope, question: Question, answer: Answer, *, at: datetime) -> Outcome:
    """Mark a question solved by an answer and credit its author and the other repliers."""
    assert question.id is not None
    question.status = QuestionStatus.SOLVED
    question.solved_at = at
    question.accepted_answer_id = answer.id
    question.next_escalation_at = None
    scope.session.add(question)
    await close_assignments(scope, question)
    repliers = (
        await scope.session.exec(select(Answer.member_id).where(Answer.question_id == question.id).distinct())
    ).all()
    points = scope.config.points
    credits = [
        Credit(
            answer.member_id,
            "answer_accepted",
            points.answer_accepted,
            f"accepted:q{question.id}",
            at,
        )
    ]
    credits += [
        Credit(m, "answer_given", points.answer_given, f"given:q{question.id}:m{m}", at)
        for m in repliers
        if m != answer.member_id
    ]
    outcome = await credit(scope, credits)
    thanks = Message(
        text=(
            f"Your answer to question #{question.id} was accepted. Thank you! "
            f"(+{plural(points.answer_accepted, 'point')})"
        )
    )
    outcome.notices += await dm(scope, answer.member_id, thanks)
    return outcome


async def solved(acting: Acting, question_id: int | None) -> Outcome:
    """``/ladder solved [id]``: the asker (or a manager) marks the latest reply as the answer."""
    scope = acting.scope
    question = await _own_question(acting, question_id)
    if question.status == QuestionStatus.SOLVED:
        raise Refusal(f"Question #{question.id} is already solved.")
    answer = (
        await scope.session.exec(
            select(Answer)
            .where(Answer.question_id == question.id)
            .order_by(col(Answer.created_at).desc(), col(Answer.id).desc())
        )
    ).first()
    if answer is None:
        raise Refusal(f"Nobody has replied to question #{question.id} yet, so there is no answer to mark.")
    outcome = await solve(scope, question, answer, at=scope.now)
    return outcome.reply(Message(text=f"Question #{question.id} is solved; its helpers are credited."))


async def _own_question(acting: Acting, question_id: int | None) -> Question:
    scope = acting.scope
    if question_id is None:
        question = (
            await scope.session.exec(
                select(Question)
                .where(
                    Question.community_id == scope.community_id,
                    Question.asker_id == acting.member_id,
                    col(Question.status).in_([QuestionStatus.OPEN, QuestionStatus.ANSWERED]),
                )
                .order_by(col(Question.asked_at).desc())
            )
        ).first()
        if question is None:
            raise usage_refusal("solved", "You have no open question to mark solved.")
        return question
    question = await scope.session.get(Question, question_id)
    if question is None or question.community_id != scope.community_id:
        raise usage_refusal("solved", f"There is no question #{question_id} here.")
    if question.asker_id != acting.member_id and not acting.is_manager:
        raise Refusal(f"Only the asker or a manager can mark question #{question_id} solved.")
    return question


async def act(acting: Acting, command: Command | AcceptAnswer | EarlierAnswerChoice) -> Outcome:
    """Handle the answer buttons: 'This answered it' and the earlier-answer choice."""
    scope = acting.scope
    if isinstance(command, AcceptAnswer):
        answer = await scope.session.get(Answer, command.answer_id)
        question = await scope.session.get(Question, answer.question_id) if answer else None
        if answer is None or question is None or question.community_id != scope.community_id:
            raise Refusal("That answer no longer exists.")
        if question.asker_id != acting.member_id and not acting.is_manager:
            raise Refusal("Only the asker or a manager can mark an answer.")
        if question.status == QuestionStatus.SOLVED:
            raise Refusal(f"Question #{question.id} is already solved.")
        outcome = await solve(scope, question, answer, at=scope.now)
        return outcome.reply(Message(text=f"Marked as the answer to #{question.id}. Thank you!"))
    if isinstance(command, EarlierAnswerChoice):
        return await _earlier_answer_choice(acting, command)
    raise Refusal("That action is not supported here.")


async def _earlier_answer_choice(acting: Acting, choice: EarlierAnswerChoice) -> Outcome:
    scope = acting.scope
    question = await scope.session.get(Question, choice.question_id)
    if question is None or question.asker_id != acting.member_id:
        raise Refusal("That choice belongs to someone else's question.")
    if question.status == QuestionStatus.DEFLECTED:
        raise Refusal(f"Question #{question.id} is already settled by the earlier answer.")
    if question.tier_index >= 0 or question.status != QuestionStatus.OPEN:
        raise Refusal(f"Question #{question.id} is already with helpers.")
    if choice.helped:
        question.status = QuestionStatus.DEFLECTED
        question.solved_at = scope.now
        question.next_escalation_at = None
        scope.session.add(question)
        return Outcome().reply(Message(text="Glad it helped. Nobody was pinged."))
    routed = await begin_routing(scope, question)
    text = (
        f"Asked {plural(len(routed.helpers), 'helper')} about question #{question.id}."
        if routed.helpers
        else no_helper_text(question, routed)
    )
    return routed.outcome.reply(Message(text=text))


async def on_reaction(scope: Scope, member: Member, message_id: str, emoji: str, at: datetime) -> Outcome:
    """A ✅ on an answer by the asker or a manager solves the question with that answer."""
    if emoji not in CHECK_MARKS:
        return Outcome()
    answer = (
        await scope.session.exec(
            select(Answer)
            .join(Question, col(Question.id) == col(Answer.question_id))
            .where(Answer.source_id == message_id, Question.community_id == scope.community_id)
        )
    ).first()
    if answer is None:
        return Outcome()
    question = await scope.session.get(Question, answer.question_id)
    if question is None or question.status == QuestionStatus.SOLVED:
        return Outcome()
    if member.id != question.asker_id and not member.is_manager:
        return Outcome()
    await touch(scope, [(member, at)])
    return await solve(scope, question, answer, at=at)
