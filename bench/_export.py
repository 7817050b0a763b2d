"""A generated Slack export of any size: channels, day files, threads, questions and ✅ solves."""

import json
import random
from datetime import UTC, datetime
from pathlib import Path

START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
WORDS = [
    "data",
    "chart",
    "query",
    "deploy",
    "python",
    "slack",
    "label",
    "axis",
    "scale",
    "export",
    "join",
    "index",
    "plot",
]


def generate(root: Path, messages: int, *, members: int, channels: int, per_file: int = 100) -> int:
    """Write an export of about ``messages`` messages; return how many it wrote."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    users = [f"U{i:07d}" for i in range(members)]
    (root / "users.json").write_text(
        json.dumps([{"id": u, "team_id": "TBENCH", "name": u.lower(), "is_bot": False} for u in users])
    )
    names = [f"channel-{c}" for c in range(channels)]
    (root / "channels.json").write_text(
        json.dumps([{"id": f"C{c:05d}", "name": n} for c, n in enumerate(names)])
    )
    weights = [1 / (i + 1) for i in range(members)]
    written, tick = 0, 0
    days = max(1, messages // (channels * per_file))
    for c, name in enumerate(names):
        folder = root / name
        folder.mkdir()
        for day in range(days):
            batch: list[dict[str, object]] = []
            if day == 0:
                batch += [
                    {
                        "type": "message",
                        "subtype": "channel_join",
                        "user": u,
                        "text": "joined",
                        "ts": f"{START + (tick := tick + 1) / 1000:.6f}",
                    }
                    for u in users[c::channels]
                ]
            while len(batch) < per_file:
                tick += 1
                ts = f"{START + day * 86400 + tick / 1000:.6f}"
                author = rng.choices(users, weights)[0] if rng.random() < 0.7 else rng.choice(users)
                if rng.random() < 0.1:
                    root_msg: dict[str, object] = {
                        "type": "message",
                        "user": author,
                        "ts": ts,
                        "thread_ts": ts,
                        "text": f"How do I {rng.choice(WORDS)} the {rng.choice(WORDS)}?",
                    }
                    batch.append(root_msg)
                    for r in range(2):
                        tick += 1
                        helper = rng.choice(users)
                        reply_ts = f"{START + day * 86400 + tick / 1000:.6f}"
                        reply: dict[str, object] = {
                            "type": "message",
                            "user": helper,
                            "ts": reply_ts,
                            "thread_ts": ts,
                            "text": f"Try <@{author}> the {rng.choice(WORDS)} option",
                        }
                        if r == 0 and rng.random() < 0.3:
                            reply["reactions"] = [{"name": "white_check_mark", "users": [author], "count": 1}]
                        batch.append(reply)
                else:
                    words = " ".join(rng.choices(WORDS, k=8))
                    batch.append({"type": "message", "user": author, "ts": ts, "text": words})
            written += sum(1 for m in batch if "subtype" not in m)
            stamp = datetime.fromtimestamp(START + day * 86400, UTC).date().isoformat()
            (folder / f"{stamp}.json").write_text(json.dumps(batch))
    return written
