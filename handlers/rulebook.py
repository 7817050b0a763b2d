"""The one rulebook: what a batch of events means for questions, answers and acceptance.

Live events and imported history are read by the same :class:`Rulebook`, in time order, over the
same state (:mod:`handlers.threads`): a new question, a reply that answers one, the asker's
signal that an answer helped (an explicit mark, a positive reaction, thanks in words), an
introduction. It decides; the write paths (:mod:`handlers.thread_writes`) store the decisions
and the credits they earn (:mod:`handlers.antifarming`), live ones then tell people.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.config import LadderConfig
from handlers.conversations import looks_like_introduction
from handlers.signals import Thanks, signals_for
from handlers.threads import AnswerState, Known, ThreadState
from handlers.types import Event, EventKind
from models import AcceptanceSignal, QuestionStatus


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the rulebook needs to know about a member: their level and manager rights."""

    level: int
    is_manager: bool


@dataclass(frozen=True, slots=True)
class Acceptance:
    """An answer accepted: by which signal, by whom, when."""

    answer: AnswerState
    signal: AcceptanceSignal
    by: int
    at: datetime


@dataclass(slots=True)
class Decisions:
    """What a batch means, in the order it happened."""

    opened: list[tuple[ThreadState, Event]] = field(default_factory=list)
    answered: list[tuple[AnswerState, Event]] = field(default_factory=list)
    accepted: list[Acceptance] = field(default_factory=list)
    introduced: dict[int, datetime] = field(default_factory=dict)
    joined: list[int] = field(default_factory=list)


