"""``ladder import --dry-run``: a throw-away database to import into, and words saying which.

A dry run goes through the very same import (readers, rulebook, placement, summary), only into a
scratch SQLite file in a temporary folder that is deleted afterwards. When the configured
database is a SQLite file, the scratch is a consistent copy of it (SQLite's backup API), so the
summary shows what the import would add to the data already there; otherwise it starts empty.
"""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.database import is_sqlite
from bot.settings import Settings


def scratch_database(settings: Settings, folder: Path) -> tuple[str, str]:
    """A database URL under ``folder`` for a dry run, and the sentence that says what it holds."""
    scratch = folder / "dry-run.db"
    configured = settings.resolved_database_url()
    if not is_sqlite(configured):
        return f"sqlite:///{scratch}", (
            "imported into an empty throw-away database (the configured database was neither "
            "read nor written), so the figures count this export alone. Nothing was saved."
        )
    source = make_url(configured).database or ""
    if source and source != ":memory:" and Path(source).is_file():
        try:
            _copy(Path(source), scratch)
        except sqlite3.Error as error:
            return f"sqlite:///{scratch}", (
                f"imported into an empty throw-away database ({source} could not be copied: {error}). "
                "Nothing was saved."
            )
        return f"sqlite:///{scratch}", (
            f"imported into a throw-away copy of {source}; that database was not changed. Nothing was saved."
        )
    return f"sqlite:///{scratch}", (
        f"imported into an empty throw-away database (there is no database at {source} yet). "
        "Nothing was saved."
    )


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, read-only on the source."""
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
