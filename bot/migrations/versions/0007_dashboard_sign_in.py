"""dashboard sign-in links and the server secret

One-time sign-in links keep only the SHA-256 of their token; the signing secret generated once
(when ``LADDER_SECRET_KEY`` is not set) lives in ``serversecret`` so every replica agrees.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 17:14:35.094401
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import models.types
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('serversecret',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('signinlink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('signinlink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signinlink_community_id'), ['community_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signinlink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signinlink_community_id'))

    op.drop_table('signinlink')
    op.drop_table('serversecret')
