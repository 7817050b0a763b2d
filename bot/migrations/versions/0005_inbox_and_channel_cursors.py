"""inbox and channel cursors

The durable inbox (requests acknowledged to a platform, not yet processed) and, per channel,
the newest message recorded live (where Discord's catch-up starts after a reconnect).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:17:37.179396
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import models.types
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inboxitem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('received_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'key')
    )
    op.create_table('channelcursor',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('community_id', 'channel_id')
    )


def downgrade() -> None:
    op.drop_table('channelcursor')
    op.drop_table('inboxitem')
