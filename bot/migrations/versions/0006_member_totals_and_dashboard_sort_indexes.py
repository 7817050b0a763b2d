"""member totals and the dashboard's sort indexes

Each member row keeps the totals of their ledger (points, and one count per contribution kind),
updated by the credit path in the same transaction, so the dashboard sorts and filters 100,000
members without aggregating millions of contributions per request. Existing rows are filled from
the ledger in one grouped pass. Indexes serve the Members page's sorts (``id`` breaks ties) and
its counts and searches (``ix_member_listed`` covers them), and the Questions page's ages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:15:35.941632
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The count column of each contribution kind, as the kinds were named when this ran.
COUNTS = {
    'accepted_answers': 'answer_accepted',
    'accepted_over_limit': 'answer_accepted_over_limit',
    'answers_given': 'answer_given',
    'questions_asked': 'question_asked',
    'introductions': 'introduction',
    'quests_completed': 'quest_completed',
    'reviews': 'review',
    'calls_fulfilled': 'call_fulfilled',
    'calls_led': 'call_led',
}
SORTS = {
    'ix_member_listed': ['community_id', 'status', 'is_bot', 'level', 'display_name', 'external_id'],
    'ix_member_community_points': ['community_id', 'points', 'id'],
    'ix_member_community_accepted': ['community_id', 'accepted_answers', 'id'],
    'ix_member_community_given': ['community_id', 'answers_given', 'id'],
    'ix_member_community_last_active': ['community_id', 'last_active_at', 'id'],
    'ix_member_community_joined': ['community_id', 'joined_at', 'id'],
    'ix_member_community_name': ['community_id', 'display_name', 'id'],
}


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        for name in ('points', *COUNTS):
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))
        for index, columns in SORTS.items():
            batch_op.create_index(index, columns, unique=False)
    # The Questions page lists waiting questions by age: the status index gains the ask time.
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index('ix_question_community_status_asked', ['community_id', 'status', 'asked_at'], unique=False)
        batch_op.drop_index('ix_question_community_status')
    # One pass over the ledger, grouped by member (UPDATE … FROM: SQLite 3.33+ and PostgreSQL).
    counts = ', '.join(
        f"SUM(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END) AS {column}" for column, kind in COUNTS.items()
    )
    assignments = ', '.join(f'{column} = totals.{column}' for column in ('points', *COUNTS))
    op.execute(
        f'UPDATE member SET {assignments} FROM ('
        f'SELECT member_id, SUM(points) AS points, {counts} FROM contribution GROUP BY member_id'
        ') AS totals WHERE member.id = totals.member_id'
    )


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index('ix_question_community_status', ['community_id', 'status'], unique=False)
        batch_op.drop_index('ix_question_community_status_asked')
    with op.batch_alter_table('member', schema=None) as batch_op:
        for index in SORTS:
            batch_op.drop_index(index)
        for name in reversed(('points', *COUNTS)):
            batch_op.drop_column(name)
