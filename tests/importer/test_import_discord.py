"""Importing DiscordChatExporter exports (JSON and CSV) that the test writes."""

import json
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.importer import import_history
from bot.runtime import Runtime
from models import Contribution, Member, Question

GUILD = {"id": "900", "name": "Makers"}


def _author(uid: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "name": name, "nickname": name, "isBot": bot}


def _message(mid: str, at: str, author: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    return {"id": mid, "type": "Default", "timestamp": at, "content": text, "author": author} | extra


def write_exports(folder: Path) -> None:
    """A #help channel with a question, a reply that solves it, a bot post; plus a CSV channel."""
    ada, bob, bot = _author("1", "ada"), _author("2", "bob"), _author("3", "helperbot", bot=True)
    check = {"emoji": {"name": "✅"}, "count": 1, "users": [ada]}
    messages = [
        {
            "id": "10",
            "type": "GuildMemberJoin",
            "timestamp": "2024-03-01T09:00:00+00:00",
            "content": "",
            "author": ada,
        },
        _message("11", "2024-03-01T10:00:00+00:00", ada, "How do I flash the firmware on the board?"),
        _message(
            "12",
            "2024-03-01T10:05:00+00:00",
            bob,
            "Hold BOOT while plugging it in.",
            type="Reply",
            reference={"messageId": "11"},
            reactions=[check],
        ),
        _message("13", "2024-03-01T10:06:00+00:00", bot, "Beep boop, I am a bot"),
    ]
    export = {
        "guild": GUILD,
        "channel": {"id": "50", "type": "GuildTextChat", "name": "help"},
        "messages": messages,
    }
    folder.mkdir()
    (folder / "Makers - help [50].json").write_text(json.dumps(export))
    (folder / "Makers - Text - general [60].csv").write_text(
        "AuthorID,Author,Date,Content,Attachments,Reactions\n"
        '4,cyd#0001,2024-03-02T08:00:00+00:00,"Which soldering iron should I buy for SMD work?",,\n'
        '2,bob#0002,2024-03-02T08:03:00+00:00,"@cyd a temperature-controlled one, 60 W",,✅ (1)\n'
    )


async def test_json_and_csv_exports_are_imported(runtime: Runtime, tmp_path: Path) -> None:
    """Questions are found in both formats, a ✅ by the asker solves, bots are skipped."""
    write_exports(tmp_path / "export")
    [summary] = await import_history(runtime, "discord", tmp_path / "export")
    assert summary.community == "Makers"
    assert summary.members == 3
    assert summary.skipped.reasons["bot messages"] == 1
    assert summary.questions == 2 and summary.answered == 2 and summary.solved == 1
    async with runtime.sessions() as session:
        bob = (await session.exec(select(Member).where(Member.external_id == "2"))).one()
        kinds = (await session.exec(select(Contribution.kind).where(Contribution.member_id == bob.id))).all()
        solved = (await session.exec(select(Question).where(Question.source_id == "11"))).one()
    assert "answer_accepted" in kinds
    assert solved.status == "solved"


async def test_reimporting_discord_adds_nothing(runtime: Runtime, tmp_path: Path) -> None:
    """The same export imported twice records each message once."""
    write_exports(tmp_path / "export")
    await import_history(runtime, "discord", tmp_path / "export")
    [again] = await import_history(runtime, "discord", tmp_path / "export")
    assert again.new_events == 0 and again.questions == 2
