"""index answers by time and questions by thread

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:23:34.018688
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import models.types
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_created_at', ['created_at'], unique=False)

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index('ix_question_community_thread', ['community_id', 'thread_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_community_thread')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_created_at')

