"""Benchmark 2: the digest of a large community, against loading rows into Python."""

import sqlite3
import statistics
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench._common import fresh_runtime, peak_rss_mb
from bot.runtime import Runtime
from handlers.health import build_report
from handlers.kernel import CommunityRef, Scope, ensure_community

START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 730
END = START + timedelta(days=SPAN_DAYS)
STAMP = "strftime('%Y-%m-%d %H:%M:%S', {}, 'unixepoch') || '.000000'"


FIRST = (
    "Ann Bea Cyd Dee Eli Fay Gus Hal Ivy Jon Kim Lou Max Nia Oli Pam Quy Ray Sam Tia Uma Vic Wes Xia Yan Zoe"
)
LAST = "Smith Garcia Okafor Tanaka Silva Novak Haddad Kim Rossi Dubois Meyer Kowalski Nguyen Ali Berg Costa"
# Member totals as the credit path keeps them (the generator writes the ledger directly).
TOTALS = """
UPDATE member SET points = totals.points, accepted_answers = totals.accepted,
    answers_given = totals.given, questions_asked = totals.asked, introductions = totals.intros,
    quests_completed = totals.quests
FROM (SELECT member_id, SUM(points) AS points,
        SUM(kind = 'answer_accepted') AS accepted, SUM(kind = 'answer_given') AS given,
        SUM(kind = 'question_asked') AS asked, SUM(kind = 'introduction') AS intros,
        SUM(kind = 'quest_completed') AS quests
    FROM contribution GROUP BY member_id) AS totals
WHERE member.id = totals.member_id;
"""


def _at(expression: str) -> str:
    return STAMP.format(f"{int(START.timestamp())} + ({expression})")


def _name(i: str) -> str:
    """A display name ("Ivy Tanaka 4521"): first and last names mixed, so searches match a few."""
    first, last = FIRST.split(), LAST.split()
    pick_first = " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(first))
    pick_last = " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(last))
    return (
        f"(CASE {i} % {len(first)} {pick_first} END) || ' ' || "
        f"(CASE ({i} / {len(first)}) % {len(last)} {pick_last} END) || ' ' || {i}"
    )


def generate(db: Path, members: int, contributions: int) -> None:
    """Fill a migrated database with bulk ``INSERT … SELECT`` over recursive counters."""
    questions = max(100, contributions // 25)
    con = sqlite3.connect(db)
    series = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})"
    span = SPAN_DAYS * 86400
    con.executescript(
        f"""
        {series.format(members)}
        INSERT INTO member (id, community_id, platform, external_id, display_name, level, status,
            skills, is_bot, is_manager, joined_at, level_since, last_active_at)
        SELECT i, 1, 'slack', 'U' || i, {_name("i")},
            CASE WHEN i % 100 < 60 THEN 0 WHEN i % 100 < 85 THEN 1 WHEN i % 100 < 95 THEN 2
                 WHEN i % 100 < 99 THEN 3 ELSE 4 END,
            CASE WHEN i % 100 >= 85 AND i % 7 = 0 THEN 'resting' ELSE 'active' END, '', 0, i % 5000 = 0,
            {_at(f"(i * 2654435761) % {span}")}, {_at(f"(i * 2654435761) % {span} + 864000")},
            CASE WHEN i % 20 = 0 THEN NULL ELSE {_at(f"{span} - (i % 60) * 86400")} END
        FROM n;
        INSERT INTO levelchange (community_id, member_id, from_level, to_level, reason, created_at)
        SELECT 1, id, level - 1, level, 'bench', level_since FROM member WHERE level > 0;
        {series.format(contributions)}
        INSERT INTO contribution (community_id, member_id, kind, points, source_id, created_at)
        SELECT 1, (i * 7919) % {members} + 1,
            CASE i % 5 WHEN 0 THEN 'answer_given' WHEN 1 THEN 'answer_accepted'
                WHEN 2 THEN 'question_asked' WHEN 3 THEN 'introduction' ELSE 'quest_completed' END,
            i % 11, 'b' || i, {_at(f"(i * 2654435761) % {span}")}
        FROM n;
        {series.format(members * 10)}
        INSERT INTO activeday (member_id, day)
        SELECT (i - 1) % {members} + 1,
            date({int(START.timestamp())} + {span} - 86400 * 70
                + (((i - 1) / {members}) * 7 + (i * 13) % 7) * 86400, 'unixepoch')
        FROM n;
        {series.format(questions)}
        INSERT INTO question (id, community_id, asker_id, asker_level, text, terms, source_id,
            status, tier_index, escalations, exhausted, asked_at, first_response_at,
            first_responder_id, answered_level)
        SELECT i, 1, (i * 7) % {members} + 1, i % 3, 'question ' || i, '', 'q' || i,
            CASE WHEN i % 10 < 8 THEN 'answered' ELSE 'open' END, 0, i % 4 = 0, 0,
            {_at(f"(i * 2246822519) % {span}")},
            CASE WHEN i % 10 < 8 THEN {_at(f"(i * 2246822519) % {span} + (i % 120) * 60")} END,
            CASE WHEN i % 10 < 8 THEN (i * 13) % {members} + 1 END,
            CASE WHEN i % 10 < 8 THEN 2 END
        FROM n;
        INSERT INTO answer (question_id, member_id, text, source_id, created_at)
        SELECT id, first_responder_id, 'answer', 'a' || id, first_response_at
        FROM question WHERE first_responder_id IS NOT NULL;
        INSERT INTO questprogress (quest_id, member_id, status, evidence, submitted_at, review_note)
        SELECT quest.id, member.id, 'approved', '', member.level_since, ''
        FROM member JOIN quest ON quest.level < member.level WHERE member.id % 3 != 0;
        {TOTALS}
        """
    )
    con.commit()
    con.close()


