"""Fresh databases for tests: SQLite by default; PostgreSQL when CI asks for it."""

from pathlib import Path


def fresh_database_url(tmp_path: Path) -> str:
    """Return the URL of an empty database for one test."""
    return f"sqlite:///{tmp_path / 'ladder.db'}"
