"""Block Kit button clicks (``block_actions``), from messages and from the App Home tab."""

from slack_harness import HELP_CHANNEL, SlackHarness

ADMIN = "U0ADMIN"
HELPER = "U0HELPER"


async def open_call(slack: SlackHarness) -> None:
    """An admin opens call #1 (with Join/Leave buttons)."""
    await slack.command('call new "Review the docs" need=2 post=yes', user=ADMIN)


def clicked_replies(slack: SlackHarness) -> list[str]:
    """Texts sent back through the click's response_url."""
    return [c.args["text"] for c in slack.fake.to("response_url") if c.args.get("text")]


async def test_join_and_leave_buttons(slack: SlackHarness) -> None:
    """Join and Leave on a call's message answer the clicker privately and update the post."""
    await open_call(slack)
    before = len(slack.fake.to("response_url"))
    response = await slack.click("ladder:call_join", "1")
    assert response.status == 200
    await slack.click("ladder:call_leave", "1")
    join, leave = slack.fake.to("response_url")[before:]
    assert "You are in" in join.args["text"] and "left" in leave.args["text"]
    assert {r.args["response_type"] for r in (join, leave)} == {"ephemeral"}
    assert (join.args["replace_original"], leave.args["replace_original"]) == (False, False)
    assert len(slack.fake.to("chat.update")) == 2


async def test_second_join_button_id_still_joins(slack: SlackHarness) -> None:
    """A suffixed action_id (two Join buttons in one message) means the same action."""
    await open_call(slack)
    await slack.click("ladder:call_join:1", "1")
    assert "You are in" in clicked_replies(slack)[-1]


async def submitted(slack: SlackHarness) -> str:
    """Jane reaches level 1 and submits a quest; returns the review button's value."""
    await slack.command("help", user=ADMIN)
    await slack.command("ask What is a good first issue?", channel=HELP_CHANNEL)
    await slack.command("quest submit read-the-guide I read all of it")
    (review,) = [c for c in slack.dms(ADMIN) if "ladder:quest_approve" in c.all_text]
    (approve, _) = [e for b in review.blocks if b["type"] == "actions" for e in b["elements"]]
    return str(approve["value"])


async def test_approve_button_completes_the_quest(slack: SlackHarness) -> None:
    """A reviewer's Approve click completes the member's quest and tells them by DM."""
    value = await submitted(slack)
    before = len(slack.dms("U0JANE"))
    await slack.click("ladder:quest_approve", value, user=ADMIN)
    assert any("Read the community guide" in c.args["text"] for c in slack.dms("U0JANE")[before:])


async def test_reject_button_returns_the_quest(slack: SlackHarness) -> None:
    """A reviewer's Reject click returns the submission to the member with a note."""
    value = await submitted(slack)
    before = len(slack.dms("U0JANE"))
    await slack.click("ladder:quest_reject", value, user=ADMIN)
    assert slack.dms("U0JANE")[before:], "the member hears of the rejection"


async def answered(slack: SlackHarness, question: str = "How do I rebase my branch?") -> None:
    """Jane asks in #help and Hal replies in the thread."""
    root = await slack.message(question)
    await slack.message("git rebase origin/main", user=HELPER, thread=root)


async def test_this_answered_it_button_credits_the_helper(slack: SlackHarness) -> None:
    """The asker's 'This answered it' click solves the question and credits the helper."""
    await answered(slack)
    await slack.click("ladder:accept_answer", "1")
    assert any("accepted" in c.args["text"] for c in slack.dms(HELPER))


async def test_earlier_answer_buttons(slack: SlackHarness) -> None:
    """A near-duplicate question is offered the earlier answer; 'yes' and 'no, ask helpers'
    are both answered."""
    await answered(slack)
    await slack.click("ladder:accept_answer", "1")
    await slack.message("How do I rebase my branch onto main?", user="U0NEWBIE")
    (offer,) = [c for c in slack.dms("U0NEWBIE") if "ladder:earlier_answer_helped" in c.all_text]
    assert "git rebase origin/main" in offer.args["text"]
    await slack.click("ladder:earlier_answer_helped", "2", user="U0NEWBIE")
    assert "Glad it helped" in clicked_replies(slack)[-1]
    await slack.click("ladder:ask_helpers", "2", user="U0NEWBIE")
    assert "Question #2" in clicked_replies(slack)[-1]


async def test_forget_me_button_erases(slack: SlackHarness) -> None:
    """The confirmation button erases the member's data; pressed again, there is nothing left."""
    await slack.command("level")
    await slack.click("ladder:forget_me", "confirm")
    assert "erased" in clicked_replies(slack)[-1]
    await slack.click("ladder:forget_me", "confirm")
    assert clicked_replies(slack)[-1].startswith("Ladder holds nothing on you here")


async def test_forged_or_stale_button_gets_a_clear_reply(slack: SlackHarness) -> None:
    """A button Ladder no longer knows is answered plainly, not with an error."""
    await slack.click("ladder:teleport", "1")
    assert "no longer supported" in clicked_replies(slack)[-1]


async def test_click_in_the_app_home_replies_by_dm_and_refreshes_the_tab(
    slack: SlackHarness,
) -> None:
    """The Home tab has no response_url: the answer comes by DM and the tab is republished."""
    await open_call(slack)
    response = await slack.click("ladder:call_join", "1", home=True)
    assert response.status == 200
    assert any("You are in" in c.args["text"] for c in slack.dms("U0JANE"))
    (published,) = slack.fake.to("views.publish")
    assert "1 of 2" in published.all_text or "1/2" in published.all_text
