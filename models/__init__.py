"""Ladder's tables and queries: the only layer that knows the schema.

Importing this package registers every table on ``SQLModel.metadata``, which is what Alembic and
the tests compare against.
"""

from models.calls import Call, CallInvite, CallSignup, CallStatus, SignupStatus
from models.community import Community
from models.cursors import ChannelCursor
from models.digests import Digest, DigestStatus
from models.events import OnceFlag, ProcessedEvent
from models.imports import ImportedFile
from models.inbox import InboxItem
from models.ledger import ActiveDay, Contribution, ContributionKind, LevelChange, LevelChangeKind
from models.members import TOTAL_OF_KIND, Member, MemberStatus, countable
from models.questions import AcceptanceSignal, Answer, Assignment, Question, QuestionStatus
from models.quests import Quest, QuestProgress, QuestStatus
from models.signin import ServerSecret, SignInLink
from models.types import UTCDateTime, utcnow

__all__ = [
    "TOTAL_OF_KIND",
    "AcceptanceSignal",
    "ActiveDay",
    "Answer",
    "Assignment",
    "Call",
    "CallInvite",
    "CallSignup",
    "CallStatus",
    "ChannelCursor",
    "Community",
    "Contribution",
    "ContributionKind",
    "Digest",
    "DigestStatus",
    "ImportedFile",
    "InboxItem",
    "LevelChange",
    "LevelChangeKind",
    "Member",
    "MemberStatus",
    "OnceFlag",
    "ProcessedEvent",
    "Quest",
    "QuestProgress",
    "QuestStatus",
    "Question",
    "QuestionStatus",
    "ServerSecret",
    "SignInLink",
    "SignupStatus",
    "UTCDateTime",
    "countable",
    "utcnow",
]
