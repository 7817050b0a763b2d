"""An export that overlaps what Ladder saw live credits nothing twice (one rulebook, same keys)."""

import json
from pathlib import Path
from typing import Any

from slack_harness import HELP_CHANNEL, SlackHarness, payload
from sqlmodel import col, func, select

from bot.importer import import_history
from models import Answer, Contribution, Question


def export_of(messages: list[dict[str, Any]], root: Path) -> Path:
    """A Slack export of the workspace holding ``messages`` in #help, one file per day."""
    root.mkdir()
    users = [{"id": u, "team_id": "T0LADDER", "name": u.lower()} for u in ("U0JANE", "U0HELPER")]
    (root / "users.json").write_text(json.dumps(users))
    (root / "channels.json").write_text(json.dumps([{"id": HELP_CHANNEL, "name": "help"}]))
    (root / "help").mkdir()
    (root / "help" / "2026-01-05.json").write_text(json.dumps(messages))
    return root


async def rows(slack: SlackHarness, model: type) -> int:
    """How many rows a table holds."""
    async with slack.runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


async def test_an_overlapping_export_adds_only_what_was_not_seen_live(
    slack: SlackHarness, tmp_path: Path
) -> None:
    """Jane's question, Hal's answer and Jane's ✅ arrive live, then again in an export that also
    holds a later question Hal answered and Jane thanked for: each is recorded and credited once."""
    root = await slack.message("How do I rebase my branch?")
    reply = await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    envelope = payload("event_reaction_added")
    envelope["event"]["item"] |= {"ts": reply, "channel": HELP_CHANNEL}
    await slack.event(envelope)
    assert await rows(slack, Question) == 1
    later = f"{float(root) + 3600:.6f}"
    messages = [
        {
            "type": "message",
            "user": "U0JANE",
            "text": "How do I rebase my branch?",
            "ts": root,
            "thread_ts": root,
        },
        {
            "type": "message",
            "user": "U0HELPER",
            "text": "git rebase origin/main",
            "ts": reply,
            "thread_ts": root,
            "reactions": [{"name": "white_check_mark", "users": ["U0JANE"], "count": 1}],
        },
        {
            "type": "message",
            "user": "U0JANE",
            "text": "How do I squash commits?",
            "ts": later,
            "thread_ts": later,
        },
        {
            "type": "message",
            "user": "U0HELPER",
            "text": "git rebase -i",
            "ts": f"{float(later) + 60:.6f}",
            "thread_ts": later,
        },
        {
            "type": "message",
            "user": "U0JANE",
            "text": "thanks, that worked!",
            "ts": f"{float(later) + 120:.6f}",
            "thread_ts": later,
        },
    ]
    [summary] = await import_history(slack.runtime, "slack", export_of(messages, tmp_path / "export"))
    assert summary.new_events == 3
    assert (await rows(slack, Question), await rows(slack, Answer)) == (2, 2)
    async with slack.runtime.sessions() as session:
        credited = (
            await session.exec(
                select(Contribution.kind, Contribution.source_id)
                .where(col(Contribution.kind).startswith("answer_"))
                .order_by(col(Contribution.source_id))
            )
        ).all()
    assert credited == [
        ("answer_accepted", "accepted:q1:m2"),
        ("answer_accepted", "accepted:q2:m2"),
        ("answer_given", "given:q1:m2"),
        ("answer_given", "given:q2:m2"),
    ]
    assert summary.signals == {"explicit": 1, "reaction": 0, "thanks": 1}
