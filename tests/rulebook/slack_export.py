"""A small Slack workspace export written by a test: users, channels and day files."""

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TEAM = "T0EXPORT"
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@dataclass
class SlackExportWriter:
    """Messages by channel, written as Slack writes an export (one file per channel per day)."""

    channels: dict[str, str] = field(default_factory=lambda: {"help": "C0HELP", "general": "C0GENERAL"})
    users: set[str] = field(default_factory=set)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _tick: int = 0

    def post(
        self,
        user: str,
        text: str,
        at: datetime,
        *,
        channel: str = "help",
        thread: str | None = None,
        reactions: dict[str, list[str]] | None = None,
    ) -> str:
        """A message at ``at`` (in a thread when given); returns its ts."""
        self._tick += 1
        ts = f"{at.timestamp():.0f}.{self._tick:06d}"
        message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
        if thread is not None:
            message["thread_ts"] = thread
        if reactions:
            message["reactions"] = [
                {"name": name, "users": users, "count": len(users)} for name, users in reactions.items()
            ]
        self.users.add(user)
        self.messages[channel].append(message)
        return ts

    def write(self, root: Path) -> Path:
        """Write the export under ``root`` and return it."""
        root.mkdir(parents=True, exist_ok=True)
        users = [
            {"id": u, "team_id": TEAM, "name": u.lower(), "real_name": u.title()} for u in sorted(self.users)
        ]
        (root / "users.json").write_text(json.dumps(users))
        (root / "channels.json").write_text(
            json.dumps([{"id": i, "name": n} for n, i in self.channels.items()])
        )
        for channel, messages in self.messages.items():
            days: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for message in sorted(messages, key=lambda m: float(m["ts"])):
                day = datetime.fromtimestamp(float(message["ts"]), UTC).date().isoformat()
                days[day].append(message)
            (root / channel).mkdir(exist_ok=True)
            for day, batch in days.items():
                (root / channel / f"{day}.json").write_text(json.dumps(batch))
        return root


def helpful_community(seed: int = 9) -> SlackExportWriter:
    """Ten weeks of a help channel as real ones go: 40 askers, two busy helpers and six
    occasional ones answering in threads; askers acknowledge about half the answers, mostly by
    thanking in words, sometimes with ✅, and chat in #general."""
    rng = random.Random(seed)
    export = SlackExportWriter()
    askers = [f"U0ASK{n:03d}" for n in range(40)]
    busy, occasional = ["U0HELPA", "U0HELPB"], [f"U0OCC{n}" for n in range(6)]
    for day in range(70):
        morning = START + timedelta(days=day)
        for _ in range(rng.randint(1, 3)):
            asker = rng.choice(askers)
            at = morning + timedelta(minutes=rng.randint(0, 600))
            question = export.post(asker, f"How do I configure option {rng.randint(1, 99)}?", at)
            helper = rng.choice(busy) if rng.random() < 0.7 else rng.choice(occasional)
            check = {"white_check_mark": [asker]} if rng.random() < 0.1 else None
            export.post(
                helper,
                "Set it in ladder.toml, then restart",
                at + timedelta(minutes=9),
                thread=question,
                reactions=check,
            )
            if not check and rng.random() < 0.5:
                export.post(
                    asker,
                    rng.choice(["thanks!", "Thank you, that worked", "ty"]),
                    at + timedelta(minutes=30),
                    thread=question,
                )
        chatter = rng.choice(askers + busy)
        export.post(chatter, "good morning everyone", morning, channel="general")
    return export
