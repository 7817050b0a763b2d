"""Calls to action: a number of the right people, invited within caps, waitlisted past the need,
credited when done, closed at their deadline.
"""

from handlers.calls._board import list_calls, open_calls
from handlers.calls._closing import close, close_due, done
from handlers.calls._opening import new_call
from handlers.calls._signups import join, leave, withdraw_everywhere

__all__ = [
    "close",
    "close_due",
    "done",
    "join",
    "leave",
    "list_calls",
    "new_call",
    "open_calls",
    "withdraw_everywhere",
]