async def digest(work: Path, members: int, contributions: int) -> dict[str, float]:
    """Build the digest with ``handlers.health.build_report`` (aggregates in the database)."""
    runtime, engine = await _community(work, members, contributions)
    async with runtime.sessions() as session:
        community = await ensure_community(session, REF, runtime.config)
        scope = Scope(session, runtime.config, END, community)
        started = time.perf_counter()
        report = await build_report(scope, END - timedelta(days=7), END)
        seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "asked": report.questions_asked,
        "answerers": report.answerers,
    }


REF = CommunityRef("slack", "TBENCH", "Bench")


async def _community(work: Path, members: int, contributions: int) -> tuple[Runtime, AsyncEngine]:
    db = work / "digest.db"
    fresh = not db.exists()
    runtime, engine = fresh_runtime(db)
    if fresh:
        async with runtime.sessions() as session, session.begin():
            await ensure_community(session, REF, runtime.config)
        generate(db, members, contributions)
    return runtime, engine


def stamp(moment: datetime) -> str:
    """A time as SQLite stores it, for string comparison with stored values."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


async def naive(work: Path, members: int, contributions: int) -> dict[str, float]:
    """The same headline figures computed in Python from every row of the tables involved."""
    runtime, engine = await _community(work, members, contributions)
    start, end = END - timedelta(days=7), END
    started = time.perf_counter()
    async with runtime.sessions() as session:
        rows = {
            name: (await session.execute(text(sql))).all()
            for name, sql in {
                "member": "SELECT id, level, joined_at, level_since, last_active_at FROM member",
                "change": "SELECT member_id, from_level, to_level, created_at FROM levelchange",
                "question": "SELECT id, asker_level, status, escalations, asked_at, "
                "first_response_at FROM question",
                "answer": "SELECT question_id, member_id, created_at FROM answer",
                "contribution": "SELECT member_id, kind, points, created_at FROM contribution",
                "day": "SELECT member_id, day FROM activeday",
            }.items()
        }
    lo, hi, before = stamp(start), stamp(end), stamp(end - timedelta(weeks=4))
    shape_now = Counter(level for _, level, joined, *_ in rows["member"] if joined <= hi)
    last: dict[int, tuple[str, int]] = {}
    for member, _, to_level, at in rows["change"]:
        if at <= before and (member not in last or at > last[member][0]):
            last[member] = (at, to_level)
    shape_before = Counter(last.get(m, ("", 0))[1] for m, _, joined, *_ in rows["member"] if joined <= before)
    promotions = Counter(t for _, f, t, at in rows["change"] if lo <= at < hi and t > f)
    asked = [q for q in rows["question"] if lo <= q[4] < hi]
    waits = [datetime.fromisoformat(q[5]) - datetime.fromisoformat(q[4]) for q in asked if q[5] is not None]
    unanswered = sum(1 for q in rows["question"] if q[2] == "open" and q[4] < hi)
    in_period = {q[0] for q in rows["question"] if stamp(start - timedelta(days=28)) <= q[4] < hi}
    helpers = Counter(m for q, m, at in rows["answer"] if q in in_period and lo <= at < hi)
    active = {m for m, day in rows["day"] if lo[:10] <= day <= hi[:10]}
    points: defaultdict[int, int] = defaultdict(int)
    for member, _, value, _ in rows["contribution"]:
        points[member] += value
    seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "asked": len(asked),
        "answerers": len(helpers),
        "members": sum(shape_now.values()),
        "members_4_weeks_ago": sum(shape_before.values()),
        "promotions": sum(promotions.values()),
        "unanswered": unanswered,
        "active": len(active),
        "points": sum(points.values()),
        "median_wait_s": statistics.median(w.total_seconds() for w in waits) if waits else 0.0,
    }
