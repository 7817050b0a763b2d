"""Quests: one's path to the next level, submitted with evidence, reviewed by a higher level or a
manager (automatic quests complete in the ladder's ledger).
"""

from handlers.quests._quests import list_quests, review, submit

__all__ = ["list_quests", "review", "submit"]
