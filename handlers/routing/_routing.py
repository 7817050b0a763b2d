"""Question routing: search earlier answers, ping a few helpers one tier up, escalate on a timer."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select, update

from handlers.commands import ActionName
from handlers.kernel import (
    Acting,
    Button,
    ChannelPost,
    Context,
    DirectMessage,
    Message,
    Notice,
    Outcome,
    Refusal,
    Scope,
    Track,
    Tracked,
    Visibility,
    dm_managers,
    plain_quote,
    plural,
)
from handlers.ladder import Credit, ask_source, asked_source, credit, touch
from handlers.routing import _earlier as earlier
from handlers.routing import _similar as similar
from handlers.routing._limits import question_limit
from models import (
    Answer,
    Assignment,
    ContributionKind,
    Member,
    MemberStatus,
    Question,
    QuestionStatus,
    countable,
)
from models.locks import Budget, hold


@dataclass(slots=True)
class Routed:
    """Where a question went: the helpers pinged (empty when every tier was empty), or else how
    many managers were told."""

    outcome: Outcome = field(default_factory=Outcome)
    helpers: list[Member] = field(default_factory=list)
    tier: tuple[int, ...] = ()
    managers_told: int = 0


async def ask(acting: Acting, ctx: Context, text: str, terms: similar.Terms) -> Outcome:
    """``/ladder ask``: offer an earlier answer if one fits, else ping the asker's first tier.

    Past a question limit nothing is recorded or posted: the asker is told which limit, and when
    it frees up.
    """
    scope, asker = acting.scope, acting.member
    await touch(scope, [(asker, scope.now)])
    limit = await question_limit(scope, asker)
    if limit is not None:
        raise Refusal(f"Not asked: {limit} Nothing was posted.")
    question = Question(
        community_id=scope.community_id,
        asker_id=acting.member_id,
        asker_level=asker.level,
        text=text,
        terms=terms.stored(text),
        source_id=ask_source(acting.member_id, scope.now),
        channel_id=ctx.channel_id,
        thread_id=None,
        asked_at=scope.now,
    )
    scope.session.add(question)
    await scope.session.flush()
    assert question.id is not None
    asked = Credit(
        acting.member_id,
        ContributionKind.QUESTION_ASKED,
        scope.config.points.question_asked,
        asked_source(question.id),
        scope.now,
    )
    outcome = await credit(scope, [asked])
    outcome.extend(await offer_or_route(scope, question))
    return outcome


async def offer_or_route(scope: Scope, question: Question, limit: str | None = None) -> Outcome:
    """A new question: offer the asker an earlier answer that fits, else ping its first tier.

    ``limit`` says why the asker is past a question limit: the question (a help-channel post,
    there for all to see) stays recorded, so replies in its thread still count, but nobody is
    pinged. The outcome's replies are for the asker (a DM when the question came from a message).
    """
    if limit is not None:
        return Outcome().reply(
            Message(text=f"Question #{question.id} is recorded, but no helper was pinged: {limit}")
        )
    earlier = await find_earlier_answer(scope, question)
    if earlier is not None:
        old, answer = earlier
        question.tier_index = -1
        question.next_escalation_at = question.asked_at + _patience(scope)
        scope.session.add(question)
        return Outcome().reply(_offer_earlier(question, old, answer))
    routed = await begin_routing(scope, question)
    return routed.outcome.reply(_routed_reply(scope, question, routed))


async def find_earlier_answer(scope: Scope, question: Question) -> tuple[Question, Answer] | None:
    """Find a solved question close enough to this one, with its accepted answer.

    The whole history is searched through the database's full-text index
    (``_earlier``).
    """
    matches = await earlier.closest_solved(
        scope.session, scope.community_id, question.terms.split(), question.id
    )
    match = matches[0] if matches else None
    if match is None or match[1] < scope.config.routing.similar_question_min_score:
        return None
    old = await scope.session.get(Question, match[0])
    if old is None or old.accepted_answer_id is None:
        return None
    answer = await scope.session.get(Answer, old.accepted_answer_id)
    return (old, answer) if answer is not None else None


def _offer_earlier(question: Question, old: Question, answer: Answer) -> Message:
    return Message(
        title="This may already be answered",
        text=(
            f"A similar question was solved before: “{plain_quote(old.text, 200)}”\n"
            f"Answer: {plain_quote(answer.text, 600)}\n"
            "Does this answer your question?"
        ),
        buttons=(
            Button(
                "Yes, that answers it",
                ActionName.EARLIER_ANSWER_HELPED,
                str(question.id),
                "primary",
            ),
            Button("No, ask helpers", ActionName.ASK_HELPERS, str(question.id)),
        ),
    )


def _routed_reply(scope: Scope, question: Question, routed: Routed) -> Message:
    minutes = scope.config.routing.escalate_after_minutes
    if not routed.helpers:
        return Message(text=no_helper_text(question, routed))
    names = " or ".join(sorted({scope.config.level_name(level) for level in routed.tier}))
    return Message(
        text=(
            f"Question #{question.id} is with {plural(len(routed.helpers), f'{names} helper')}. "
            f"If nobody responds within {minutes} min it goes one tier up. Replies in its thread "
            "count as answers; when one helps, react 👍, say thanks or mark it with ✅ or "
            f"`/ladder solved {question.id}`."
        )
    )


def no_helper_text(question: Question, routed: Routed) -> str:
    """What really happened to a question no tier could take, and what the asker can do."""
    if routed.managers_told:
        told = "the manager has" if routed.managers_told == 1 else "the managers have"
        return (
            f"Question #{question.id} is recorded. No helper is available right now, so {told} "
            "been told by DM. Replies in its thread still count as answers."
        )
    return (
        f"Question #{question.id} is recorded, but nobody has been told: no helper is available "
        "right now and Ladder knows no manager here yet. Anyone can still answer in its thread; "
        "if it is urgent, reach a maintainer directly."
    )


def _patience(scope: Scope) -> timedelta:
    return timedelta(minutes=scope.config.routing.escalate_after_minutes)


async def begin_routing(scope: Scope, question: Question) -> Routed:
    """Start routing a question from its first tier, posting a ``/ladder ask`` one in its channel."""
    routed = await route(scope, question, 0)
    routed.outcome.notices[:0] = _post_question(question)
    return routed


async def route(scope: Scope, question: Question, start: int, *, summarise: bool = True) -> Routed:
    """Ping the first tier from ``start`` that has available helpers; skip empty tiers at once.

    After the last tier the question is *exhausted* and the managers are told in one summary
    (``summarise=False`` lets the sweep send one summary for all its questions). Helpers are
    picked and pinged under the community's routing lock, so the daily ping cap holds when
    replicas route at once.
    """
    tiers = scope.config.tiers_for(question.asker_level)
    await hold(scope.session, Budget.HELPER_PINGS, scope.community_id)
    for index in range(start, len(tiers)):
        if index > 0:
            question.escalations += 1
        question.tier_index = index
        helpers = await available_helpers(scope, question, tiers[index])
        if helpers:
            question.next_escalation_at = scope.now + _patience(scope)
            scope.session.add(question)
            return Routed(await _ping(scope, question, helpers, index), helpers, tiers[index])
    question.escalations += 1
    question.exhausted = True
    question.next_escalation_at = None
    scope.session.add(question)
    told = await tell_managers(scope, [question]) if summarise else Outcome()
    return Routed(told, managers_told=len(told.notices))


async def available_helpers(scope: Scope, question: Question, levels: tuple[int, ...]) -> list[Member]:
    """Up to ``helpers_per_tier`` helpers: on the roster, recently active, least loaded first."""
    routing = scope.config.routing
    open_load = (
        select(func.count()).where(Assignment.helper_id == Member.id, col(Assignment.open)).scalar_subquery()
    )
    pinged_today = (
        select(func.count())
        .where(
            Assignment.helper_id == Member.id,
            Assignment.assigned_at >= scope.now - timedelta(days=1),
        )
        .scalar_subquery()
    )
    already = select(Assignment.helper_id).where(Assignment.question_id == question.id)
    rows = await scope.session.exec(
        select(Member)
        .where(
            Member.community_id == scope.community_id,
            col(Member.level).in_(levels),
            Member.status == MemberStatus.ACTIVE,
            countable(),
            Member.id != question.asker_id,
            col(Member.last_active_at) >= scope.now - timedelta(days=routing.helper_active_days),
            pinged_today < routing.max_pings_per_helper_per_day,
            col(Member.id).not_in(already),
        )
        .order_by(open_load, col(Member.last_active_at).desc(), col(Member.id))
        .limit(routing.helpers_per_tier)
    )
    return list(rows.all())


async def _ping(scope: Scope, question: Question, helpers: list[Member], tier: int) -> Outcome:
    outcome = Outcome()
    where = f" in <#{question.channel_id}>" if question.channel_id else ""
    asker_level = scope.config.level_name(question.asker_level)
    for helper in helpers:
        assert helper.id is not None and question.id is not None
        scope.session.add(
            Assignment(question_id=question.id, helper_id=helper.id, tier_index=tier, assigned_at=scope.now)
        )
        text = (
            f"A {asker_level} asked{where}: “{plain_quote(question.text)}”\n"
            + (f"You are one of {len(helpers)} helpers picked" if len(helpers) > 1 else "You were picked")
            + f" for question #{question.id}. Reply in its thread to help."
        )
        outcome.notices.append(DirectMessage(helper.external_id, Message(text=text, title="Can you help?")))
    await scope.session.flush()
    return outcome


def _post_question(question: Question) -> list[Notice]:
    """A ``/ladder ask`` question is posted in its channel so answers gather in its thread."""
    if question.thread_id is not None or question.channel_id is None:
        return []
    assert question.id is not None, "a question is posted once stored"
    message = Message(
        text=(
            f"Question #{question.id}: “{plain_quote(question.text, 1000)}” — reply in this thread to answer."
        ),
        visibility=Visibility.CHANNEL,
    )
    return [ChannelPost(question.channel_id, message, track=Track(Tracked.QUESTION, question.id))]


async def tell_managers(scope: Scope, questions: list[Question]) -> Outcome:
    """One summary message per manager for questions no tier answered: never a role-wide ping."""
    if not questions:
        return Outcome()
    lines = [
        f"• #{q.id} “{plain_quote(q.text, 120)}” (asked {q.asked_at:%d %b %H:%M} UTC, "
        f"{plural(q.escalations, 'escalation')})"
        for q in questions
    ]
    message = Message(
        title="Unanswered after every tier",
        text="No available helper responded to:\n" + "\n".join(lines),
    )
    return Outcome(notices=await dm_managers(scope, message))


async def escalate_due(scope: Scope) -> tuple[Outcome, int]:
    """Move every question with no first response past its timer to the next tier."""
    due = (
        await scope.session.exec(
            select(Question)
            .where(
                Question.community_id == scope.community_id,
                Question.status == QuestionStatus.OPEN,
                col(Question.next_escalation_at) <= scope.now,
                col(Question.exhausted).is_(False),
            )
            .order_by(col(Question.asked_at))
        )
    ).all()
    outcome, exhausted = Outcome(), []
    for question in due:
        await close_assignments(scope, question)
        if question.tier_index < 0:
            routed = await begin_routing(scope, question)
        else:
            routed = await route(scope, question, question.tier_index + 1, summarise=False)
            if not routed.helpers:
                exhausted.append(question)
        outcome.extend(routed.outcome)
    outcome.extend(await tell_managers(scope, exhausted))
    return outcome, len(due)


async def close_assignments(scope: Scope, question: Question) -> None:
    """A question's pings stop counting as open load (answered, solved or escalated)."""
    await scope.session.execute(
        update(Assignment).where(col(Assignment.question_id) == question.id).values(open=False)
    )
