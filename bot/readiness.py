"""Waiting for the database at start: report plainly, retry with backoff, then give up clearly."""

import asyncio
import errno
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.database import create_engine, is_sqlite

log = logging.getLogger(__name__)


class DatabaseUnavailableError(Exception):
    """The database did not answer after every attempt; the message says where and why."""


def check_sqlite_file(url: str) -> None:
    """Refuse at once a SQLite file Ladder cannot create or write: waiting would not change it.

    Opening the file for appending creates it empty if missing, which SQLite takes as a new
    database; nothing else is written.
    """
    if not is_sqlite(url):
        return
    database = make_url(url).database
    if database in (None, "", ":memory:"):
        return
    path = Path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab"):
            pass
    except OSError as error:
        if error.errno in (errno.EEXIST, errno.ENOTDIR):
            reason = "a file is in the way of its folder"
        else:
            reason = error.strerror or type(error).__name__
        raise DatabaseUnavailableError(
            f"Cannot write the SQLite database {path}: {reason}. "
            "Point DATABASE_URL (or LADDER_DATA_DIR) at a folder Ladder may write."
        ) from None


async def wait_for_database(
    url: str,
    attempts: int = 8,
    *,
    first_delay: float = 1.0,
    max_delay: float = 30.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Return once ``SELECT 1`` succeeds on ``url``; retry with doubling delays, else raise.

    Each failure is logged as one plain line (no stack trace) naming the database without its
    password, the reason and the next delay. A SQLite file is local: it is checked once, and a
    file Ladder cannot write is refused at once.
    """
    check_sqlite_file(url)
    if is_sqlite(url):
        attempts = 1
    where = make_url(url).render_as_string(hide_password=True)
    delay = first_delay
    for attempt in range(1, attempts + 1):
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - every driver error means "not reachable yet"
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if attempt == attempts:
                raise DatabaseUnavailableError(
                    f"Database {where} is unreachable after {attempts} attempts: {reason}"
                ) from None
            log.warning(
                "database %s unreachable (attempt %d of %d): %s; retrying in %.0f s",
                where,
                attempt,
                attempts,
                reason,
                delay,
                extra={"kind": "database_wait"},
            )
            await sleep(delay)
            delay = min(delay * 2, max_delay)
        else:
            if attempt > 1:
                log.info("database %s reachable again", where, extra={"kind": "database_wait"})
            return
        finally:
            await engine.dispose()
