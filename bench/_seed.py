"""A community that already holds years of answered questions, written fast for the live benchmark.

The live path's costs grow with history (the earlier-answer search reads answered questions, a
member's standing reads their ledger), so the live benchmark runs on a community that already
holds ``questions`` answered ones, asked over three years by the members the load then uses.
Written with plain ``sqlite3`` in one transaction of set-based ``INSERT … SELECT`` statements
over a counter (through the ORM it would be minutes, and the benchmark measures the live path,
not the seeding).
"""

import asyncio
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._common import clear_database, fresh_runtime
from handlers.kernel import CommunityRef, LadderConfig, ensure_community
from handlers.routing import Terms

VERBS = [
    "configure",
    "install",
    "upgrade",
    "deploy",
    "debug",
    "cache",
    "migrate",
    "index",
    "test",
    "profile",
    "secure",
    "package",
]
THINGS = [
    "widget",
    "database",
    "scheduler",
    "webhook",
    "exporter",
    "dashboard",
    "importer",
    "ledger",
    "quest",
    "digest",
    "token",
    "sidebar",
    "router",
    "plugin",
    "worker",
]
TROUBLES = [
    "times out",
    "fails on start",
    "leaks memory",
    "returns 403",
    "loses messages",
    "runs twice",
    "is slow",
    "hangs on exit",
]
YEARS = 3
STAMP = "%Y-%m-%d %H:%M:%S.%f"
WORDINGS = 7_200


def question_text(k: int) -> str:
    """The ``k``-th distinct seeded wording (``WORDINGS`` of them), so the search has real work."""
    verb, thing = VERBS[k % len(VERBS)], THINGS[(k // len(VERBS)) % len(THINGS)]
    trouble = TROUBLES[(k // 7) % len(TROUBLES)]
    return f"How do I {verb} the {thing}? It {trouble} after the upgrade to version {k % 50}."


def _at(seconds: str) -> str:
    return f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch') || '.000000'"


def _questions(con: sqlite3.Connection, community_id: int, member_ids: Sequence[int], count: int) -> None:
    """``count`` questions in one ``INSERT … SELECT`` over a counter, wordings joined from a table."""
    con.execute("CREATE TEMP TABLE wording (k INTEGER PRIMARY KEY, text TEXT, terms TEXT)")
    terms = Terms()
    con.executemany(
        "INSERT INTO wording VALUES (?, ?, ?)",
        [(k, question_text(k), terms.stored(question_text(k))) for k in range(WORDINGS)],
    )
    con.execute("CREATE TEMP TABLE asker (n INTEGER PRIMARY KEY, id INTEGER)")
    con.executemany("INSERT INTO asker VALUES (?, ?)", list(enumerate(member_ids)))
    now = int(datetime.now(UTC).timestamp()) - 86_400
    step = 365 * YEARS * 86_400 // max(1, count)
    asked = f"({now} - ({count} - i) * {step})"
    members = len(member_ids)
    con.execute(
        f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
        INSERT INTO question (community_id, asker_id, asker_level, text, terms, source_id, status,
            tier_index, escalations, exhausted, asked_at, first_response_at, first_responder_id,
            answered_level, solved_at)
        SELECT {community_id}, a.id, 0, w.text, w.terms, 'seed-q' || i,
            CASE WHEN i % 3 = 0 THEN 'solved' ELSE 'answered' END, 0, 0, 0, {_at(asked)},
            {_at(f"{asked} + 300 + (i % 90) * 60")}, h.id, 0,
            CASE WHEN i % 3 = 0 THEN {_at(f"{asked} + 7200")} END
        FROM n JOIN wording AS w ON w.k = i % {WORDINGS}
            JOIN asker AS a ON a.n = i % {members}
            JOIN asker AS h ON h.n = (i % {members} + 1 + i % {max(1, members - 1)}) % {members}
        """
    )


def _members(
    con: sqlite3.Connection, community_id: int, platform: str, external_ids: Sequence[str]
) -> list[int]:
    joined = (datetime.now(UTC) - timedelta(days=365 * YEARS + 30)).strftime(STAMP)
    con.executemany(
        "INSERT OR IGNORE INTO member (community_id, platform, external_id, display_name, level, status,"
        " skills, is_bot, is_manager, joined_at, level_since)"
        " VALUES (?, ?, ?, ?, 0, 'active', '', 0, 0, ?, ?)",
        [(community_id, platform, e, f"Member {e}", joined, joined) for e in external_ids],
    )
    rows = con.execute("SELECT id FROM member WHERE community_id = ? ORDER BY id", (community_id,)).fetchall()
    return [int(r[0]) for r in rows]


def seed(
    db: Path, ref: CommunityRef, config: LadderConfig, external_ids: Sequence[str], questions: int
) -> None:
    """A migrated database whose community holds ``questions`` answered questions and their answers."""
    clear_database(db)

    async def community() -> int:
        runtime, engine = fresh_runtime(db, config)
        async with runtime.sessions() as session, session.begin():
            found = await ensure_community(session, ref, config)
        await engine.dispose()
        assert found.id is not None
        return found.id

    community_id = asyncio.run(community())
    con = sqlite3.connect(db)
    with con:
        member_ids = _members(con, community_id, ref.platform, external_ids)
        _questions(con, community_id, member_ids, questions)
        con.execute(
            "INSERT INTO answer (question_id, member_id, text, source_id, created_at, accepted_at,"
            " accepted_signal) SELECT id, first_responder_id, 'Reset its cache, then restart it.',"
            " 'seed-a' || id, first_response_at, solved_at, CASE WHEN solved_at IS NULL THEN NULL"
            " ELSE 'reaction' END FROM question WHERE community_id = ? AND source_id LIKE 'seed-q%'",
            (community_id,),
        )
        con.execute(
            "UPDATE question SET accepted_answer_id = (SELECT answer.id FROM answer"
            " WHERE answer.question_id = question.id) WHERE solved_at IS NOT NULL AND community_id = ?",
            (community_id,),
        )
    con.close()
