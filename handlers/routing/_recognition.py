"""Recognising questions, answers and follow-ups in history, with or without threads.

History readers feed every root-level message (not a thread reply) of a channel here, in time
order, and learn whether it is a question and, if not, which question's thread it belongs to.

- A root message that reads like a help request is a question (anywhere: an export rarely says
  which channels were for help).
- Without threads (older Slack exports, plain Discord channels) a message belongs to a question's
  conversation when it replies to the question or to a message of that conversation (Discord's
  reply, followed along the chain), or mentions the asker, within :data:`WINDOW` of the question;
  or when the asker writes again soon after their question (a follow-up such as "thanks!" or
  "which file do you mean?"). An
  unaddressed message by someone else is not guessed into a conversation here: when the asker's
  thanks shows it was the answer, the rulebook finds it (:mod:`handlers.rulebook`).

Messages are classified by hand-written rules (why: they must be explainable to a manager reading
the import summary, and no model can be downloaded here). The memory is bounded, so an export of
any size is read in constant space.
"""

import re
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

WINDOW = timedelta(hours=2)
KEEP = 100_000
V = TypeVar("V")
RECENT_PER_CHANNEL = 64
QUESTION_WORDS = frozenset(
    {"how", "what", "why", "where", "which", "who", "anyone", "anybody", "does", "is", "can", "could"}
)
HELP_CUES = re.compile(
    r"\b(?:(?:having|have|had|got|getting|get|hit|hitting|seeing|see|run into|ran into|running into)\s+"
    r"(?:an?\s+|this\s+|the\s+|some\s+|weird\s+|strange\s+)?(?:issue|problem|error|trouble|exception)"
    r"|stuck|trying to|any ideas?|is there a way|wondering|help me|need help|can't get|cannot get|"
    r"doesn't work|doesn't seem to|not working|how to|not sure how|unable to|struggling|keeps failing|"
    r"anyone know|does anyone|has anyone|can someone|can anyone|could someone)\b"
)
_NOISE = re.compile(r"```.*?```|`[^`]*`|<[^>]*>|https?://\S+", re.DOTALL)
_WORD = re.compile(r"[A-Za-z']+")
_GREETING = re.compile(
    r"\W*(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening))\b", re.IGNORECASE
)
_INTRO_CUES = re.compile(
    r"\b(?:my name is|my name's|i'm new|i am new|new here|new to this|just joined|to join|nice to meet|"
    r"glad to be here|happy to be here|excited to be here|i work (?:as|at|on|in|for)|i'm a|i am a)\b"
)


def looks_like_question(text: str) -> bool:
    """A help request: a question mark, a question word first, or words like "error", "stuck",
    "trying to" — outside code, links and mentions, in at least three words."""
    plain = _NOISE.sub(" ", text)
    words = _WORD.findall(plain)
    if len(words) < 3:
        return False
    return "?" in plain or words[0].lower() in QUESTION_WORDS or bool(HELP_CUES.search(plain.lower()))


def looks_like_introduction(text: str) -> bool:
    """A member introducing themself: a greeting first, then "I'm new", "my name is", "I work at"…."""
    if not _GREETING.match(text, 0, 40):
        return False
    plain = _NOISE.sub(" ", text).replace("’", "'").lower()
    return bool(_INTRO_CUES.search(plain))


@dataclass(frozen=True, slots=True)
class Spoken:
    """What the recogniser needs to know about one root-level message."""

    message_id: str
    author: str
    at: datetime
    text: str
    mentions: tuple[str, ...] = ()
    reply_to: str | None = None
    starts_thread: bool = False


@dataclass(frozen=True, slots=True)
class _Asked:
    """A question: its message, who asked, when."""

    message_id: str
    author: str
    at: datetime


@dataclass
class Conversations:
    """Per-channel memory of recent questions and of which message belongs to which question."""

    window: timedelta = WINDOW
    _recent: dict[str, deque[_Asked]] = field(default_factory=dict)
    _questions: OrderedDict[str, _Asked] = field(default_factory=OrderedDict)
    _belongs: OrderedDict[str, str] = field(default_factory=OrderedDict)
    _authors: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def root(self, channel: str, message: Spoken) -> tuple[bool, str | None]:
        """Classify a root message: ``(is_question, thread_id_it_belongs_to)``.

        The asker's own message soon after their question is a follow-up even when it reads
        like a question ("which file do you mean?"): askers clarify more often than they ask
        something new within minutes. A message that starts its own thread is its own
        conversation.
        """
        asked = self._addressed(channel, message)
        if asked is None and not _addresses_anyone(message) and not message.starts_thread:
            asked = self._latest_by(channel, message.author, message.at)
        if asked is None and looks_like_question(message.text):
            self._ask(channel, message)
            return True, None
        self._remember(message, asked)
        return False, asked.message_id if asked is not None else None

    def _ask(self, channel: str, message: Spoken) -> None:
        asked = _Asked(message.message_id, message.author, message.at)
        _bounded_put(self._questions, message.message_id, asked)
        self._recent.setdefault(channel, deque(maxlen=RECENT_PER_CHANNEL)).append(asked)
        self._remember(message, asked)

    def _remember(self, message: Spoken, asked: _Asked | None) -> None:
        _bounded_put(self._authors, message.message_id, message.author)
        if asked is not None:
            _bounded_put(self._belongs, message.message_id, asked.message_id)

    def _addressed(self, channel: str, message: Spoken) -> _Asked | None:
        """The conversation a message explicitly joins: by replying, or by mentioning someone."""
        if message.reply_to is not None:
            target = self._belongs.get(message.reply_to)
            asked = self._questions.get(target) if target is not None else None
            if asked is not None and self._fresh(asked, message.at):
                return asked
            author = self._authors.get(message.reply_to)
            if author is not None and author != message.author:
                return self._latest_by(channel, author, message.at)
        named = [m for m in message.mentions if m != message.author]
        for mentioned in named:
            asked = self._latest_by(channel, mentioned, message.at)
            if asked is not None:
                return asked
        return self._latest_by(channel, message.author, message.at) if named else None

    def _fresh(self, asked: _Asked, at: datetime) -> bool:
        return timedelta(0) <= at - asked.at <= self.window

    def _latest_by(self, channel: str, author: str, at: datetime) -> _Asked | None:
        for asked in reversed(self._recent.get(channel, ())):
            if asked.author == author and self._fresh(asked, at):
                return asked
        return None


def _addresses_anyone(message: Spoken) -> bool:
    """A reply or a mention the recogniser could not place is addressed elsewhere: no guessing."""
    return message.reply_to is not None or any(m != message.author for m in message.mentions)


def _bounded_put(memory: OrderedDict[str, V], key: str, value: V) -> None:
    """Remember ``key`` and forget the oldest entry once the memory holds :data:`KEEP` of them."""
    memory[key] = value
    if len(memory) > KEEP:
        memory.popitem(last=False)
