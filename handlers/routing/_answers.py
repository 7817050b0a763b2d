"""Answers and acceptance, as people see them: the DMs a live batch sends, and the explicit
marks (the "This answered it" button, ``/ladder solved``) that go through the rulebook's rules."""

from collections.abc import Sequence

from sqlmodel import col, select

from handlers.commands import ActionName, EarlierAnswerChoice, usage_refusal
from handlers.kernel import (
    Acting,
    Button,
    Message,
    Notice,
    Outcome,
    Refusal,
    Scope,
    dm_notice,
    plain_quote,
    plural,
)
from handlers.ladder import Credit, accepted_source, credit
from handlers.routing._antifarming import accepted_credits
from handlers.routing._routing import begin_routing, no_helper_text
from handlers.routing._rulebook import Decisions, MemberInfo, Rulebook
from handlers.routing._thread_writes import write_decisions
from handlers.routing._threads import Known, ThreadState, load_answers, load_questions
from models import AcceptanceSignal, Answer, ContributionKind, Question, QuestionStatus


async def answer_notices(scope: Scope, decisions: Decisions, credits: Sequence[Credit]) -> list[Notice]:
    """A live batch's DMs: the asker hears of each new answer; a helper hears theirs was accepted."""
    notices: list[Notice] = []
    for answer, event in decisions.answered:
        thread = answer.thread
        if answer.answer_id is None or thread.question_id is None:
            continue
        message = Message(
            title="Someone answered",
            text=(
                f"<@{answer.author_external}> replied to your question #{thread.question_id}: "
                f"“{plain_quote(event.text, 400)}”\nIf it helped, react 👍, say thanks in the thread "
                "or press the button, so they are credited."
            ),
            buttons=(Button("This answered it", ActionName.ACCEPT_ANSWER, str(answer.answer_id), "primary"),),
        )
        notices += await dm_notice(scope, thread.asker, message)
    kinds = {c.source_id: (c.kind, c.points) for c in credits}
    for acceptance in decisions.accepted:
        answer, thread = acceptance.answer, acceptance.answer.thread
        if thread.question_id is None:
            continue
        notices += await dm_notice(
            scope, answer.author, _accepted_message(scope, thread, kinds, answer.author)
        )
    return notices


def _accepted_message(
    scope: Scope, thread: ThreadState, kinds: dict[str, tuple[str, int]], helper: int
) -> Message:
    assert thread.question_id is not None
    kind, points = kinds.get(
        accepted_source(thread.question_id, helper), (ContributionKind.ANSWER_ACCEPTED, 0)
    )
    if kind == ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT:
        rules = scope.config.acceptance
        note = (
            f"It is kept in your record; answers accepted by the same member count towards your level "
            f"at most {rules.same_asker_max} times in {rules.same_asker_window_days} days."
        )
    else:
        note = f"(+{plural(points, 'point')})"
    return Message(text=f"Your answer to question #{thread.question_id} was accepted. Thank you! {note}")


async def accept_explicitly(acting: Acting, question: Question, answer: Answer) -> Outcome:
    """The asker (or a manager) marks an answer: accepted under the rulebook's rules, or refused
    with the reason."""
    scope = acting.scope
    assert question.id is not None
    known = Known()
    await load_questions(scope, known, [question.id])
    await load_answers(scope, known, answer.created_at)
    state = next(a for a in known.by_id[question.id].answers if a.answer_id == answer.id)
    members = {acting.member_id: MemberInfo(acting.member.level, acting.is_manager)}
    rulebook = Rulebook(scope.config, known, members, live=True)
    reason = rulebook.refusal(state, AcceptanceSignal.EXPLICIT, acting.member_id)
    if reason is not None:
        raise Refusal(reason)
    rulebook.accept(state, AcceptanceSignal.EXPLICIT, acting.member_id, scope.now)
    await write_decisions(scope, rulebook.decisions, members)
    credits = await accepted_credits(scope, rulebook.decisions.accepted)
    outcome = await credit(scope, credits)
    outcome.notices += await answer_notices(scope, rulebook.decisions, credits)
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
    outcome = await accept_explicitly(acting, question, answer)
    return outcome.reply(Message(text=f"Question #{question.id} is solved; its helper is credited."))


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


async def accept_answer(acting: Acting, answer_id: int) -> Outcome:
    """The "This answered it" button on a reply: accepted under the rulebook's rules."""
    scope = acting.scope
    answer = await scope.session.get(Answer, answer_id)
    question = await scope.session.get(Question, answer.question_id) if answer else None
    if answer is None or question is None or question.community_id != scope.community_id:
        raise Refusal("That answer no longer exists.")
    outcome = await accept_explicitly(acting, question, answer)
    return outcome.reply(Message(text=f"Marked as an answer to #{question.id}. Thank you!"))


async def earlier_answer_choice(acting: Acting, choice: EarlierAnswerChoice) -> Outcome:
    """The asker's answer to 'Does this earlier answer help?': settled, or sent to helpers."""
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
