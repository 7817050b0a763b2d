"""Benchmark: the earlier-answer search, today's full-text index against the scorer it replaced.

A community holds ``questions`` solved questions asked over six years: generated ones, worded
from a 5,000-word vocabulary that holds the paraphrase set's words (so its common words are in
thousands of them), and the paraphrase set's earlier questions planted among them, half among the newest
5,000 and half years old (the oldest is the community's first question). Each paraphrase is then
asked; both searches run side by side on the same database: recall in the top 3, how often the
offer the asker would see is the right one, and the latency of a whole search (the search and
loading the question and answer offered) over the paraphrases and up to 140 generated questions:
wall-clock, and the process's CPU time (both threads: aiosqlite runs SQL in its own), which a
busy shared machine distorts less (the load average is reported with them).
"""

import asyncio
import json
import os
import random
import re
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bench._common import clear_database, fresh_runtime, peak_rss_mb
from handlers.kernel import CommunityRef, ensure_community
from handlers.routing import Terms, closest_solved, ranked
from models import Answer, Question, QuestionStatus

_WORD = re.compile(r"[a-z][a-z0-9+#]*")
PARAPHRASES = Path(__file__).with_name("paraphrases.json")
TERMS = Terms()  # one question-term reader for the whole benchmark process
REF = CommunityRef("slack", "TSEARCH", "Search bench")
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=6 * 365)
RECENT = 5000
"""The old scorer's window: the newest solved questions it scored."""
TOP = 3
GENERATED = 140
"""Generated questions asked after the paraphrases, so the latency percentiles rest on more
searches (a tenth of the questions at small sizes: ``--quick`` runs in the test suite)."""
MIN_SCORE = 0.45
"""``routing.similar_question_min_score``'s default: the offer an asker sees needs this score."""
VOCABULARY = 5000
SYLLABLES = ("ka", "lo", "mi", "nu", "re", "ta", "vi", "so", "pe", "du", "ga", "zo", "fi", "ne", "ru", "ba")
OPENINGS = (
    "How do I",
    "Why does",
    "Is there a way to",
    "Anyone know why",
    "What is the best way to",
    "Help:",
    "Can I",
    "Where do I",
)


def pairs() -> list[dict[str, str]]:
    """The paraphrase set: an earlier question, its accepted answer, and the same question reworded."""
    found: list[dict[str, str]] = json.loads(PARAPHRASES.read_text(encoding="utf-8"))["pairs"]
    return found


def _vocabulary(found: list[dict[str, str]], rng: random.Random) -> tuple[list[str], list[float]]:
    """``VOCABULARY`` words with Zipf weights, flattened at the head (the commonest content word
    is in about one question in ten, as in a real help channel once stop words are gone).

    The set's own words are spread over the ranks in the order of their use in the set (its
    commonest words are common, its rarer ones rare), made-up words fill the ranks between.
    """
    counts = Counter(w for p in found for w in _WORD.findall(f"{p['earlier']} {p['asked']}".lower()))
    own = [w for w, _ in counts.most_common() if TERMS.of(w)]
    ranks = sorted(rng.sample(range(VOCABULARY), len(own)))
    words: list[str] = []
    known = set(own)
    mine = dict(zip(ranks, own, strict=True))
    while len(words) < VOCABULARY:
        if len(words) in mine:
            words.append(mine[len(words)])
            continue
        made = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if made not in known:
            known.add(made)
            words.append(made)
    return words, [1 / (rank + 10) for rank in range(len(words))]


