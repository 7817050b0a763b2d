"""Column types shared by every table."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current time as a tz-aware UTC datetime (the only kind Ladder stores)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always tz-aware UTC in Python, whatever the engine stores.

    SQLite keeps no time zone, so values come back naive; this type puts UTC back on them and
    refuses naive values on the way in, so a local time can never slip into the ledger.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store a tz-aware time as UTC; refuse a naive one (it could be anyone's local time)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Ladder stores tz-aware UTC timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read a stored time back as tz-aware UTC, whatever the engine kept."""
        if value is None:
            return None
        moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
