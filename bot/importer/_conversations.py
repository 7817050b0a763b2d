"""Recognising questions and their answers in history, with or without threads.

A root message that reads like a question is a question. Its answers are the replies in its
thread; without threads, a later message by someone else is an answer when it replies to the
question (Discord's reply reference) or mentions the asker within the conversation window.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

WINDOW = timedelta(hours=2)
KEEP_QUESTIONS = 100_000
QUESTION_WORDS = frozenset({"how", "what", "why", "where", "which", "who", "anyone", "anybody"})
_NOISE = re.compile(r"```.*?```|`[^`]*`|<[^>]*>|https?://\S+", re.DOTALL)
_WORD = re.compile(r"[A-Za-z']+")


def looks_like_question(text: str) -> bool:
    """A help request: a question mark or a question word, outside code, links and mentions."""
    plain = _NOISE.sub(" ", text)
    words = _WORD.findall(plain)
    if len(words) < 3:
        return False
    return "?" in plain or words[0].lower() in QUESTION_WORDS


@dataclass(frozen=True, slots=True)
class Spoken:
    """What the recogniser needs to know about one root-level message."""

    message_id: str
    author: str
    at: datetime
    text: str
    mentions: tuple[str, ...] = ()
    reply_to: str | None = None


@dataclass(slots=True)
class _Asked:
    message_id: str
    author: str
    at: datetime


@dataclass
class Conversations:
    """Per-channel memory of recent questions, fed messages in time order."""

    window: timedelta = WINDOW
    _recent: dict[str, deque[_Asked]] = field(default_factory=dict)
    _authors: dict[str, dict[str, str]] = field(default_factory=dict)
    _questions: dict[str, _Asked] = field(default_factory=dict)

    def root(self, channel: str, message: Spoken) -> tuple[bool, str | None]:
        """Classify a root message: ``(is_question, thread_id_it_answers)``."""
        if looks_like_question(message.text):
            asked = _Asked(message.message_id, message.author, message.at)
            self._questions[message.message_id] = asked
            if len(self._questions) > KEEP_QUESTIONS:
                del self._questions[next(iter(self._questions))]
            recent = self._recent.setdefault(channel, deque(maxlen=64))
            recent.append(asked)
            self._remember(channel, message)
            return True, None
        answered = self._answers(channel, message)
        self._remember(channel, message)
        return False, answered

    def _remember(self, channel: str, message: Spoken) -> None:
        authors = self._authors.setdefault(channel, {})
        authors[message.message_id] = message.author
        if len(authors) > 512:
            del authors[next(iter(authors))]

    def _answers(self, channel: str, message: Spoken) -> str | None:
        if message.reply_to is not None:
            asked = self._questions.get(message.reply_to)
            if asked is not None and asked.author != message.author:
                return asked.message_id
            target = self._authors.get(channel, {}).get(message.reply_to)
            if target is not None and target != message.author:
                return self._latest_by(channel, target, message.at)
        for mentioned in message.mentions:
            if mentioned != message.author:
                found = self._latest_by(channel, mentioned, message.at)
                if found is not None:
                    return found
        return None

    def _latest_by(self, channel: str, author: str, at: datetime) -> str | None:
        for asked in reversed(self._recent.get(channel, ())):
            if asked.author == author and timedelta(0) <= at - asked.at <= self.window:
                return asked.message_id
        return None
