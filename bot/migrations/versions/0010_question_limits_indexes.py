"""indexes for the question limits

Every help-channel message checks the asker's question limits: their open questions and their
questions of the last 24 hours. With only the asker index, SQLite walked every question the member
ever asked (7 ms a message for a member with a long history, measured in the Discord benchmark on
100,000 answered questions). These two indexes answer both checks directly. Created with plain
``CREATE INDEX`` (not a batch table copy), so the full-text index's triggers on ``question`` stay.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:58:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_question_asker_status", "question", ["asker_id", "status"], unique=False)
    op.create_index("ix_question_asker_asked", "question", ["asker_id", "asked_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_question_asker_asked", table_name="question")
    op.drop_index("ix_question_asker_status", table_name="question")
