"""Migration 0011 moves import markers and one-off flags out of ``processedevent``, meaning kept."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from db import fresh_database_url

from bot.database import alembic_config, create_engine, session_factory, sync_url, upgrade
from bot.importer._replay import Replay
from bot.importer._source import marker
from handlers.kernel import LadderConfig, SystemClock, record_once, record_receipt

DAY = b'[{"type": "message", "user": "U1", "text": "hi", "ts": "1.0"}]'
DAY_MARKER = marker("slack", "general/2026-01-05.json", DAY)
LIVE = ("slack:C1:1.0", "event:Ev1", "command:T9")
FLAGS = ("warned:level-roles", "warned:digest-channel", "ready:m1:l2")
MARKERS = (
    f"import:slack:{DAY_MARKER.digest}:general/2026-01-05.json",
    "import:discord:00aa:Guild - general [1]:part 2.json",
)
COMMUNITY = (
    "INSERT INTO community (id, platform, external_id, name, timezone, created_at) "
    "VALUES (1, 'slack', 'T1', 'old', 'UTC', '2026-01-01 00:00:00.000000')"
)
KEY = "INSERT INTO processedevent (community_id, event_key) VALUES (1, :key)"


def _fill(connection: sa.Connection) -> None:
    """A 0010 database's community with its live keys, flags and import markers."""
    connection.execute(sa.text(COMMUNITY))
    connection.execute(sa.text(KEY), [{"key": key} for key in (*LIVE, *FLAGS, *MARKERS)])


async def _after(url: str) -> tuple[set[object], list[bool], list[bool]]:
    """What a re-import finds done, and whether each flag and live key would be recorded again."""
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        done = await Replay(sessions, LadderConfig(), SystemClock()).done_markers()
        async with sessions() as session, session.begin():
            flags = [await record_once(session, 1, key) for key in (*FLAGS, "warned:new")]
            live = [await record_receipt(session, 1, key) for key in (*LIVE, "event:Ev2")]
    finally:
        await engine.dispose()
    return set(done), flags, live


async def test_markers_and_flags_move_and_keep_their_meaning(tmp_path: Path) -> None:
    """After 0011 a re-import still skips the files imported before, a warning given before is
    not given again, a live event seen before is still a duplicate, and ``processedevent`` holds
    live keys only."""
    url = fresh_database_url(tmp_path)
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision("0011").down_revision
    command.upgrade(config, str(before))
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            _fill(connection)
        upgrade(url)
        with engine.connect() as connection:
            kept = {key for (key,) in connection.execute(sa.text("SELECT event_key FROM processedevent"))}
    finally:
        engine.dispose()
    done, flags, live = await _after(url)
    assert kept == set(LIVE)
    assert DAY_MARKER in done
    assert ("discord", "00aa", "Guild - general [1]:part 2.json") in done
    assert flags == [False, False, False, True]
    assert live == [False, False, False, True]


def test_downgrade_puts_markers_and_flags_back(tmp_path: Path) -> None:
    """Down to 0010 the markers and flags are ``processedevent`` keys again, as 0010 reads them."""
    url = fresh_database_url(tmp_path)
    config = alembic_config(url)
    command.upgrade(config, "0010")
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            _fill(connection)
        upgrade(url)
        command.downgrade(config, "0010")
        with engine.connect() as connection:
            keys = {key for (key,) in connection.execute(sa.text("SELECT event_key FROM processedevent"))}
    finally:
        engine.dispose()
    assert keys == {*LIVE, *FLAGS, *MARKERS}
