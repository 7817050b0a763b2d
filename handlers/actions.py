"""Button clicks: each button names an action and a value; most map onto a grammar command."""

from dataclasses import dataclass
from enum import StrEnum

from handlers import grammar
from handlers.grammar import MAX_ID_DIGITS, is_number
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


Action = grammar.Command | AcceptAnswer | EarlierAnswerChoice


def parse_action(name: str, value: str) -> Action:
    """Turn a clicked button back into a command, or refuse a stale or forged one."""
    try:
        action = ActionName(name)
    except ValueError:
        raise Refusal("That button is no longer supported.") from None
    if action is ActionName.FORGET_ME:
        return grammar.ForgetMe(confirmed=value == "confirm")
    if action in (ActionName.QUEST_APPROVE, ActionName.QUEST_REJECT):
        member, _, quest = value.partition(":")
        if not member or not quest:
            raise Refusal("That button is broken: it names no submission.")
        approve = action is ActionName.QUEST_APPROVE
        note = "" if approve else "Rejected from the review button: ask the reviewer what to change."
        return grammar.ReviewQuest(approve, MemberRef(member), quest, note)
    if not is_number(value) or len(value) > MAX_ID_DIGITS:
        raise Refusal("That button is broken: it names no record.")
    number = int(value)
    match action:
        case ActionName.CALL_JOIN:
            return grammar.JoinCall(number)
        case ActionName.CALL_LEAVE:
            return grammar.LeaveCall(number)
        case ActionName.ACCEPT_ANSWER:
            return AcceptAnswer(number)
        case ActionName.EARLIER_ANSWER_HELPED:
            return EarlierAnswerChoice(number, helped=True)
        case _:
            return EarlierAnswerChoice(number, helped=False)
