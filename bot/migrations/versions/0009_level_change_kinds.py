"""level change kinds

Each level change says why it happened: ``earned`` (the rules were met live), ``manual`` (a
manager set it) or ``placed`` (placement from an imported history, dated when the import ran).
The digest counts only earned and manual changes as promotions. Existing rows are classified from
what they already say: placement's audit reason, or a manager as the one who changed it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:42:27.246113
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('levelchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='earned', nullable=False))
    op.execute("UPDATE levelchange SET kind = 'manual' WHERE changed_by_id IS NOT NULL")
    op.execute("UPDATE levelchange SET kind = 'placed' WHERE reason LIKE 'placed from history%'")


def downgrade() -> None:
    with op.batch_alter_table('levelchange', schema=None) as batch_op:
        batch_op.drop_column('kind')
