"""Migration 0004 keeps a deployed community's solved questions meaningful under the new rules."""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from db import fresh_database_url

from bot.database import alembic_config, sync_url, upgrade

SOLVED = "2026-01-05 10:00:00.000000"
ROWS = [
    "INSERT INTO community (id, platform, external_id, name, timezone, created_at) "
    "VALUES (1, 'slack', 'T1', 'old', 'UTC', '2026-01-01 00:00:00.000000')",
    *(
        "INSERT INTO member (id, community_id, platform, external_id, display_name, level, status, skills, "
        f"is_bot, is_manager, joined_at, level_since) VALUES ({n}, 1, 'slack', 'U{n}', 'm{n}', 0, 'active', "
        "'', false, false, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
        for n in (1, 2)
    ),
    "INSERT INTO question (id, community_id, asker_id, asker_level, text, terms, source_id, status, "
    "tier_index, escalations, exhausted, asked_at, solved_at, accepted_answer_id) VALUES (1, 1, 1, 0, "
    f"'how?', '', 'slack:C:1', 'solved', 0, 0, false, '2026-01-05 09:00:00.000000', '{SOLVED}', 1)",
    "INSERT INTO answer (id, question_id, member_id, text, source_id, created_at) "
    "VALUES (1, 1, 2, 'like so', '2.0', '2026-01-05 09:30:00.000000')",
    "INSERT INTO contribution (id, community_id, member_id, kind, points, source_id, created_at) "
    f"VALUES (1, 1, 2, 'answer_accepted', 10, 'accepted:q1', '{SOLVED}')",
]


def test_accepted_answers_become_explicit_and_are_keyed_per_helper(tmp_path: Path) -> None:
    """An answer accepted before 0004 is marked accepted (explicitly, when the question was
    solved) and its credit is re-keyed per helper, so it is never credited a second time."""
    url = fresh_database_url(tmp_path)
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision("0004").down_revision
    command.upgrade(config, str(before))
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            for row in ROWS:
                connection.execute(sa.text(row))
        upgrade(url)
        with engine.connect() as connection:
            answer = connection.execute(sa.text("SELECT accepted_signal, accepted_at FROM answer")).one()
            source = connection.execute(sa.text("SELECT source_id, asker_id FROM contribution")).one()
    finally:
        engine.dispose()
    assert answer[0] == "explicit" and str(answer[1]).startswith("2026-01-05 10:00:00")
    assert tuple(source) == ("accepted:q1:m2", None)
