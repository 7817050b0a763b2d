"""forget-me erases a member's personal data and text; export-me hands over all of it."""

import json

from core_harness import HELP_CHANNEL, Harness
from sqlmodel import func, select

from models import Answer, Community, Contribution, Member, Question


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


async def members_stored(harness: Harness) -> int:
    """How many member rows the database holds."""
    async with harness.ladder.sessions() as session:
        return (await session.exec(select(func.count()).select_from(Member))).one()


async def test_forget_me_withdraws_from_open_calls_and_the_waitlist_moves_up(harness: Harness) -> None:
    """Erasing a confirmed member frees their place: the first waitlisted member gets it and is
    told, and the call's message shows the new counts."""
    await harness.say("manager", 'call new "Host the meetup" need=1 post=yes', channel="events")
    await harness.say("zoe", "call join 1")
    assert "you are #1 on its waitlist" in await harness.text("yan", "call join 1")
    harness.port.clear()
    await harness.say("zoe", "forget-me confirm")
    assert "A place opened: you are now in call #1 “Host the meetup”." in harness.dm_texts("yan")
    (update,) = harness.port.to("update")
    assert update.message is not None and update.message.text.startswith("1 of 1 confirmed, 0 waitlisted")
    assert "1/1 confirmed, 0 waitlisted" in await harness.text("manager", "call list")
    assert "You are already confirmed on call #1." in await harness.text("yan", "call join 1")


async def test_erasing_a_member_changes_no_figure_of_the_digest(harness: Harness) -> None:
    """Shape, flow, questions and calls read the same before and after `forget-me confirm`."""
    await harness.set_level("helper", 2)
    thread = await harness.post("zoe", "Why does the build fail on Windows?", channel=HELP_CHANNEL)
    await harness.post("helper", "Use the WSL image", channel=HELP_CHANNEL, thread=thread)
    await harness.say("manager", 'call new "Host the meetup" need=1')
    await harness.say("zoe", "call join 1")
    await harness.say("yan", "call join 1")
    harness.later(hours=1)
    (before,) = await harness.say("manager", "health")
    assert "Sign-ups that had to wait on a waitlist (over-subscription avoided): 1" in str(before.fields)
    await harness.say("zoe", "forget-me confirm")
    (after,) = await harness.say("manager", "health")
    assert (after.title, after.text, after.fields) == (before.title, before.text, before.fields)
    assert after.image is not None and before.image is not None and after.image.alt == before.image.alt


async def test_export_me_after_forget_me_re_creates_nobody(harness: Harness) -> None:
    """After erasure, `export-me` says Ladder holds nothing and writes nothing; so does a second
    `forget-me` (the button pressed again)."""
    await harness.post("zoe", "hello")
    await harness.say("zoe", "forget-me confirm")
    stored = await members_stored(harness)
    for command in ("export-me", "forget-me", "forget-me confirm"):
        reply = await harness.text("zoe", command)
        assert reply == (
            "Ladder holds nothing on you here: no record of yours is stored, so there is nothing "
            "to export or erase. Nothing was written."
        )
    assert await members_stored(harness) == stored
    assert "No member 'zoe' is known here yet." in await harness.text("manager", "level @zoe")


async def test_export_me_from_a_stranger_writes_nothing(harness: Harness) -> None:
    """Someone Ladder has never seen asks what it holds: nothing, and asking stores nothing."""
    reply = await harness.text("stranger", "export-me")
    assert reply.startswith("Ladder holds nothing on you here")
    assert await members_stored(harness) == 0
    async with harness.ladder.sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Community))).one() == 0