class Rulebook:
    """Reads events in time order and decides what each one is.

    ``live`` says whether the events are happening now (a new message in a help channel is a
    question) or are history (``questions`` names the keys the history reader recognised as
    questions, anywhere).
    """

    def __init__(
        self,
        config: LadderConfig,
        known: Known,
        members: Mapping[int, MemberInfo],
        *,
        live: bool,
        questions: Collection[str] = frozenset(),
    ) -> None:
        self.config, self.known, self.members = config, known, members
        self.live, self.questions = live, questions
        self.signals = signals_for(config.acceptance)
        self.thanks_window = timedelta(hours=config.acceptance.thanks_window_hours)
        self.decisions = Decisions()

    def read(self, events: list[Event], ids: Mapping[str, int]) -> Decisions:
        """Classify every event (time-ordered) and return the decisions."""
        for event in events:
            member = ids[event.actor.external_id]
            if event.kind is EventKind.MEMBER_JOINED:
                self.decisions.joined.append(member)
            elif event.kind is EventKind.REACTION:
                self._reaction(event, member)
            elif event.kind is EventKind.MESSAGE:
                self._message(event, member)
        return self.decisions

    def _message(self, event: Event, member: int) -> None:
        thread_ref = event.thread_id if event.thread_id != event.message_id else None
        thread = self.known.thread_of(thread_ref) or self.known.thread_of(event.reply_to)
        if thread is not None:
            if event.message_id:
                self.known.belongs[event.message_id] = thread
            if member == thread.asker:
                self._asker_wrote(thread, event, member)
            else:
                self._answer(thread, event, member)
        elif thread_ref is None and event.reply_to is None:
            if self._is_question(event):
                self._open(event, member)
            elif self._is_introduction(event):
                self.decisions.introduced.setdefault(member, event.at)

    def _is_question(self, event: Event) -> bool:
        if not event.text.strip():
            return False
        return event.channel_id in self.config.routing.help_channels or (
            not self.live and event.key in self.questions
        )

    def _is_introduction(self, event: Event) -> bool:
        return event.channel_id in self.config.routing.intro_channels or looks_like_introduction(event.text)

    def _open(self, event: Event, member: int) -> None:
        thread = ThreadState(
            root=event.message_id, asker=member, status=QuestionStatus.OPEN, asked_at=event.at
        )
        if event.message_id:
            self.known.threads[event.message_id] = thread
        self.decisions.opened.append((thread, event))

    def _answer(self, thread: ThreadState, event: Event, member: int) -> None:
        if thread.status == QuestionStatus.DEFLECTED:
            return
        answer = AnswerState(event.message_id or event.key, member, event.actor.external_id, event.at, thread)
        self.known.add_answer(answer)
        self.decisions.answered.append((answer, event))
        if thread.first_response_at is None:
            thread.first_response_at, thread.first_responder_id = event.at, member
            thread.answered_level = self._info(member).level
            thread.changed = True
        if thread.status == QuestionStatus.OPEN:
            thread.status, thread.changed = QuestionStatus.ANSWERED, True

    def _asker_wrote(self, thread: ThreadState, event: Event, member: int) -> None:
        reading = self.signals.read_thanks(event.text)
        if reading is Thanks.NONE:
            return
        for answer in self._thanked(thread, event, reading):
            self.accept(answer, AcceptanceSignal.THANKS, member, event.at)

    def _thanked(self, thread: ThreadState, event: Event, reading: Thanks) -> list[AnswerState]:
        """The replies a thanks credits: the one it answers, else those by members it mentions,
        else the latest (every helper's latest for "thanks all") — within the thanks window."""
        recent = [
            a
            for a in thread.answers
            if a.at <= event.at and event.at - a.at <= self.thanks_window and a.author != thread.asker
        ]
        target = self.known.answers.get(event.reply_to) if event.reply_to else None
        if target is not None and target.thread is thread:
            return [target] if target in recent else []
        named = [m for m in event.mentions if m != event.actor.external_id]
        if named:
            return _latest_by_helper([a for a in recent if a.author_external in named])
        if reading is Thanks.EVERYONE:
            return _latest_by_helper(recent)
        return recent[-1:]

    def _reaction(self, event: Event, member: int) -> None:
        signal = self.signals.of_reaction(event.text)
        answer = self.known.answers.get(event.message_id) if event.message_id else None
        if signal is not None and answer is not None:
            self.accept(answer, signal, member, event.at)

    def accept(
        self, answer: AnswerState, signal: AcceptanceSignal, by: int, at: datetime
    ) -> Acceptance | None:
        """Accept an answer if the rules allow (:meth:`refusal`); the first accepted one solves."""
        if self.refusal(answer, signal, by) is not None:
            return None
        thread = answer.thread
        answer.accepted = True
        thread.accepted_helpers.add(answer.author)
        if thread.status != QuestionStatus.SOLVED:
            thread.status, thread.solved_at, thread.changed = QuestionStatus.SOLVED, at, True
            thread.first_accepted = answer
        acceptance = Acceptance(answer, signal, by, at)
        self.decisions.accepted.append(acceptance)
        return acceptance

    def refusal(self, answer: AnswerState, signal: AcceptanceSignal, by: int) -> str | None:
        """Why an answer cannot be accepted by this signal, or None when it can: only the asker's
        signal (or a manager's explicit mark) counts, one accepted answer per helper, a few per
        question, never on a question an earlier answer settled."""
        thread = answer.thread
        number = f"#{thread.question_id}" if thread.question_id else "this question"
        if thread.status == QuestionStatus.DEFLECTED:
            return f"Question {number} was settled by an earlier answer."
        if by != thread.asker and not (signal is AcceptanceSignal.EXPLICIT and self._info(by).is_manager):
            return "Only the asker or a manager can mark an answer."
        if answer.accepted:
            return f"That answer to question {number} is already accepted."
        if answer.author in thread.accepted_helpers:
            return f"An answer by <@{answer.author_external}> to question {number} is already accepted."
        limit = self.config.acceptance.max_accepted_answers
        if len(thread.accepted_helpers) >= limit:
            return f"Question {number} already has {limit} accepted answers."
        return None

    def _info(self, member: int) -> MemberInfo:
        return self.members.get(member, MemberInfo(0, False))


def _latest_by_helper(answers: list[AnswerState]) -> list[AnswerState]:
    """Each helper's latest answer, in time order."""
    latest: dict[int, AnswerState] = {}
    for answer in answers:
        latest[answer.author] = answer
    return sorted(latest.values(), key=lambda a: a.at)
