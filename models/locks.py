"""Budgets that must hold across replicas: a transaction-scoped lock per budget and community.

A budget is checked and then spent in one transaction (count the open calls, then open one; count
a helper's pings today, then ping). Two replicas doing that at once both see room and both spend
it. Taking the budget's lock first makes the second wait until the first commits, and then it
counts what the first spent. On PostgreSQL the lock is ``pg_advisory_xact_lock(kind, key)``,
released by the commit or rollback itself; on SQLite every write transaction already begins with
``BEGIN IMMEDIATE`` (one writer at a time), so there is nothing more to take.
"""

from enum import IntEnum

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from models.queries import is_sqlite


class Budget(IntEnum):
    """What a lock guards; the value is the advisory lock's first key (never reuse one)."""

    OPEN_CALLS = 1
    """A community's open-call budget, and its members' weekly invitation cap (spent together)."""
    HELPER_PINGS = 2
    """A community's helpers' daily ping cap (routing picks and pings helpers)."""
    QUEST_SUBMISSIONS = 3
    """One member's submissions (one waiting submission per quest)."""
    SLACK_USER_GROUPS = 4
    """A workspace's Ladder user groups: Slack only replaces a group's member list whole."""


async def hold(session: AsyncSession, budget: Budget, key: int) -> None:
    """Hold ``budget``'s lock for ``key`` (a community or member id) until the transaction ends."""
    if is_sqlite(session):
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:budget, :key)"), {"budget": int(budget), "key": key}
    )
