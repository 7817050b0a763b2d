"""Migrations: empty to head on the suite's engine, down and up again, no drift from the models."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from db import fresh_database_url
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from bot.database import alembic_config, sync_url, upgrade
from models.search import is_search_object


def current_revision(url: str) -> str | None:
    """The revision the database says it is at."""
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_upgrade_from_empty_reaches_head_with_every_table(tmp_path: Path) -> None:
    """A new database gets every table of the models and the newest revision."""
    url = fresh_database_url(tmp_path)
    upgrade(url)

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert current_revision(url) == head
    engine = sa.create_engine(sync_url(url))
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables


def test_upgrade_twice_is_a_no_op_and_downgrade_returns_to_empty(tmp_path: Path) -> None:
    """Upgrading again changes nothing; downgrading to base removes every table; up works again."""
    url = fresh_database_url(tmp_path)
    upgrade(url)
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = sa.create_engine(sync_url(url))
    try:
        left = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    assert left == set()
    upgrade(url)
    assert current_revision(url) is not None


def drift(url: str, metadata: sa.MetaData) -> list[Any]:
    """What autogenerate would change to bring the database to ``metadata``."""
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_name": lambda name, _type, _parents: not is_search_object(name),
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_models_and_migrations_do_not_drift(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: every model change came with its migration."""
    url = fresh_database_url(tmp_path)
    upgrade(url)
    differences = drift(url, SQLModel.metadata)
    assert differences == [], (
        "models and migrations differ; generate a migration with "
        "`alembic revision --autogenerate` (see docs/deploy.md):\n" + "\n".join(map(str, differences))
    )


def test_drift_check_notices_a_model_change_without_migration(tmp_path: Path) -> None:
    """A column added to a model but not migrated shows up as a difference."""
    url = fresh_database_url(tmp_path)
    upgrade(url)
    changed = sa.MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["digest"].append_column(sa.Column("reviewed_by", sa.String(64)))

    [(action, *_rest)] = drift(url, changed)
    assert action == "add_column"
