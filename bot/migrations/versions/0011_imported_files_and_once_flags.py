"""imported export files and one-off flags in their own tables

``processedevent`` held three things under one key column: live event keys and request receipts,
import resume markers (``import:{source}:{digest}:{name}``, cut at 200 characters) and one-off
flags (``warned:…`` warnings given once, ``ready:m{member}:l{level}`` DMs sent once). Markers move
to ``importedfile`` (source, digest and path in their own columns) and flags to ``onceflag``;
``processedevent`` keeps only what a redelivery must find.

A marker's import time was never recorded: moved markers get the time of this migration. A
marker whose path was cut at 200 characters keeps the cut path, so that one file is read again
by the next re-import (its events are recognised by their keys and nothing is recorded twice).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:50:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKER = "import:"
FLAGS = ("warned:", "ready:")
PREFIXED = "event_key LIKE :prefix"


def upgrade() -> None:
    imported = op.create_table(
        "importedfile",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("imported_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.PrimaryKeyConstraint("community_id", "source", "digest", "name"),
    )
    flags = op.create_table(
        "onceflag",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.PrimaryKeyConstraint("community_id", "key"),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    markers = connection.execute(
        sa.text(f"SELECT community_id, event_key FROM processedevent WHERE {PREFIXED}"),
        {"prefix": MARKER + "%"},
    ).all()
    files = []
    for community_id, key in markers:
        source, digest, name = key.removeprefix(MARKER).split(":", 2)
        files.append(
            {"community_id": community_id, "source": source, "digest": digest, "name": name, "imported_at": now}
        )
    if files:
        op.bulk_insert(imported, files)
    for prefix in FLAGS:
        rows = connection.execute(
            sa.text(f"SELECT community_id, event_key FROM processedevent WHERE {PREFIXED}"),
            {"prefix": prefix + "%"},
        ).all()
        if rows:
            op.bulk_insert(flags, [{"community_id": c, "key": k} for c, k in rows])
    for prefix in (MARKER, *FLAGS):
        connection.execute(sa.text(f"DELETE FROM processedevent WHERE {PREFIXED}"), {"prefix": prefix + "%"})


def downgrade() -> None:
    # ``WHERE true``: SQLite reads ``SELECT … FROM t ON CONFLICT`` as a join without it.
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "INSERT INTO processedevent (community_id, event_key) "
            "SELECT community_id, substr('import:' || source || ':' || digest || ':' || name, 1, 200) "
            "FROM importedfile WHERE true ON CONFLICT DO NOTHING"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO processedevent (community_id, event_key) SELECT community_id, key FROM onceflag WHERE true "
            "ON CONFLICT DO NOTHING"
        )
    )
    op.drop_table("onceflag")
    op.drop_table("importedfile")
