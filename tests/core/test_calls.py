"""Calls to action: targeted invitations, a budget of open calls, waitlists and credit."""

from core_harness import Harness
from sqlmodel import select

from models import CallInvite, Contribution, Member


def invited(harness: Harness) -> list[str]:
    """Members who received a call invitation."""
    return [s.target for s in harness.port.to("dm") if s.message and s.message.title.startswith("Call #")]


async def test_invites_at_most_twice_the_need_best_matched_first(harness: Harness) -> None:
    """A call asks only members at the level with the skill, at most need × 2 of them."""
    for number in range(6):
        await harness.set_level(f"py{number}", 2)
        await harness.say(f"py{number}", "skills python")
    await harness.set_level("docs", 2)
    await harness.say("docs", "skills docs")
    await harness.set_level("junior", 1)
    await harness.say("junior", "skills python")
    reply = await harness.text("manager", 'call new "Triage the backlog" need=2 level=2 skills=python')
    assert reply.startswith("Call #1 “Triage the backlog” is open until 12 Jan 09:00 UTC. Invited 4")
    assert len(invited(harness)) == 4
    assert set(invited(harness)) <= {f"py{n}" for n in range(6)}


async def test_nobody_is_invited_more_than_twice_a_week(harness: Harness) -> None:
    """The weekly cap holds across calls; after a week members can be asked again."""
    await harness.set_level("only", 2)
    await harness.say("manager", "skills")
    for number in range(3):
        await harness.say("manager", f'call new "Call {number}" need=1')
    assert invited(harness) == ["only", "only"]
    for number in range(1, 4):
        await harness.say("manager", f"call close {number}")
    harness.later(days=7, minutes=1)
    await harness.post("only", "still here")
    await harness.say("manager", 'call new "Next week" need=1')
    assert invited(harness) == ["only", "only", "only"]


async def test_the_fourth_open_call_is_refused_with_the_open_ones(harness: Harness) -> None:
    """A community has at most 3 open calls; the refusal lists them and creates nothing."""
    for number in range(3):
        await harness.say("manager", f'call new "Call {number}" need=1')
    reply = await harness.text("manager", 'call new "One too many" need=1')
    assert reply == (
        "This community already has 3 open calls (the budget is 3): #1 “Call 0”; #2 “Call 1”; "
        "#3 “Call 2”. Close or fill one first."
    )
    assert "One too many" not in await harness.text("manager", "call list")


async def test_first_need_are_in_later_ones_waitlisted_and_promoted(harness: Harness) -> None:
    """Joining past `need` waitlists at once; a withdrawal promotes the first waitlisted."""
    await harness.say("manager", 'call new "Host the meetup" need=2 post=yes', channel="events")
    assert (await harness.text("a", "call join 1")) == "You are in: call #1 “Host the meetup”."
    assert (await harness.text("b", "call join 1")) == "You are in: call #1 “Host the meetup”."
    assert "Call #1 “Host the meetup” is filled." in harness.dm_texts("manager")
    assert "you are #1 on its waitlist" in await harness.text("c", "call join 1")
    assert "you are #2 on its waitlist" in await harness.text("d", "call join 1")
    assert "already confirmed" in await harness.text("a", "call join 1")
    assert (await harness.text("a", "call leave 1")) == "You left call #1."
    assert "A place opened: you are now in call #1" in harness.dm_texts("c")
    assert "2/2 confirmed, 1 waitlisted" in await harness.text("manager", "call list")
    updates = harness.port.to("update")
    assert updates and updates[-1].message is not None
    assert "2 of 2 confirmed, 1 waitlisted" in updates[-1].message.text


async def test_call_message_is_posted_once_and_updated_in_place(harness: Harness) -> None:
    """With post=yes the call appears once in the channel; joins edit that same message."""
    await harness.say("manager", 'call new "Review docs" need=3 post=yes', channel="general")
    posts = harness.port.to("post", "general")
    assert len(posts) == 1 and posts[0].message is not None and posts[0].message.buttons
    await harness.say("x", "call join 1")
    await harness.say("y", "call join 1")
    assert {u.target for u in harness.port.to("update")} == {"m1"}


