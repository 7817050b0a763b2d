"""call signup remembers when it was waitlisted

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000

The digest counts sign-ups put on a waitlist in its period. It used to count the ones *still*
waitlisted, so a withdrawal (an erased member's, say) changed a past period's figure. Sign-ups
waitlisted today keep their join time as the time they were waitlisted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import models.types
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('callsignup', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlisted_at', models.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE callsignup SET waitlisted_at = joined_at WHERE status = 'waitlisted'")


def downgrade() -> None:
    with op.batch_alter_table('callsignup', schema=None) as batch_op:
        batch_op.drop_column('waitlisted_at')
