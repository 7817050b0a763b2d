"""What the rulebook knows about questions while it reads a batch: their state, loaded once.

A batch (live or imported) names the threads, replies and reactions it touches; they are loaded
here in a few chunked queries, and the rulebook then works in memory, adding the batch's own
questions and answers as it reads them.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, or_
from sqlalchemy import select as sql_select
from sqlmodel import col

from handlers.kernel import Event, EventKind, Scope
from models import Answer, Member, Question
from models.queries import chunks
from models.questions import latest_questions


@dataclass(slots=True, eq=False)
class ThreadState:
    """A question as the rulebook sees it: who asked, where it stands, its answers so far."""

    root: str | None
    asker: int
    status: str
    asked_at: datetime
    question_id: int | None = None
    first_response_at: datetime | None = None
    first_responder_id: int | None = None
    answered_level: int | None = None
    solved_at: datetime | None = None
    accepted_answer_id: int | None = None
    answers: list["AnswerState"] = field(default_factory=list)
    accepted_helpers: set[int] = field(default_factory=set)
    first_accepted: "AnswerState | None" = None
    changed: bool = False
    new: bool = False


@dataclass(slots=True, eq=False)
class AnswerState:
    """A reply to a question by someone other than its asker."""

    message_id: str
    author: int
    author_external: str
    at: datetime
    thread: ThreadState
    answer_id: int | None = None
    accepted: bool = False


@dataclass(slots=True)
class Known:
    """The threads and answers a batch touches, by the message ids events name them with.

    ``belongs`` remembers, for the batch, which thread every message read so far joined (the
    asker's follow-ups too), so a reply to any of them finds its question. ``asked_by`` holds
    each (asker, channel)'s latest question, for help channels without threads.
    """

    threads: dict[str, ThreadState] = field(default_factory=dict)
    answers: dict[str, AnswerState] = field(default_factory=dict)
    belongs: dict[str, ThreadState] = field(default_factory=dict)
    asked_by: dict[tuple[int, str], ThreadState] = field(default_factory=dict)
    by_id: dict[int, ThreadState] = field(default_factory=dict)

    def thread_of(self, ref: str | None) -> ThreadState | None:
        """The question a message id leads to: a question's root, an answer, or a follow-up."""
        if ref is None:
            return None
        thread = self.threads.get(ref)
        if thread is not None:
            return thread
        answer = self.answers.get(ref)
        return answer.thread if answer is not None else self.belongs.get(ref)

    def add_answer(self, answer: AnswerState) -> None:
        """Remember an answer under its message id and in its thread, in time order."""
        self.answers[answer.message_id] = answer
        answers = answer.thread.answers
        answers.append(answer)
        if len(answers) > 1 and answers[-2].at > answer.at:
            answers.sort(key=lambda a: a.at)


def references(events: Iterable[Event]) -> set[str]:
    """Every message id the events name as a thread, a reply target or a reaction's message."""
    refs: set[str] = set()
    for event in events:
        if event.kind is EventKind.MESSAGE:
            if event.thread_id:
                refs.add(event.thread_id)
            if event.reply_to:
                refs.add(event.reply_to)
        elif event.kind is EventKind.REACTION and event.message_id:
            refs.add(event.message_id)
    return refs


async def load_known(
    scope: Scope, refs: set[str], since: datetime, askers: Collection[tuple[int, str]] = ()
) -> Known:
    """Load the questions and answers ``refs`` name and the latest questions of ``askers``
    (asker, channel) since ``since``, with each question's answers since ``since`` (older ones
    only when accepted, so a helper is never accepted twice on one question)."""
    known = Known()
    if askers:
        await _load_asked_by(scope, known, set(askers), since)
    if not refs and not known.by_id:
        return known
    ordered = sorted(refs)
    for chunk in chunks(ordered):
        for row in await _questions(scope, col(Question.thread_id).in_(chunk)):
            _keep(known, row)
    named: list[_AnswerRow] = []
    for chunk in chunks(ordered):
        named.extend(await _answers(scope, col(Answer.source_id).in_(chunk)))
    await load_questions(scope, known, sorted({row[1] for row in named} - known.by_id.keys()))
    await load_answers(scope, known, since, named)
    return known


async def load_questions(scope: Scope, known: Known, question_ids: Sequence[int]) -> None:
    """Add questions by id (those an answer or a command names)."""
    for chunk in chunks(question_ids):
        for row in await _questions(scope, col(Question.id).in_(chunk)):
            _keep(known, row)


_QUESTION_STATE = (
    col(Question.id),
    col(Question.thread_id),
    col(Question.asker_id),
    col(Question.status),
    col(Question.asked_at),
    col(Question.first_response_at),
    col(Question.first_responder_id),
    col(Question.answered_level),
    col(Question.solved_at),
    col(Question.accepted_answer_id),
    col(Question.channel_id),
)
"""The columns of a question the rulebook reads (rows, not ORM objects: a batch may load
thousands, and building ``Question`` instances cost more than the queries)."""


async def _questions(scope: Scope, *where: ColumnElement[bool]) -> Sequence[Row[Any]]:
    """The rulebook's columns of the community's questions that match ``where``."""
    rows = await scope.session.execute(
        sql_select(*_QUESTION_STATE).where(col(Question.community_id) == scope.community_id, *where)
    )
    return rows.all()


def _keep(known: Known, row: Sequence[Any]) -> ThreadState:
    """The state of a stored question (a row of :data:`_QUESTION_STATE`), loaded once however
    many ways the batch reaches it."""
    question_id, thread_id, asker, status, asked_at, first_at, responder, level, solved_at, accepted, _ = row
    if question_id in known.by_id:
        return known.by_id[question_id]
    state = ThreadState(
        root=thread_id,
        asker=asker,
        status=status,
        asked_at=asked_at,
        question_id=question_id,
        first_response_at=first_at,
        first_responder_id=responder,
        answered_level=level,
        solved_at=solved_at,
        accepted_answer_id=accepted,
    )
    known.by_id[question_id] = state
    if thread_id is not None:
        known.threads.setdefault(thread_id, state)
    return state


_AnswerRow = tuple[int, int, int, str, datetime, datetime | None, str]


async def _answers(scope: Scope, *where: ColumnElement[bool]) -> list[_AnswerRow]:
    """Answers with their question, author, time, acceptance and author's platform id.

    No join on the question: with one, SQLite's planner walks every question of the community
    for each source id. Answers of another community are dropped with their questions, which
    :func:`load_questions` never loads.
    """
    rows = await scope.session.execute(
        sql_select(
            col(Answer.id),
            col(Answer.question_id),
            col(Answer.member_id),
            col(Answer.source_id),
            col(Answer.created_at),
            col(Answer.accepted_at),
            col(Member.external_id),
        )
        .join(Member, col(Member.id) == col(Answer.member_id))
        .where(*where)
    )
    return [tuple(row) for row in rows.all()]


async def load_answers(scope: Scope, known: Known, since: datetime, named: Sequence[_AnswerRow] = ()) -> None:
    """The answers of the loaded questions a batch may credit or thank, in time order: those
    since ``since``, every accepted one, and those the batch names (``named``)."""
    by_id = known.by_id
    rows = {row[0]: row for row in named if row[1] in by_id}
    for chunk in chunks(sorted(by_id)):
        for row in await _answers(
            scope,
            col(Answer.question_id).in_(chunk),
            or_(col(Answer.created_at) >= since, col(Answer.accepted_at).is_not(None)),
        ):
            rows[row[0]] = row
    for answer_id, question_id, author, source, at, accepted_at, external in sorted(
        rows.values(), key=lambda row: (row[4], row[0])
    ):
        thread = by_id[question_id]
        accepted = accepted_at is not None or answer_id == thread.accepted_answer_id
        if accepted:
            thread.accepted_helpers.add(author)
        if source not in known.answers:
            known.add_answer(AnswerState(source, author, external, at, thread, answer_id, accepted))


async def _load_asked_by(scope: Scope, known: Known, pairs: set[tuple[int, str]], since: datetime) -> None:
    """Each (asker, channel)'s latest question since ``since`` (help channels without threads).

    Only the latest question of each pair is read: a history batch's horizon can reach back
    years, and loading every question since then, batch after batch, dominated replay.
    """
    ids = await latest_questions(scope.session, scope.community_id, pairs, since)
    for chunk in chunks(sorted(ids)):
        for row in await _questions(scope, col(Question.id).in_(chunk)):
            known.asked_by[(row.asker_id, row.channel_id)] = _keep(known, row)


def thanks_horizon(events: Sequence[Event], window: timedelta) -> datetime:
    """How far back a batch's thanks may reach: its earliest event, less the thanks window."""
    return min(event.at for event in events) - window
