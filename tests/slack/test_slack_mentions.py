"""Member text Ladder repeats in Slack DMs and posts (a promote reason, a call title) is inert,
in the header, the blocks and the notification text alike."""

import re

from slack_harness import SlackHarness

ADMIN, HELPER = "U0ADMIN", "U0HELPER"
TRAPS = "@everyone_x @here2 x@channel <!here|here> <!subteam^S1> <@U999>"
LIVE = re.compile(r"<!|<@|@(?:everyone|here|channel)", re.IGNORECASE)


async def test_promote_reason_and_call_title_are_inert_everywhere(slack: SlackHarness) -> None:
    """The level-changed DM, the invitation's header and the call's channel post show the text
    with nothing Slack would turn into a ping."""
    await slack.command("ask Where are the release notes?", user=HELPER)
    await slack.command(f"promote <@{HELPER}|hal> 3 Great work {TRAPS}", user=ADMIN)
    await slack.command(f'call new "Party {TRAPS}" need=1 post=yes', user=ADMIN)
    told, invited = slack.dms(HELPER)[-2:]
    assert "Reason: Great work @\u200beveryone_x @\u200bhere2" in told.args["text"]
    header = invited.blocks[0]
    assert header["type"] == "header"
    assert header["text"]["text"].startswith("Call #1: Party @\u200beveryone_x @\u200bhere2 x@\u200bchannel")
    assert "@U999" in header["text"]["text"]
    for call in slack.fake.outbound():
        assert LIVE.search(call.all_text) is None, call.all_text
