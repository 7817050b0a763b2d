"""Questions and answers: question recognition, routing to a few helpers one tier up and
escalation, earlier-answer similarity, the one rulebook that reads every batch (live or history),
acceptance by natural signals (marks, reactions, thanks) and the anti-farming limits.
"""

from handlers.routing._answers import accept_answer, answer_notices, earlier_answer_choice, solved
from handlers.routing._batches import read_batch, store_batch
from handlers.routing._earlier import EarlierMatches, closest_solved, may_open_question, search_ahead
from handlers.routing._limits import question_limit, question_limits
from handlers.routing._prereading import activity_only
from handlers.routing._recognition import WINDOW as CONVERSATION_WINDOW
from handlers.routing._recognition import (
    Conversations,
    Spoken,
    looks_like_introduction,
    looks_like_question,
)
from handlers.routing._routing import ask, escalate_due, offer_or_route
from handlers.routing._rulebook import Decisions, MemberInfo
from handlers.routing._signals import Signals, Thanks, signals_for
from handlers.routing._similar import Terms, ranked

__all__ = [
    "CONVERSATION_WINDOW",
    "Conversations",
    "Decisions",
    "EarlierMatches",
    "MemberInfo",
    "Signals",
    "Spoken",
    "Terms",
    "Thanks",
    "accept_answer",
    "activity_only",
    "answer_notices",
    "ask",
    "closest_solved",
    "earlier_answer_choice",
    "escalate_due",
    "looks_like_introduction",
    "looks_like_question",
    "may_open_question",
    "offer_or_route",
    "question_limit",
    "question_limits",
    "ranked",
    "read_batch",
    "search_ahead",
    "signals_for",
    "solved",
    "store_batch",
]
