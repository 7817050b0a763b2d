"""forget-me erases a member's personal data and text; export-me hands over all of it."""

import json

from core_harness import HELP_CHANNEL, Harness
from sqlmodel import func, select

from models import Answer, Contribution, Member, Question


async def test_forget_me_asks_first_then_erases_and_keeps_counts(harness: Harness) -> None:
    """Without confirm nothing happens; with it, names and texts go and anonymous counts stay."""
    await harness.set_level("helper", 2)
    thread = await harness.post(
        "zoe", "My phone number is 555-0100, why does the build fail?", channel=HELP_CHANNEL
    )
    await harness.post("helper", "Try a clean build", channel=HELP_CHANNEL, thread=thread)
    warning = await harness.say("zoe", "forget-me")
    assert warning[0].title == "Erase your data?" and warning[0].buttons
    assert (await harness.member("zoe")).display_name == "zoe"
    reply = await harness.text("zoe", "forget-me confirm")
    assert reply.startswith("Done: your personal data is erased.")
    async with harness.ladder.sessions() as session:
        names = (await session.exec(select(Member.external_id))).all()
        texts = (await session.exec(select(Question.text))).all()
        ledger = (await session.exec(select(func.count()).select_from(Contribution))).one()
        answers = (await session.exec(select(Answer.text))).all()
    assert "zoe" not in names and texts == ["[erased]"]
    assert answers == ["Try a clean build"], "other members' words are theirs"
    assert ledger >= 2, "anonymous counts stay"
    assert "No member 'zoe' is known here yet." in await harness.text("manager", "level @zoe")


async def test_export_me_contains_everything_held(harness: Harness) -> None:
    """export-me returns JSON with the member, their contributions, questions and days."""
    await harness.post("yan", "How do I profile memory?", channel=HELP_CHANNEL)
    replies = await harness.say("yan", "export-me")
    body = replies[0].text.removeprefix("```json\n").removesuffix("\n```")
    data = json.loads(body)
    assert data["member"]["external_id"] == "yan"
    assert [q["text"] for q in data["questions"]] == ["How do I profile memory?"]
    assert {c["kind"] for c in data["contributions"]} >= {"question_asked"}
    assert data["active_days"] and data["answers"] == []
