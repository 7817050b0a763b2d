"""The ladder: the contribution ledger, a member's standing, promotion (live and placement from
history), the level commands (level, why, promote/demote, roster, skills), resting helpers, and
``sources``: every source-id and event-key format, in one module.
"""

from handlers.ladder._ledger import Credit, credit, insert_active_days, touch
from handlers.ladder._levels import parse_level, rest_inactive, roster, set_level, show_level, skills, why
from handlers.ladder._placement import Placement, helper_level, place_from_history
from handlers.ladder._promotion import record_level_change
from handlers.ladder._sources import (
    accepted_source,
    ask_source,
    asked_source,
    call_led_source,
    call_source,
    given_source,
    intro_source,
    message_key,
    quest_source,
    reaction_key,
    review_source,
)
from handlers.ladder._standing import missing, only_confirmation_missing, standings

__all__ = [
    "Credit",
    "Placement",
    "accepted_source",
    "ask_source",
    "asked_source",
    "call_led_source",
    "call_source",
    "credit",
    "given_source",
    "helper_level",
    "insert_active_days",
    "intro_source",
    "message_key",
    "missing",
    "only_confirmation_missing",
    "parse_level",
    "place_from_history",
    "quest_source",
    "reaction_key",
    "record_level_change",
    "rest_inactive",
    "review_source",
    "roster",
    "set_level",
    "show_level",
    "skills",
    "standings",
    "touch",
    "why",
]
