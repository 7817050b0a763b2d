"""A benchmark re-run in the same ``--work`` folder starts from a clean database."""

import sqlite3
from pathlib import Path

from bench._seed import seed
from handlers.kernel import CommunityRef, LadderConfig

REF = CommunityRef("slack", "TREUSE", "Reuse")


def test_seeding_twice_in_one_folder_gives_one_clean_community(tmp_path: Path) -> None:
    """The second seed replaces the first (with any write-ahead log or inbox left beside it)
    rather than adding to it or opening beside a stale log."""
    db = tmp_path / "live.db"
    seed(db, REF, LadderConfig(), ["U1", "U2", "U3"], 40)
    (tmp_path / "live.db-wal").write_bytes(b"left by a killed run")
    (tmp_path / "live-inbox.db").write_bytes(b"an old run's inbox")
    seed(db, REF, LadderConfig(), ["U1", "U2", "U3"], 40)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM question").fetchone() == (40,)
    assert not (tmp_path / "live-inbox.db").exists()
