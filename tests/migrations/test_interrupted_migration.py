"""A first start killed while it migrates a new SQLite database leaves one that starts next time.

A child process migrates a fresh file and kills itself with SIGKILL just before its k-th SQL
statement (or its commit): a crash at an exact, repeatable point, every few statements from the
first to the last. After each, an ordinary upgrade must succeed and reach the newest revision.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel
from test_migrations import current_revision

import models  # noqa: F401  (registers every table)
from bot.database import alembic_config, sync_url, upgrade

KILLS = 16

CHILD = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from bot.database import upgrade

url, stop_at = sys.argv[1], int(sys.argv[2])
seen = 0

def step(*_args):
    global seen
    seen += 1
    if seen == stop_at:
        os.kill(os.getpid(), signal.SIGKILL)

event.listen(Engine, "before_cursor_execute", step)
event.listen(Engine, "commit", step)
upgrade(url)
print(seen)
"""


def migrate_in_child(url: str, stop_at: int) -> subprocess.CompletedProcess[str]:
    """Migrate ``url`` in a fresh interpreter that dies at its ``stop_at``-th step (0: never)."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, url, str(stop_at)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_a_first_migration_killed_at_any_point_leaves_a_database_that_starts(tmp_path: Path) -> None:
    """Killed before any statement, between any two, or at the commit: the next start migrates."""
    whole = migrate_in_child(f"sqlite:///{tmp_path / 'whole.db'}", 0)
    assert whole.returncode == 0, whole.stderr
    steps = int(whole.stdout.split()[-1])
    points = sorted({*range(1, steps + 1, max(1, steps // KILLS)), steps})
    head = ScriptDirectory.from_config(
        alembic_config(f"sqlite:///{tmp_path / 'whole.db'}")
    ).get_current_head()

    for point in points:
        url = f"sqlite:///{tmp_path / f'killed-at-{point}.db'}"
        killed = migrate_in_child(url, point)
        assert killed.returncode == -9, f"step {point} of {steps}: the child was not killed"
        upgrade(url)
        assert current_revision(url) == head, f"killed at step {point} of {steps}"
        engine = sa.create_engine(sync_url(url))
        try:
            assert set(SQLModel.metadata.tables) <= set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()
