"""The digest's waitlist figure counts everyone who had to wait, whatever became of them."""

from core_harness import Harness

WAITLISTED = "Sign-ups that had to wait on a waitlist (over-subscription avoided): "


async def test_a_member_waitlisted_then_moved_into_the_call_still_counts_as_waitlisted(
    harness: Harness,
) -> None:
    """Yan waits on the waitlist, Zoe leaves, Yan moves into the call: the digest still says one
    sign-up had to wait (the waitlist did its job), not zero."""
    await harness.say("manager", 'call new "Host the meetup" need=1')
    await harness.say("zoe", "call join 1")
    assert "you are #1 on its waitlist" in await harness.text("yan", "call join 1")
    await harness.say("zoe", "call leave 1")
    assert "A place opened: you are now in call #1 “Host the meetup”." in harness.dm_texts("yan")
    harness.later(hours=1)
    (health,) = await harness.say("manager", "health")
    assert f"{WAITLISTED}1" in dict(health.fields)["Calls"]
