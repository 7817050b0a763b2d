"""Privacy: ``forget-me`` erases a member's personal data, ``export-me`` hands all of it over.

Its own capability because it reaches every other one's records (questions, answers, quests,
calls), so it sits above them rather than inside any.
"""

from handlers.privacy._privacy import NOTHING_HELD, export_me, forget_me, holds_anything

__all__ = ["NOTHING_HELD", "export_me", "forget_me", "holds_anything"]
