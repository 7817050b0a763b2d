"""A manager's `/ladder health` names the same members as the dashboard's Ready & stalled page."""

from core_harness import INTRO_CHANNEL, Harness
from dashboard_kit import viewing
from scenario import credit_member, speak_elsewhere
from test_ready_and_stalled import approve_quests

from handlers.dashboard import ready_for_confirmation, stalled_members
from models import ContributionKind


async def test_a_manager_s_health_names_who_is_ready_and_who_is_stalled(harness: Harness) -> None:
    """Privately, the manager reads Hana as ready for Co-creator and Olga as stalled with the one
    thing she misses next (as the dashboard lists them); a member's `health` names nobody."""
    await harness.post("olga", "Hi, I'm Olga", channel=INTRO_CHANNEL)
    await speak_elsewhere(harness, "olga")
    harness.later(weeks=9)
    await harness.post("olga", "still here")
    await harness.set_level("hana", 3)
    await approve_quests(harness, "hana", 3)
    await credit_member(harness, "hana", ContributionKind.ANSWER_ACCEPTED, 10, times=15)
    await credit_member(harness, "hana", ContributionKind.CALL_FULFILLED, 8, times=2)
    (manager,) = await harness.say("manager", "health")
    fields = dict(manager.fields)
    assert fields["Ready for your confirmation"] == (
        "hana: Helper, meets every requirement of Co-creator but your confirmation"
    )
    stalled_names = fields["Stalled, by name (each with the one thing missing next)"]
    assert stalled_names == "olga: Participant, next: 16 more points (4 of 20) (and 2 more things)"
    async with viewing(harness) as scope:
        page_ready = [r.member.name for r in await ready_for_confirmation(scope)]
        page_stalled = [(s.member.name, s.next_step) for s in (await stalled_members(scope)).rows]
    assert page_ready == ["hana"] and page_stalled == [("olga", "16 more points (4 of 20)")]
    (member,) = await harness.say("olga", "health")
    assert "hana" not in str(member.fields) and "Ready for your confirmation" not in dict(member.fields)
