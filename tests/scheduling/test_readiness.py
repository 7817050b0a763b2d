"""The database unreachable at start: plain messages, growing delays, then a clear failure."""

import logging
from pathlib import Path

import pytest
from db import fresh_database_url

from bot.readiness import DatabaseUnavailableError, wait_for_database

UNREACHABLE = "postgresql+psycopg://ladder:secret@127.0.0.1:9/ladder"


async def test_unreachable_database_is_retried_with_backoff_then_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each failure: one warning line, no password; the delays double, then it gives up."""
    delays: list[float] = []

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    with caplog.at_level(logging.WARNING), pytest.raises(DatabaseUnavailableError) as raised:
        await wait_for_database(UNREACHABLE, attempts=4, first_delay=1, max_delay=3, sleep=no_wait)

    assert delays == [1, 2, 3]
    where = "postgresql+psycopg://ladder:***@127.0.0.1:9/ladder"
    assert str(raised.value).startswith(f"Database {where} is unreachable after 4 attempts:")
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.readiness"]
    assert len(warnings) == 3
    assert warnings[0].startswith("database postgresql+psycopg://ladder:***@127.0.0.1:9/ladder")
    assert "(attempt 1 of 4)" in warnings[0]
    assert all("secret" not in line and "Traceback" not in line for line in warnings)


async def test_reachable_database_returns_at_once(tmp_path: Path) -> None:
    """A database that answers costs one probe and no wait."""

    async def must_not_wait(_seconds: float) -> None:
        raise AssertionError("waited for a reachable database")

    await wait_for_database(fresh_database_url(tmp_path), attempts=1, sleep=must_not_wait)
