"""Ladder's tables and queries: the only layer that knows the schema.

Importing this package registers every table on ``SQLModel.metadata``, which is what Alembic and
the tests compare against.
"""

from models.calls import Call, CallInvite, CallSignup, CallStatus, SignupStatus
from models.community import Community
from models.digests import Digest, DigestStatus
from models.events import ProcessedEvent
from models.ledger import ActiveDay, Contribution, ContributionKind, LevelChange
from models.members import Member, MemberStatus, countable
from models.questions import AcceptanceSignal, Answer, Assignment, Question, QuestionStatus
from models.quests import Quest, QuestProgress, QuestStatus
from models.types import UTCDateTime, utcnow

__all__ = [
    "AcceptanceSignal",
    "ActiveDay",
    "Answer",
    "Assignment",
    "Call",
    "CallInvite",
    "CallSignup",
    "CallStatus",
    "Community",
    "Contribution",
    "ContributionKind",
    "Digest",
    "DigestStatus",
    "LevelChange",
    "Member",
    "MemberStatus",
    "ProcessedEvent",
    "Quest",
    "QuestProgress",
    "QuestStatus",
    "Question",
    "QuestionStatus",
    "SignupStatus",
    "UTCDateTime",
    "countable",
    "utcnow",
]
