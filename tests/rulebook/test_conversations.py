"""Recognising questions and their conversations in history, threads or no threads."""

from datetime import UTC, datetime, timedelta

import pytest

from handlers.routing import Conversations, Spoken, looks_like_introduction, looks_like_question

T0 = datetime(2016, 3, 1, 18, 0, tzinfo=UTC)


def said(number: int, author: str, text: str, minutes: float = 0, **extra: object) -> Spoken:
    """A root message ``m<number>`` by ``author``, ``minutes`` after T0."""
    return Spoken(f"m{number}", author, T0 + timedelta(minutes=minutes), text, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "How do I deploy the docs?",
        "anyone know a good d3 tutorial",
        "Is there a way to export the chart as SVG",
        "I'm getting an error when I run make test",
        "Stuck on the pandas merge step, help",
        "Does the API support pagination",
        "Not sure how to read the export, the dates look off",
        "My build keeps failing on the docs step since Monday",
    ],
)
def test_help_requests_are_questions(text: str) -> None:
    """A question mark, a question word first, or words of someone stuck, in three words or more."""
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    ["ok?", "Great meetup tonight!", "the `--how?` flag is documented", "<https://example.org/how?x=1>"],
)
def test_chat_is_not_a_question(text: str) -> None:
    """Short words, chat, and question marks inside code or links are not questions."""
    assert not looks_like_question(text)


def test_introductions_are_recognised_by_their_words() -> None:
    """A greeting and "I'm new" / "my name is" / "I work at" reads as an introduction."""
    assert looks_like_introduction("Hi everyone! I'm Karl, I work at a hospital and love maps.")
    assert looks_like_introduction("Hello all, just joined from the meetup")
    assert not looks_like_introduction("Hi, the meetup moved to Thursday")
    assert not looks_like_introduction("My name is on the list")


def test_threadless_conversation_links_the_askers_follow_ups_not_guesses() -> None:
    """No threads: the asker's "thanks @bob!" soon after asking is a follow-up in the question's
    conversation; an unaddressed message by someone else is left for the asker's thanks to place
    (the rulebook does); a message mentioning the asker answers them."""
    talk = Conversations()
    assert talk.root("C1", said(1, "ann", "How do I run the tests offline?")) == (True, None)
    assert talk.root("C1", said(2, "bob", "Use the fakes: pytest -q from the root", 2)) == (False, None)
    assert talk.root("C1", said(3, "cat", "<@ann> or tox -e py311", 3, mentions=("ann",))) == (False, "m1")
    assert talk.root("C1", said(4, "ann", "thanks <@bob>!", 9, mentions=("bob",))) == (False, "m1")
    assert talk.root("C1", said(5, "ann", "ok, works", 30)) == (False, "m1")
    assert talk.root("C1", said(6, "dan", "Anybody up for lunch later today", 200)) == (True, None)


def test_the_askers_follow_up_question_is_not_a_new_question() -> None:
    """Without threads the asker's "which file do you mean?" or "thanks, but it still doesn't
    work" soon after asking belongs to their question's conversation: counted as a second
    question, it would let the same helper be accepted twice for one conversation."""
    talk = Conversations()
    talk.root("C1", said(1, "ann", "How do I run the tests offline?"))
    talk.root("C1", said(2, "bob", "<@ann> set the offline flag in the config", 5, mentions=("ann",)))
    assert talk.root("C1", said(3, "ann", "which config file do you mean exactly?", 8)) == (False, "m1")
    assert talk.root("C1", said(4, "ann", "thanks, but it still doesn't work", 20)) == (False, "m1")
    assert talk.root("C1", said(5, "ann", "Where do I report a bug in the docs?", 150)) == (True, None)


def test_a_message_starting_its_own_thread_is_its_own_conversation() -> None:
    """Where the export shows threads, the asker's next question with its own thread is a new
    question, however soon after the first."""
    talk = Conversations()
    talk.root("C1", said(1, "ann", "How do I rebase my branch?", starts_thread=True))
    assert talk.root("C1", said(2, "ann", "How do I squash commits?", 60, starts_thread=True)) == (True, None)


def test_the_askers_follow_ups_end_with_the_window() -> None:
    """Hours after the question, the asker's message is just chat again."""
    talk = Conversations()
    talk.root("C1", said(1, "ann", "How do I run the tests offline?"))
    assert talk.root("C1", said(2, "ann", "thanks everyone, great meetup", 150)) == (False, None)


def test_replies_follow_the_chain_to_the_question() -> None:
    """A reply to an answer belongs to the answer's question, however far down the chain."""
    talk = Conversations()
    talk.root("C1", said(1, "ann", "Which Python version is supported?"))
    talk.root("C1", said(2, "bob", "3.11 and newer.", 1, reply_to="m1"))
    talk.root("C1", said(3, "ann", "even on Windows", 2, reply_to="m2"))
    assert talk.root("C1", said(4, "bob", "yes, Windows too", 3, reply_to="m3")) == (False, "m1")


def test_a_message_addressed_elsewhere_is_not_guessed_into_a_conversation() -> None:
    """A message mentioning someone who asked nothing is addressed to them, not an answer."""
    talk = Conversations()
    talk.root("C1", said(1, "ann", "How do I run the tests offline?"))
    assert talk.root(
        "C1", said(2, "bob", "<@dan> did you book the room for tonight", 1, mentions=("dan",))
    ) == (
        False,
        None,
    )


def test_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """However long the export, the recogniser remembers a bounded number of messages."""
    monkeypatch.setattr("handlers.routing._recognition.KEEP", 50)
    talk = Conversations()
    for number in range(500):
        talk.root(f"C{number % 7}", said(number, f"u{number % 13}", f"How do I do thing {number}?", number))
    assert max(len(talk._questions), len(talk._authors), len(talk._belongs)) <= 50
