"""Migration 0006 fills a deployed community's member totals from the ledger it already holds."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from db import fresh_database_url

from bot.database import alembic_config, sync_url, upgrade

AT = "'2026-01-05 10:00:00.000000'"
ROWS = [
    "INSERT INTO community (id, platform, external_id, name, timezone, created_at) "
    f"VALUES (1, 'slack', 'T1', 'old', 'UTC', {AT})",
    *(
        "INSERT INTO member (id, community_id, platform, external_id, display_name, level, status, skills, "
        f"is_bot, is_manager, joined_at, level_since) VALUES ({n}, 1, 'slack', 'U{n}', 'm{n}', 0, 'active', "
        f"'', false, false, {AT}, {AT})"
        for n in (1, 2, 3)
    ),
    *(
        "INSERT INTO contribution (community_id, member_id, kind, points, source_id, created_at) "
        f"VALUES (1, {member}, '{kind}', {points}, 's{n}', {AT})"
        for n, (member, kind, points) in enumerate(
            [
                (1, "answer_accepted", 10),
                (1, "answer_accepted", 10),
                (1, "answer_accepted_over_limit", 0),
                (1, "answer_given", 3),
                (1, "quest_completed", 5),
                (2, "introduction", 2),
                (2, "call_fulfilled", 8),
                (2, "call_led", 0),
                (2, "review", 2),
                (2, "question_asked", 0),
            ]
        )
    ),
]
COLUMNS = (
    "points, accepted_answers, accepted_over_limit, answers_given, questions_asked, introductions, "
    "quests_completed, reviews, calls_fulfilled, calls_led"
)


def test_totals_are_filled_from_the_ledger(tmp_path: Path) -> None:
    """Each member's points and counts per kind equal their contributions; no ledger, all zero."""
    url = fresh_database_url(tmp_path)
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision("0006").down_revision
    command.upgrade(config, str(before))
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            for row in ROWS:
                connection.execute(sa.text(row))
        upgrade(url)
        with engine.connect() as connection:
            totals = connection.execute(sa.text(f"SELECT id, {COLUMNS} FROM member ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in totals] == [
        (1, 28, 2, 1, 1, 0, 0, 1, 0, 0, 0),
        (2, 12, 0, 0, 0, 1, 1, 0, 1, 1, 1),
        (3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ]
