"""Calls to action: a number of the right people, invited within caps, waitlisted past the need,
credited when done, closed at their deadline.
"""

from handlers.calls._calls import (
    close,
    close_due,
    done,
    join,
    leave,
    list_calls,
    new_call,
    open_calls,
    withdraw_everywhere,
)

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