async def test_done_credits_confirmed_members_and_refuses_strangers(harness: Harness) -> None:
    """The caller credits who fulfilled the call; naming someone not on it changes nothing."""
    await harness.say("manager", 'call new "Test the RC" need=2')
    await harness.say("a", "call join 1")
    await harness.say("b", "call join 1")
    await harness.say("carl", "skills")
    refusal = await harness.text("manager", "call done 1 @a @carl")
    assert refusal.startswith("Usage: /ladder call done") and "Not confirmed on call #1: <@carl>" in refusal
    assert "Only the caller or a manager" in await harness.text("a", "call done 1 @a")
    assert (await harness.text("manager", "call done 1 @a @b")) == "Credited <@a>, <@b> for call #1."
    again = await harness.text("manager", "call done 1 @a")
    assert again == "Already credited for call #1: <@a>. Nothing new was credited."
    async with harness.ladder.sessions() as session:
        rows = (await session.exec(select(Contribution).where(Contribution.kind == "call_fulfilled"))).all()
    assert sorted(r.points for r in rows) == [8, 8]


async def test_deadline_closes_the_call_and_tells_the_caller(harness: Harness) -> None:
    """At its deadline a call closes, its message says so and the caller hears how it went."""
    await harness.say("manager", 'call new "Translate the page" need=3 deadline=2d post=yes')
    await harness.say("a", "call join 1")
    await harness.sweep(days=2, minutes=1)
    assert "reached its deadline with 1 of 3 confirmed" in harness.dm_texts("manager")
    assert "Call #1 is closed." in await harness.text("b", "call join 1")
    last = harness.port.to("update")[-1].message
    assert last is not None and "closed" in last.text and not last.buttons


async def test_only_managers_and_co_creators_open_calls(harness: Harness) -> None:
    """Members below level 4 cannot open calls; bad options are explained."""
    await harness.set_level("helper", 3)
    assert "Calls are opened by managers and members of level 4" in await harness.text(
        "helper", 'call new "x" need=1'
    )
    assert "need= must be a whole number from 1 to 50" in await harness.text(
        "manager", 'call new "x" need=51'
    )
    assert "There is no call #7" in await harness.text("manager", "call join 7")


async def test_invitations_are_recorded_for_the_weekly_cap(harness: Harness) -> None:
    """Each invitation is stored with its time (the cap counts them)."""
    await harness.set_level("m1", 2)
    await harness.say("manager", 'call new "x" need=1')
    async with harness.ladder.sessions() as session:
        assert len((await session.exec(select(CallInvite))).all()) == 1


async def test_call_done_twice_names_who_was_already_credited(harness: Harness) -> None:
    """A second `call done` credits only who is new and says who was credited before."""
    await harness.say("manager", 'call new "Test the RC" need=2')
    await harness.say("a", "call join 1")
    await harness.say("b", "call join 1")
    assert await harness.text("manager", "call done 1 @a") == "Credited <@a> for call #1."
    assert await harness.text("manager", "call done 1 @a") == (
        "Already credited for call #1: <@a>. Nothing new was credited."
    )
    assert await harness.text("manager", "call done 1 @a @b") == (
        "Credited <@b> for call #1. Already credited for call #1: <@a>."
    )
    async with harness.ladder.sessions() as session:
        kinds = (await session.exec(select(Contribution.kind, Contribution.member_id))).all()
    assert sorted(kind for kind, _ in kinds if kind == "call_fulfilled") == ["call_fulfilled"] * 2


async def test_naming_an_unknown_member_is_refused_the_same_everywhere(harness: Harness) -> None:
    """`promote @typo` no longer creates a phantom: every command naming a stranger says so."""
    await harness.say("manager", 'call new "Test the RC" need=1')
    for command, usage in [
        ("level @typo", "level"),
        ("promote @typo 2 a typo", "promote"),
        ("demote @typo 0 a typo", "demote"),
        ("quest approve @typo read-the-guide", "quest approve"),
        ("call done 1 @typo", "call done"),
    ]:
        reply = await harness.text("manager", command)
        assert reply.startswith(f"Usage: /ladder {usage} ") and reply.endswith(
            "\nNo member 'typo' is known here yet."
        ), reply
    async with harness.ladder.sessions() as session:
        handles = (await session.exec(select(Member.external_id))).all()
    assert "typo" not in handles
