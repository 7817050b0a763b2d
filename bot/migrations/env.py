"""Alembic environment: Ladder's tables, sync driver, batch mode on SQLite, all or nothing.

Every upgrade runs in one transaction, so a process killed half-way leaves the database as it
was and the next start simply migrates again. PostgreSQL's DDL is transactional as it is; on
SQLite the driver commits DDL as it goes unless Ladder issues ``BEGIN`` itself (SQLAlchemy's
recipe for SQLite's transactional DDL), then ``transactional_ddl`` keeps the run in it.
"""

from typing import Any

from alembic import context
from sqlalchemy import Engine, engine_from_config, event, pool, text
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from models.search import is_search_object

config = context.config
target_metadata = SQLModel.metadata


def include_name(name: str | None, _type: Any, _parents: Any) -> bool:
    """Leave the full-text index (raw SQL in migration 0008, not in the models) to its migration."""
    return not is_search_object(name)


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def begin_sqlite_transactions_ourselves(engine: Engine) -> None:
    """Let the SQLite driver open no transaction of its own and emit ``BEGIN IMMEDIATE`` at each
    SQLAlchemy ``begin()``, so DDL is inside the transaction (and two starts never interleave)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_online() -> None:
    """Run migrations on a live connection, in one transaction."""
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        if connectable.dialect.name == "sqlite":
            begin_sqlite_transactions_ourselves(connectable)
    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            transactional_ddl=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Replicas starting together must not upgrade at once.
                connection.execute(text("SELECT pg_advisory_xact_lock(7415328617)"))
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
