"""Member text Ladder repeats in Discord DMs (a promote reason, a call title) never pings a crowd.

Discord pings ``@everyone_x`` and ``@here2`` as readily as ``@everyone``; Ladder's embeds must
show them inert, and every send must allow no mass ping at all.
"""

import re

from discord_harness import Running
from fake_discord import FakeDiscord, Member, uid
from test_discord_events import register_manager

TRAPS = "@everyone_x @here2 x@everyone <@&900000000000000202>"
LIVE = re.compile(r"@(?:everyone|here)|<@&")


async def test_promote_reason_and_call_title_reach_dms_inert(live: Running, fake: FakeDiscord) -> None:
    """The reason in the member's "level changed" DM and the title of a call invitation read
    the same, ping nobody, and allow no mass mention."""
    await register_manager(fake)
    await (await fake.command("bob", "ask", question="Where are the release notes?")).callback()
    promote = await fake.command(
        "mara", "promote", who=Member("bob"), level="Helper", reason=f"Great work {TRAPS}"
    )
    await promote.callback()
    told = await fake.wait_dm(uid("bob"), "Reason: Great work")
    call = await fake.command("mara", "call new", title=f"Party {TRAPS}", need=1)
    await call.callback()
    invited = await fake.wait_dm(uid("bob"), "Party")
    for dm in (told, invited):
        assert LIVE.search(dm.content) is None, dm.content
        assert "\u200beveryone_x" in dm.content and "\u200bhere2" in dm.content
        assert dm.body["allowed_mentions"] == {"parse": [], "users": []}
    assert invited.body["embeds"][0]["title"].startswith("Call #1: Party @\u200beveryone_x")
