"""Notices go out after the commit: a platform that fails or refuses never loses a record."""

from core_harness import COMMUNITY, INTRO_CHANNEL, Harness
from sqlmodel import select

from handlers.kernel import Actor, CommunityRef, Context
from models import Question


async def test_a_failed_send_keeps_the_record_and_the_reply(harness: Harness) -> None:
    """With every send failing, the question is still stored and the asker still answered."""
    await harness.set_level("helper", 2)
    harness.port.fail_sends = True
    reply = await harness.text("newbie", "ask Where is the roadmap?", channel="help")
    assert reply.startswith("Question #1 is with 1 Contributor helper.")
    async with harness.ladder.sessions() as session:
        stored = (await session.exec(select(Question))).one()
    assert stored.text == "Where is the roadmap?" and stored.thread_id is None
    harness.port.fail_sends = False
    await harness.sweep(minutes=31)
    assert "Unanswered after every tier" in [m.title for m in harness.dms("manager")]


async def test_refused_level_roles_tell_managers_once(harness: Harness) -> None:
    """A platform that may not manage roles: levels still change, managers hear it once."""
    harness.port.refuse_roles = True
    await harness.say("manager", "skills")
    await harness.post("ann", "Hi!", channel=INTRO_CHANNEL)
    await harness.post("bob", "Hi!", channel=INTRO_CHANNEL)
    assert (await harness.member("ann")).level == 1 and (await harness.member("bob")).level == 1
    warnings = [m for m in harness.dms("manager") if m.title == "Level roles are off"]
    assert len(warnings) == 1 and "could not mirror levels as roles" in warnings[0].text


async def test_a_sweep_sends_each_communitys_notices_for_that_community(harness: Harness) -> None:
    """Two communities whose managers have the same platform id each open a call; the sweep
    closes both at their deadline and tells each caller on behalf of their own community."""
    other = CommunityRef("console", "other-community", "Other community")
    manager = Actor("manager", "manager", is_admin=True)
    await harness.say("manager", 'call new "Docs sprint" need=1 deadline=2d')
    await harness.ladder.command(Context(other, manager), 'call new "Triage" need=1 deadline=2d')
    harness.port.clear()
    await harness.sweep(days=3)
    told = {
        (s.community.external_id, s.message.text.split("”")[0])
        for s in harness.port.to("dm", "manager")
        if s.message
    }
    assert told == {(COMMUNITY.external_id, "Call #1 “Docs sprint"), ("other-community", "Call #2 “Triage")}