def _generated(rng: random.Random, words: list[str], weights: list[float]) -> str:
    picked = rng.choices(words, weights, k=rng.randint(4, 12))
    return f"{rng.choice(OPENINGS)} {' '.join(picked)}?"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(db: Path, questions: int, seed: int = 7) -> dict[int, int]:
    """Fill the community; return each pair's planted question id (by pair index)."""
    rng = random.Random(seed)
    found = pairs()
    words, weights = _vocabulary(found, rng)
    ids = list(range(1, questions + 1))
    window = min(RECENT, questions // 2)
    recent, older = ids[-window:], ids[: questions - window]
    half = len(found) // 2
    slots = [*rng.sample(recent, half), older[0], *rng.sample(older[1:], len(found) - half - 1)]
    planted = dict(enumerate(slots))
    by_slot = {slot: found[i] for i, slot in planted.items()}
    step = SPAN / questions
    question_rows, answer_rows = [], []
    for qid in ids:
        pair = by_slot.get(qid)
        asked = pair["earlier"] if pair else _generated(rng, words, weights)
        answer = pair["answer"] if pair else f"Answer {qid}"
        at = END - SPAN + step * qid
        solved = _stamp(at + timedelta(hours=1))
        question_rows.append(
            (
                qid,
                asked,
                TERMS.stored(asked),
                f"q{qid}",
                _stamp(at),
                _stamp(at + timedelta(minutes=5)),
                solved,
                qid,
            )
        )
        answer_rows.append((qid, qid, answer, f"a{qid}", _stamp(at + timedelta(minutes=5)), solved))
    con = sqlite3.connect(db)
    con.executemany(
        "INSERT INTO member (id, community_id, platform, external_id, display_name, level, status, "
        "skills, is_bot, is_manager, joined_at, level_since) VALUES (?, 1, 'slack', ?, ?, ?, 'active', "
        "'', 0, 0, ?, ?)",
        [
            (1, "U1", "Asker", 0, _stamp(END - SPAN), _stamp(END - SPAN)),
            (2, "U2", "Helper", 2, _stamp(END - SPAN), _stamp(END - SPAN)),
        ],
    )
    con.executemany(
        "INSERT INTO question (id, community_id, asker_id, asker_level, text, terms, source_id, "
        "status, tier_index, escalations, exhausted, asked_at, first_response_at, first_responder_id, "
        "answered_level, solved_at, accepted_answer_id) "
        f"VALUES (?, 1, 1, 0, ?, ?, ?, '{QuestionStatus.SOLVED.value}', 0, 0, 0, ?, ?, 2, 2, ?, ?)",
        question_rows,
    )
    con.executemany(
        "INSERT INTO answer (id, question_id, member_id, text, source_id, created_at, accepted_at, "
        "accepted_signal) VALUES (?, ?, 2, ?, ?, ?, ?, 'explicit')",
        answer_rows,
    )
    con.commit()
    con.close()
    return planted


async def old_scorer(session: AsyncSession, community_id: int, terms: list[str]) -> list[tuple[int, float]]:
    """The search Ladder ran before migration 0008: the newest 5,000 solved questions scored in
    Python, term weights from those 5,000 alone (kept here to measure against)."""
    rows = (
        await session.exec(
            select(Question.id, Question.terms)
            .where(
                Question.community_id == community_id,
                Question.status == QuestionStatus.SOLVED,
                col(Question.accepted_answer_id).is_not(None),
            )
            .order_by(col(Question.solved_at).desc())
            .limit(RECENT)
        )
    ).all()
    candidates = [(qid, t.split()) for qid, t in rows if qid is not None]
    frequency: Counter[str] = Counter()
    for _, doc in candidates:
        frequency.update(set(doc))
    return ranked(terms, candidates, frequency, len(candidates), TOP)


async def new_index(session: AsyncSession, community_id: int, terms: list[str]) -> list[tuple[int, float]]:
    """Today's search through the full-text index."""
    return await closest_solved(session, community_id, terms, None, TOP)


Search = Callable[[AsyncSession, int, list[str]], Awaitable[list[tuple[int, float]]]]


async def _measure(
    session: AsyncSession, community_id: int, search: Search, queries: list[str], planted: dict[int, int]
) -> dict[str, Any]:
    """Recall@3 and right offers over the paraphrases (the first queries), latency over all."""
    latencies, cpu, hits, offers, oldest = [], [], 0, 0, False
    for index, text in enumerate(queries):
        started, cpu_started = time.perf_counter(), time.process_time()
        top = await search(session, community_id, TERMS.of(text))
        if top and top[0][1] >= MIN_SCORE:
            old = await session.get(Question, top[0][0])
            assert old is not None and old.accepted_answer_id is not None
            await session.get(Answer, old.accepted_answer_id)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        target = planted.get(index)
        if target is None:
            continue
        hits += target in [qid for qid, _ in top]
        offers += bool(top) and top[0][0] == target and top[0][1] >= MIN_SCORE
        oldest = oldest or (target == 1 and target in [qid for qid, _ in top])
    cuts, cpu_cuts = statistics.quantiles(latencies, n=100), statistics.quantiles(cpu, n=100)
    return {
        "recall_at_3": hits / len(planted),
        "right_offer": offers / len(planted),
        "oldest_found": oldest,
        "p50_ms": statistics.median(latencies),
        "p99_ms": cuts[98],
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p99_ms": cpu_cuts[98],
        "searches": len(latencies),
    }


async def compare(work: Path, questions: int) -> dict[str, Any]:
    """Both searches on one generated community: a dict of figures (``old`` and ``new``)."""
    db = work / "search.db"
    clear_database(db)
    runtime, engine = fresh_runtime(db)
    async with runtime.sessions() as session, session.begin():
        community = await ensure_community(session, REF, runtime.config)
    assert community.id == 1
    started = time.perf_counter()
    planted = generate(db, questions)
    generate_s = time.perf_counter() - started
    found = pairs()
    rng = random.Random(11)
    words, weights = _vocabulary(found, random.Random(7))
    generated = [_generated(rng, words, weights) for _ in range(min(GENERATED, questions // 10))]
    queries = [p["asked"] for p in found] + generated
    out: dict[str, Any] = {"questions": questions, "pairs": len(found), "generate_s": generate_s}
    oldest_years = (SPAN - SPAN / questions).days / 365
    async with runtime.sessions() as session:
        for name, search in (("old", old_scorer), ("new", new_index)):
            await _measure(session, 1, search, queries[:5], planted)  # warm the caches
            out[name] = await _measure(session, 1, search, queries, planted)
    out["oldest_years"] = round(oldest_years, 1)
    out["rss_mb"] = peak_rss_mb()
    out["load_average"] = os.getloadavg()[0]
    await engine.dispose()
    return out


def run(work: Path, questions: int) -> dict[str, Any]:
    """Entry point for ``python -m bench``: the figures of :func:`compare`."""
    return asyncio.run(compare(work, questions))
