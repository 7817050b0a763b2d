"""Managers' digest settings and members' skills: validated before anything changes."""

from core_harness import Harness
from sqlmodel import select

from models import Community


async def stored_community(harness: Harness) -> Community:
    """The test community's row."""
    async with harness.ladder.sessions() as session:
        return (await session.exec(select(Community))).one()


async def test_digest_channel_must_exist(harness: Harness) -> None:
    """A channel the platform doesn't know is refused and the setting is kept."""
    harness.port.channels = {"health"}
    assert "The digest will be posted in <#health>." in await harness.text(
        "manager", "digest channel #health"
    )
    reply = await harness.text("manager", "digest channel #nowhere")
    assert reply.startswith("Usage: /ladder digest channel #channel")
    assert "<#nowhere> is not a channel Ladder can see. Nothing was changed." in reply
    assert (await stored_community(harness)).digest_channel == "health"


async def test_members_cannot_move_the_digest(harness: Harness) -> None:
    """Only managers change digest settings; the refusal comes before any lookup."""
    harness.port.channels = set()
    assert (await harness.text("member", "digest channel #x")).startswith("Only managers can do that.")


async def test_invalid_cron_or_time_zone_changes_nothing(harness: Harness) -> None:
    """Five fields, valid ranges, crontab weekdays, and a real IANA zone are required."""
    reply = await harness.text("manager", 'digest schedule "0 9 * * 1" tz=Europe/Paris')
    assert reply == "The digest will be posted on “0 9 * * 1” in Europe/Paris time."
    for bad, reason in [
        ('digest schedule "0 9 * *"', "a cron has five fields"),
        ('digest schedule "0 25 * * 1"', "hour '25'"),
        ('digest schedule "0 9 * * 8"', "weekday '8' is not valid"),
        ('digest schedule "0 9 * * 1" tz=Mars/Base', "unknown time zone 'Mars/Base'"),
        ('digest schedule "* * * * *"', "'* * * * *' fires more than once a day"),
    ]:
        answer = await harness.text("manager", bad)
        assert answer.startswith("Usage: /ladder digest schedule") and reason in answer
    community = await stored_community(harness)
    assert (community.digest_cron, community.timezone) == ("0 9 * * 1", "Europe/Paris")


async def test_skills_are_shown_and_set(harness: Harness) -> None:
    """Members set the skills calls match on; bad tags are explained."""
    assert "Your skills are: none yet." in await harness.text("sam", "skills")
    assert "Your skills are now: docs, python." in await harness.text("sam", "skills Python, docs")
    assert "'c$' is not a skill" in await harness.text("sam", "skills c$")


async def test_the_digest_fires_at_most_once_per_24_hours(harness: Harness) -> None:
    """A schedule that would post more than once a day is refused with the reason; daily is fine."""
    for cron in ("* * * * *", "0 9,21 * * *", "*/30 9 * * 1", "0 8-17 * * 1-5", "0 */12 * * *"):
        reply = await harness.text("manager", f'digest schedule "{cron}"')
        assert reply == (
            'Usage: /ladder digest schedule "<cron>" [tz=<Area/City>]\n'
            f"cron: {cron!r} fires more than once a day, and the digest is posted at most once per "
            '24 hours: give one minute and one hour (like "0 9 * * 1", Mondays 09:00). '
            "Nothing was changed."
        )
        assert (await stored_community(harness)).digest_cron is None
    for cron in ("0 9 * * *", "59 23 1,2 * *", "0 0 1 1 *"):
        reply = await harness.text("manager", f'digest schedule "{cron}"')
        assert reply == f"The digest will be posted on “{cron}” in UTC time."
