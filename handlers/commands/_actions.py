"""Button clicks: each button names an action and a value; most map onto a ``/ladder`` command."""

from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from handlers.commands._model import Command, ForgetMe, JoinCall, LeaveCall, ReviewQuest
from handlers.commands._parse import MAX_ID_DIGITS, is_number
from handlers.kernel import MemberRef, Refusal


class ActionName(StrEnum):
    """The buttons Ladder renders. Adapters pass the name and value back on click."""

    CALL_JOIN = "call_join"
    CALL_LEAVE = "call_leave"
    QUEST_APPROVE = "quest_approve"
    QUEST_REJECT = "quest_reject"
    ACCEPT_ANSWER = "accept_answer"
    EARLIER_ANSWER_HELPED = "earlier_answer_helped"
    ASK_HELPERS = "ask_helpers"
    FORGET_ME = "forget_me"


@dataclass(frozen=True, slots=True)
class AcceptAnswer:
    """'This answered it' on a reply: solves the question with that answer."""

    answer_id: int


@dataclass(frozen=True, slots=True)
class EarlierAnswerChoice:
    """The asker's answer to 'Does this earlier answer help?'."""

    question_id: int
    helped: bool


Action = Command | AcceptAnswer | EarlierAnswerChoice


def parse_action(name: str, value: str) -> Action:
    """Turn a clicked button back into a command, or refuse a stale or forged one."""
    try:
        action = ActionName(name)
    except ValueError:
        raise Refusal("That button is no longer supported.") from None
    match action:
        case ActionName.FORGET_ME:
            return ForgetMe(confirmed=value == "confirm")
        case ActionName.QUEST_APPROVE | ActionName.QUEST_REJECT:
            return _review(value, approve=action is ActionName.QUEST_APPROVE)
        case ActionName.CALL_JOIN:
            return JoinCall(_record_id(value))
        case ActionName.CALL_LEAVE:
            return LeaveCall(_record_id(value))
        case ActionName.ACCEPT_ANSWER:
            return AcceptAnswer(_record_id(value))
        case ActionName.EARLIER_ANSWER_HELPED:
            return EarlierAnswerChoice(_record_id(value), helped=True)
        case ActionName.ASK_HELPERS:
            return EarlierAnswerChoice(_record_id(value), helped=False)
        case _:
            assert_never(action)


def _review(value: str, *, approve: bool) -> ReviewQuest:
    """A review button names ``<member>:<quest>``."""
    member, _, quest = value.partition(":")
    if not member or not quest:
        raise Refusal("That button is broken: it names no submission.")
    note = "" if approve else "Rejected from the review button: ask the reviewer what to change."
    return ReviewQuest(approve, MemberRef(member), quest, note)


def _record_id(value: str) -> int:
    """The record a button names (a call, an answer, a question)."""
    if not is_number(value) or len(value) > MAX_ID_DIGITS:
        raise Refusal("That button is broken: it names no record.")
    return int(value)
