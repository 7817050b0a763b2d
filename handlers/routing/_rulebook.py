"""The one rulebook: what a batch of events means for questions, answers and acceptance.

Live events and imported history are read by the same :class:`Rulebook`, in time order, over the
same state (``_threads``): a new question, a reply that answers one, the asker's
signal that an answer helped (an explicit mark, a positive reaction, thanks in words), an
introduction. It decides; the write paths (``_thread_writes``) store the decisions
and the credits they earn (``_antifarming``), live ones then tell people.
"""

from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import dropwhile

from handlers.kernel import Event, EventKind, LadderConfig, is_blank
from handlers.routing._recognition import WINDOW, looks_like_introduction, looks_like_question
from handlers.routing._signals import Thanks, signals_for
from handlers.routing._threads import AnswerState, Known, ThreadState
from models import AcceptanceSignal, QuestionStatus

ROOTS_PER_CHANNEL = 200
ANSWER_MIN_WORDS = 4
SAME_BREATH = timedelta(minutes=2)
"""How close one message of an author is to their next for a short one ("hope that helps") to
stand for the answer they gave just before it."""


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the rulebook needs to know about a member: their level and manager rights."""

    level: int
    is_manager: bool


NOBODY = MemberInfo(0, False)


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
        # Channels seen keeping conversations in threads: a reply by someone else, in a thread,
        # addressed to nobody (a history reader links threadless replies only when addressed);
        # unless replies in the channel itself are seen too (Discord's reply, beside its threads).
        self.threaded_channels: set[str] = set()
        self.reply_chain_channels: set[str] = set()
        self.help_channels = frozenset(config.routing.help_channels)
        self.intro_channels = frozenset(config.routing.intro_channels)
        self._roots: dict[str, deque[tuple[Event, int]]] = {}
        # Every message's (key, author, time) per channel: who spoke between two messages.
        self._said: dict[str, deque[tuple[str, str, datetime]]] = {}

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
        said = self._said.setdefault(event.channel_id or "", deque(maxlen=ROOTS_PER_CHANNEL))
        said.append((event.message_id or event.key, event.actor.external_id, event.at))
        if event.reply_to:
            self.reply_chain_channels.add(event.channel_id or "")
        thread_ref = event.thread_id if event.thread_id != event.message_id else None
        if thread_ref is None and event.reply_to is None:
            self._root(event, member)
            return
        thread = self.known.thread_of(thread_ref) or self.known.thread_of(event.reply_to)
        if thread is None:
            return
        self._in_thread(thread, event, member)
        if thread_ref is not None and member != thread.asker and not event.reply_to and not event.mentions:
            self.threaded_channels.add(event.channel_id or "")

    def _root(self, event: Event, member: int) -> None:
        """A message replying to nothing: a question, the asker's thanks in a help channel
        without threads (in history: in any channel, as questions are found anywhere), an
        introduction, or chat (remembered, for a thanks or a reaction to find)."""
        channel = event.channel_id or ""
        in_help = channel in self.help_channels
        if (in_help or not self.live) and (thread := self._asker_thanking(event, member)) is not None:
            self._in_thread(thread, event, member)
        elif (in_help and not is_blank(event.text)) or (not self.live and event.key in self.questions):
            self._open(event, member)
        else:
            self._roots.setdefault(channel, deque(maxlen=ROOTS_PER_CHANNEL)).append((event, member))
            if channel in self.intro_channels or looks_like_introduction(event.text):
                self.decisions.introduced.setdefault(member, event.at)

    def _in_thread(self, thread: ThreadState, event: Event, member: int) -> None:
        if event.message_id:
            self.known.belongs[event.message_id] = thread
        if member == thread.asker:
            self._asker_wrote(thread, event, member)
        else:
            self._answer(thread, event, member)

    def _asker_thanking(self, event: Event, member: int) -> ThreadState | None:
        """A channel without threads: the asker's "thanks!" there is no new question but a
        follow-up to their latest question in it (within the thanks window)."""
        thread = self.known.asked_by.get((member, event.channel_id or ""))
        if thread is None or not timedelta(0) <= event.at - thread.asked_at <= self.thanks_window:
            return None
        if looks_like_question(event.text) or self.signals.read_thanks(event.text) is Thanks.NONE:
            return None
        return thread

    def _open(self, event: Event, member: int) -> None:
        thread = ThreadState(
            root=event.message_id, asker=member, status=QuestionStatus.OPEN, asked_at=event.at, new=True
        )
        if event.message_id:
            self.known.threads[event.message_id] = thread
        if event.channel_id:
            self.known.asked_by[(member, event.channel_id)] = thread
        self.decisions.opened.append((thread, event))

    def _answer(self, thread: ThreadState, event: Event, member: int) -> AnswerState | None:
        if thread.status == QuestionStatus.DEFLECTED:
            return None
        answer = AnswerState(event.message_id or event.key, member, event.actor.external_id, event.at, thread)
        self.known.add_answer(answer)
        self.decisions.answered.append((answer, event))
        if thread.first_response_at is None or event.at < thread.first_response_at:
            thread.first_response_at, thread.first_responder_id = event.at, member
            thread.answered_level = self._info(member).level
            thread.changed = True
        if thread.status == QuestionStatus.OPEN:
            thread.status, thread.changed = QuestionStatus.ANSWERED, True
        return answer

    def _asker_wrote(self, thread: ThreadState, event: Event, member: int) -> None:
        reading = self.signals.read_thanks(event.text)
        if reading is Thanks.NONE:
            return
        for answer in self._thanked(thread, event, reading):
            self.accept(answer, AcceptanceSignal.THANKS, member, event.at)

    def _thanked(self, thread: ThreadState, event: Event, reading: Thanks) -> list[AnswerState]:
        """The replies a thanks credits: the one it answers, else those by members it mentions,
        else the latest (every helper's latest for "thanks all") — within the thanks window.

        Without threads, the replies are also looked for among the channel's messages since the
        question that no conversation claimed (a reader links only addressed or early replies):
        the asker's thanks shows which of them was the answer. The latest of them counts whatever
        its length; too short to be an answer, it stands for its author's answer just before it
        (:meth:`_standing_for`), else the thanks credits nothing.
        """
        window = self.thanks_window
        recent = [
            _Candidate(a.message_id, a.author_external, a.at, answer=a)
            for a in thread.answers
            if a.at <= event.at and event.at - a.at <= window and a.author != thread.asker
        ]
        if not self._keeps_threads(event.channel_id):
            recent = sorted(recent + self._unanswered_in_channel(thread, event), key=lambda c: c.at)
        target = self.known.answers.get(event.reply_to) if event.reply_to else None
        if target is not None and target.thread is thread:
            recent = [c for c in recent if c.answer is target]
        elif event.reply_to and any(c.message_id == event.reply_to for c in recent):
            recent = [c for c in recent if c.message_id == event.reply_to]
        named = [m for m in event.mentions if m != event.actor.external_id]
        if named:
            chosen = _latest_by_author([c for c in recent if c.author in named and c.creditable])
        elif reading is Thanks.EVERYONE:
            chosen = _latest_by_author([c for c in recent if c.creditable])
        else:
            chosen = self._standing_for(recent, event.channel_id or "")
        answers: list[AnswerState] = []
        for candidate in chosen:
            if candidate.answer is not None:
                answers.append(candidate.answer)
            elif candidate.root is not None and (
                made := self._answer(thread, candidate.root, candidate.member)
            ):
                answers.append(made)
        return answers

    def _unanswered_in_channel(self, thread: ThreadState, event: Event) -> list["_Candidate"]:
        """The channel's root messages by others since the question that address nobody else
        (:meth:`_may_reply`): short ones too, as a thanks after one of them answers that one."""
        return [
            _Candidate(root.message_id or root.key, root.actor.external_id, root.at, root=root, member=member)
            for root, member in self._roots.get(event.channel_id or "", ())
            if self._may_reply(thread, root, member, event)
        ]

    def _standing_for(self, replies: list["_Candidate"], channel: str) -> list["_Candidate"]:
        """The reply a plain thanks credits: the latest one, or, when it is too short to be an
        answer ("merged", "hope that helps"), the answer its author gave just before it (nobody
        else in between, each message within :data:`SAME_BREATH` of the next); else none.

        The latest reply counts whatever its length: reaching back past a short one to an older,
        longer message credits whatever was said last before it, not what the asker thanked.
        A bystander's remark is skipped, though: a short one ("same here") by someone with no
        reply that :attr:`_Candidate.takes_part` in the asker's conversation is not what they thank.
        """
        taking_part = {c.author for c in replies if c.takes_part}
        replies = [c for c in replies if c.author in taking_part]
        if not replies or replies[-1].creditable:
            return replies[-1:]
        latest = replies[-1]
        answers = {c.message_id: c for c in replies if c.author == latest.author and c.creditable}
        following = latest.at
        earlier = dropwhile(lambda said: said[0] != latest.message_id, reversed(self._said.get(channel, ())))
        next(earlier, None)  # the latest reply itself
        for key, author, at in earlier:
            if author != latest.author or following - at > SAME_BREATH:
                break
            if key in answers:
                return [answers[key]]
            following = at
        return []

    def _may_answer(self, thread: ThreadState, root: Event, member: int, signal: Event) -> bool:
        """Whether a channel message by ``member`` may be the answer the asker's ``signal``
        (thanks or reaction) shows: a possible reply (:meth:`_may_reply`) that says something."""
        return self._may_reply(thread, root, member, signal) and _says_something(root)

    def _may_reply(self, thread: ThreadState, root: Event, member: int, signal: Event) -> bool:
        """Whether a channel message by ``member`` may be a reply to the question the asker's
        ``signal`` follows: after the question and before the signal, each within the thanks
        window, not an answer yet, addressed to nobody but the asker."""
        return (
            member != thread.asker
            and thread.asked_at < root.at <= signal.at
            and root.at - thread.asked_at <= self.thanks_window
            and signal.at - root.at <= self.thanks_window
            and (root.message_id or root.key) not in self.known.answers
            and not any(m != signal.actor.external_id for m in root.mentions)
        )

    def _reaction(self, event: Event, member: int) -> None:
        signal = self.signals.of_reaction(event.text)
        if signal is None or not event.message_id:
            return
        answer = self.known.answers.get(event.message_id)
        if answer is None and not self.live:
            answer = self._answer_shown_by_reaction(event, member)
        if answer is not None:
            self.accept(answer, signal, member, event.at)

    def _answer_shown_by_reaction(self, event: Event, member: int) -> AnswerState | None:
        """History without threads: the asker's positive reaction on a channel message that may
        answer their latest question there (:meth:`_may_answer`) shows it did, as thanks would.

        A reaction says less than words (chatty members 👍 everything), so it counts only on a
        message within the question's conversation window (:data:`handlers.conversations.WINDOW`).
        """
        channel = event.channel_id or ""
        thread = self.known.asked_by.get((member, channel))
        if thread is None or self._keeps_threads(channel):
            return None
        for root, author in reversed(self._roots.get(channel, ())):
            if (root.message_id or root.key) != event.message_id:
                continue
            if root.at - thread.asked_at > WINDOW or not self._may_answer(thread, root, author, event):
                return None
            return self._answer(thread, root, author)
        return None

    def _keeps_threads(self, channel: str | None) -> bool:
        """Whether a channel keeps its conversations in threads, so its other messages are other
        conversations (no reply of a question is looked for among them)."""
        return channel in self.threaded_channels and channel not in self.reply_chain_channels

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
        return self.members.get(member, NOBODY)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A reply a thanks may credit: an answer already, or a channel message that becomes one."""

    message_id: str
    author: str
    at: datetime
    answer: AnswerState | None = None
    root: Event | None = None
    member: int = 0

    @property
    def creditable(self) -> bool:
        """An answer already, or a channel message that says enough to be one."""
        return self.root is None or _says_something(self.root)

    @property
    def takes_part(self) -> bool:
        """Whether it shows its author in the asker's conversation: creditable, or addressed to
        the asker (a channel message that is a candidate addresses nobody else)."""
        return self.creditable or (self.root is not None and bool(self.root.mentions))


def _says_something(message: Event) -> bool:
    """Whether a channel message is long enough (:data:`ANSWER_MIN_WORDS`) to be an answer."""
    return len(message.text.split()) >= ANSWER_MIN_WORDS


def _latest_by_author(candidates: list[_Candidate]) -> list[_Candidate]:
    """Each author's latest reply, in time order."""
    latest: dict[str, _Candidate] = {}
    for candidate in candidates:
        latest[candidate.author] = candidate
    return sorted(latest.values(), key=lambda c: c.at)
