"""Questions, the helpers pinged for them, and the answers they received."""

import json
from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Integer, String, UniqueConstraint, column, select, text, values
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from models.queries import chunks, is_sqlite, sqlite_stamp
from models.types import UTCDateTime, utcnow

TEXT_LIMIT = 4000
"""The longest member text stored (a question, its terms, an answer); longer text is clipped."""


class QuestionStatus(StrEnum):
    """``open`` until someone else replies, ``answered`` then, ``solved`` once an answer is
    accepted (a mark, the asker's positive reaction or thanks).

    ``deflected`` means the asker took an earlier answer that Ladder found: nobody was pinged.
    """

    OPEN = "open"
    ANSWERED = "answered"
    SOLVED = "solved"
    DEFLECTED = "deflected"


class Question(SQLModel, table=True):
    """A help request and its routing history."""

    __table_args__ = (
        UniqueConstraint("community_id", "source_id"),
        Index("ix_question_community_status_asked", "community_id", "status", "asked_at"),
        Index("ix_question_due", "next_escalation_at"),
        Index("ix_question_community_asked", "community_id", "asked_at"),
        Index("ix_question_community_thread", "community_id", "thread_id"),
        # A member's open questions and their questions of the last 24 hours (the question
        # limits, checked on every help-channel message) without walking all they ever asked.
        Index("ix_question_asker_status", "asker_id", "status"),
        Index("ix_question_asker_asked", "asker_id", "asked_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    asker_id: int = Field(foreign_key="member.id", index=True)
    asker_level: int = 0
    text: str = Field(max_length=TEXT_LIMIT)
    terms: str = Field(default="", max_length=TEXT_LIMIT)
    source_id: str = Field(max_length=200)
    channel_id: str | None = Field(default=None, max_length=64)
    thread_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default=QuestionStatus.OPEN, max_length=16)
    tier_index: int = Field(default=0, description="-1 while the asker weighs an earlier answer")
    escalations: int = 0
    exhausted: bool = False
    asked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    next_escalation_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    first_response_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    first_responder_id: int | None = Field(default=None, foreign_key="member.id")
    answered_level: int | None = None
    solved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    accepted_answer_id: int | None = None


class Assignment(SQLModel, table=True):
    """A helper pinged for a question (its count per day is capped)."""

    __table_args__ = (
        UniqueConstraint("question_id", "helper_id"),
        Index("ix_assignment_helper_time", "helper_id", "assigned_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    helper_id: int = Field(foreign_key="member.id")
    tier_index: int
    assigned_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    open: bool = True


class AcceptanceSignal(StrEnum):
    """How an asker (or a manager) said an answer helped."""

    EXPLICIT = "explicit"
    REACTION = "reaction"
    THANKS = "thanks"


class Answer(SQLModel, table=True):
    """A reply to a question by someone other than the asker; ``accepted_at`` and
    ``accepted_signal`` say when and how it was accepted (a question has up to a few)."""

    __table_args__ = (
        UniqueConstraint("question_id", "source_id"),
        Index("ix_answer_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    text: str = Field(max_length=TEXT_LIMIT)
    source_id: str = Field(max_length=200, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    accepted_signal: str | None = Field(default=None, max_length=16)


async def latest_questions(
    session: AsyncSession, community_id: int, pairs: Collection[tuple[int, str]], since: datetime
) -> list[int]:
    """Ids of each (asker, channel)'s latest question asked since ``since``.

    One index seek per pair on (asker, time), newest first, so only the latest question of each
    pair is read however many its asker asked. On SQLite the pairs travel as one JSON array
    (SQLite cannot name a ``VALUES`` list's columns); elsewhere as a ``VALUES`` list per chunk.
    """
    found: list[int] = []
    for chunk in chunks(sorted(pairs)):
        if is_sqlite(session):
            rows = await session.execute(
                text(
                    "SELECT (SELECT q.id FROM question AS q WHERE q.community_id = :community "
                    "AND q.asker_id = w.value ->> 0 AND q.channel_id = w.value ->> 1 "
                    "AND q.asked_at >= :since ORDER BY q.asked_at DESC, q.id DESC LIMIT 1) "
                    "FROM json_each(:pairs) AS w"
                ),
                {"community": community_id, "since": sqlite_stamp(since), "pairs": json.dumps(chunk)},
            )
        else:
            wanted = values(column("asker", Integer), column("channel", String), name="wanted").data(
                list(chunk)
            )
            asked = Question.__table__  # type: ignore[attr-defined]
            latest = (
                select(asked.c.id)
                .where(
                    asked.c.community_id == community_id,
                    asked.c.asker_id == wanted.c.asker,
                    asked.c.channel_id == wanted.c.channel,
                    asked.c.asked_at >= since,
                )
                .order_by(asked.c.asked_at.desc(), asked.c.id.desc())
                .limit(1)
                .correlate(wanted)
                .scalar_subquery()
            )
            rows = await session.execute(select(latest).select_from(wanted))
        found.extend(question_id for (question_id,) in rows.all() if question_id is not None)
    return found
