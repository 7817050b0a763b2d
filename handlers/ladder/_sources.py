"""Every key format Ladder writes, in one place, so live events and imported history agree.

A platform event's key names *what* happened (this message, this reaction by this member), not
*how* it was delivered, so the same message seen live and again in an export is recorded once.
"""

from datetime import datetime

from handlers.kernel import normalise_emoji


def message_key(platform: str, channel_id: str, message_id: str) -> str:
    """A message's key: Slack's ``ts`` is unique per channel, Discord's id everywhere."""
    if platform == "slack":
        return f"slack:{channel_id}:{message_id}"
    return message_id


def reaction_key(platform: str, channel_id: str, message_id: str, member_id: str, emoji: str) -> str:
    """A member's reaction to a message: once, however often it is removed and added again."""
    return f"{message_key(platform, channel_id, message_id)}:{member_id}:{normalise_emoji(emoji)}"


# Contribution source ids: one format per kind of credit, used by every write path. A source id
# is unique per community in the ledger, so what it names is credited at most once.


def asked_source(question_id: int) -> str:
    """Asking a question: once per question."""
    return f"asked:q{question_id}"


def accepted_source(question_id: int, helper_id: int) -> str:
    """An accepted answer: once per question and helper (a question accepts several helpers)."""
    return f"accepted:q{question_id}:m{helper_id}"


def given_source(question_id: int, member_id: int) -> str:
    """Answering a question: once per question and member, however many replies they post."""
    return f"given:q{question_id}:m{member_id}"


def intro_source(member_id: int) -> str:
    """Introducing oneself: once per member."""
    return f"intro:m{member_id}"


def quest_source(quest_key: str, member_id: int) -> str:
    """Completing a quest: once per quest and member."""
    return f"quest:{quest_key}:m{member_id}"


def review_source(reviewer_id: int, member_id: int, quest_key: str) -> str:
    """Reviewing a member's quest: once per reviewer, member and quest, however often it is
    resubmitted and reviewed again."""
    return f"review:m{reviewer_id}:m{member_id}:{quest_key}"


def call_source(call_id: int, member_id: int) -> str:
    """Fulfilling a call: once per call and member."""
    return f"call:{call_id}:m{member_id}"


def call_led_source(call_id: int) -> str:
    """Leading a call to fulfilment: once per call."""
    return f"call-led:{call_id}"


def ask_source(member_id: int, at: datetime) -> str:
    """A ``/ladder ask`` question (it has no platform message of its own yet)."""
    return f"ask:{member_id}:{at.isoformat()}"
