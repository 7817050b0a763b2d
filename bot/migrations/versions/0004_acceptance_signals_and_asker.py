"""acceptance signals on answers, the asker on contributions

Answers say when and how they were accepted (a question may now have up to three); accepted-answer
contributions carry the asker (the same-asker limit counts them in one indexed query) and are keyed
per helper. Existing accepted answers are marked explicit (✅, the button or ``/ladder solved`` were
the only ways before) and their contributions re-keyed ``accepted:q<question>:m<helper>``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 15:08:19.146852
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import models.types
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASKER_FOREIGN_KEY = 'fk_contribution_asker_id_member'


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_signal', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asker_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_contribution_member_asker_time', ['member_id', 'asker_id', 'created_at'], unique=False)
        batch_op.create_foreign_key(ASKER_FOREIGN_KEY, 'member', ['asker_id'], ['id'])

    op.execute(
        "UPDATE answer SET accepted_signal = 'explicit', accepted_at = "
        "(SELECT question.solved_at FROM question WHERE question.accepted_answer_id = answer.id) "
        "WHERE id IN (SELECT accepted_answer_id FROM question WHERE accepted_answer_id IS NOT NULL)"
    )
    op.execute(
        sa.text(
            r"UPDATE contribution SET source_id = source_id || '\:m' || CAST(member_id AS VARCHAR(20)) "
            r"WHERE kind = 'answer_accepted' AND source_id LIKE 'accepted\:q%' "
            r"AND source_id NOT LIKE 'accepted\:q%\:m%'"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint(ASKER_FOREIGN_KEY, type_='foreignkey')
        batch_op.drop_index('ix_contribution_member_asker_time')
        batch_op.drop_column('asker_id')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('accepted_signal')
        batch_op.drop_column('accepted_at')
