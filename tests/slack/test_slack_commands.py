"""Every ``/ladder`` subcommand through signed slash-command requests, asserting what Slack got."""

from slack_harness import GENERAL, HELP_CHANNEL, SlackHarness

ADMIN = "U0ADMIN"
HELPER = "U0HELPER"


async def test_help_is_acked_empty_and_answered_privately(slack: SlackHarness) -> None:
    """The ack is an empty 200; the command list follows as an ephemeral response."""
    response = await slack.command("help")
    assert response.status == 200
    assert await response.text() == ""
    (reply,) = slack.fake.to("response_url")
    assert reply.args["response_type"] == "ephemeral"
    assert "/ladder ask" in reply.args["text"]
    assert reply.blocks[0]["type"] == "header"


async def test_unknown_command_gets_the_usage_line(slack: SlackHarness) -> None:
    """A typo gets a private usage line and a reason, never an error page."""
    text = await slack.reply_text("levle")
    assert text.startswith("Usage: /ladder")


async def test_malformed_call_gets_usage_with_escaped_placeholders(slack: SlackHarness) -> None:
    """The usage line's <title> and <n> are shown literally, not parsed as Slack markup."""
    text = await slack.reply_text('call new "Docs" need=lots', user=ADMIN)
    assert text.startswith('Usage: /ladder call new "&lt;title&gt;" need=&lt;n&gt;')
    assert "need=" in text.splitlines()[1]


async def test_level_why_and_quests_for_a_newcomer(slack: SlackHarness) -> None:
    """A newcomer sees their level, what they still need and their quests, privately."""
    assert "level 0" in await slack.reply_text("level")
    assert "Next, *Participant* needs" in await slack.reply_text("why")
    assert "Say hello" in await slack.reply_text("quests")
    assert {c.args["response_type"] for c in slack.fake.to("response_url")} == {"ephemeral"}


async def test_level_of_another_member_names_them_without_pinging(slack: SlackHarness) -> None:
    """``level @member`` shows the member by name; the reply does not ping them."""
    await slack.command("help", user=HELPER)
    (reply,) = await slack.replies("level <@U0HELPER|hal>")
    assert "Hal" in reply.args["text"]
    assert "<@U0HELPER>" not in reply.all_text


async def test_skills_are_set(slack: SlackHarness) -> None:
    """Skills set by a member are confirmed back to them."""
    assert "docs, python" in await slack.reply_text("skills docs,python")


async def test_ask_posts_the_question_in_its_channel_and_tells_managers(
    slack: SlackHarness,
) -> None:
    """``/ladder ask`` posts the question in the channel; with no helpers, managers hear of it."""
    await slack.command("help", user=ADMIN)
    text = await slack.reply_text("ask How do I rebase my branch?", channel=HELP_CHANNEL)
    assert "Question #1" in text
    posted = [c for c in slack.fake.to("chat.postMessage") if c.args["channel"] == HELP_CHANNEL]
    assert len(posted) == 1 and "How do I rebase my branch?" in posted[0].args["text"]
    assert any("Unanswered" in c.args["text"] for c in slack.dms(ADMIN))


async def test_solved_credits_the_member_who_answered_in_the_thread(slack: SlackHarness) -> None:
    """Ask, a reply in the question's thread, then ``/ladder solved`` credits the helper by DM."""
    await slack.reply_text("ask How do I squash commits?", channel=HELP_CHANNEL)
    (question,) = [c for c in slack.fake.to("chat.postMessage") if c.args["channel"] == HELP_CHANNEL]
    await slack.message("git rebase -i HEAD~3", user=HELPER, thread=question.result["ts"])
    assert "accepted" not in " ".join(c.args["text"] for c in slack.dms(HELPER))
    text = await slack.reply_text("solved")
    assert "#1" in text
    assert any("accepted" in c.args["text"] for c in slack.dms(HELPER))


async def test_quest_submit_goes_to_reviewers_and_a_manager_approves(slack: SlackHarness) -> None:
    """A submission reaches a manager by DM with buttons; ``quest approve`` completes it."""
    await slack.command("help", user=ADMIN)
    await slack.reply_text("ask What is a good first issue?", channel=HELP_CHANNEL)
    text = await slack.reply_text("quest submit read-the-guide I read all of it")
    assert "Submitted" in text
    review = [c for c in slack.dms(ADMIN) if "ladder:quest_approve" in c.all_text]
    assert len(review) == 1
    approved = await slack.reply_text("quest approve <@U0JANE|jane> read-the-guide", user=ADMIN)
    assert "Jane" in approved
    assert any("Read the community guide" in c.args["text"] for c in slack.dms("U0JANE"))


async def test_quest_reject_needs_a_reason_and_tells_the_member(slack: SlackHarness) -> None:
    """A rejection with a reason reaches the member; the reviewer gets a confirmation."""
    await slack.command("help", user=ADMIN)
    await slack.reply_text("ask What is a good first issue?", channel=HELP_CHANNEL)
    await slack.command("quest submit read-the-guide skimmed it")
    before = len(slack.dms("U0JANE"))
    await slack.reply_text("quest reject <@U0JANE|jane> read-the-guide read it properly", user=ADMIN)
    assert any("read it properly" in c.args["text"] for c in slack.dms("U0JANE")[before:])


async def test_call_lifecycle_updates_the_posted_message_in_place(slack: SlackHarness) -> None:
    """A call posted with post=yes is updated in place as members join, leave and it closes."""
    opened = await slack.reply_text('call new "Review the docs" need=2 post=yes', user=ADMIN)
    assert "Call #1" in opened
    (post,) = [c for c in slack.fake.to("chat.postMessage") if c.args["channel"] == GENERAL]
    assert "ladder:call_join" in post.all_text
    assert "Review the docs" in await slack.reply_text("call list")
    assert "You are in" in await slack.reply_text("call join 1")
    assert "left" in await slack.reply_text("call leave 1")
    await slack.command("call join 1", user=HELPER)
    assert "Hal" in await slack.reply_text("call done 1 <@U0HELPER|hal>", user=ADMIN)
    assert "closed" in await slack.reply_text("call close 1", user=ADMIN)
    updates = slack.fake.to("chat.update")
    assert {(u.args["channel"], u.args["ts"]) for u in updates} == {(GENERAL, post.result["ts"])}
    assert "closed" in updates[-1].args["text"]


async def test_call_new_is_refused_to_a_newcomer(slack: SlackHarness) -> None:
    """Opening a call needs a manager or level 4: a newcomer is told, nothing is posted."""
    text = await slack.reply_text('call new "Review the docs" need=2 post=yes')
    assert "Call #1" not in text
    assert slack.fake.to("chat.postMessage") == []


async def test_health_replies_privately_and_sends_the_chart_by_dm(slack: SlackHarness) -> None:
    """``health`` answers ephemerally; the chart (no public URL possible) arrives in a DM."""
    (reply,) = await slack.replies("health", user=ADMIN)
    assert reply.args["response_type"] == "ephemeral" and "health" in reply.args["text"]
    assert [c.method for c in slack.fake.calls if c.method.startswith(("files", "upload"))] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    (complete,) = slack.fake.to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D" + ADMIN
    assert slack.fake.uploads["F0001"].startswith(b"\x89PNG")


async def test_digest_settings_are_for_managers_only(slack: SlackHarness) -> None:
    """``digest channel``/``schedule`` are refused to a member and done for an admin."""
    refused = await slack.reply_text("digest channel <#C0DIGEST|digest>")
    assert refused.startswith("Only managers can do that")
    done = await slack.reply_text("digest channel <#C0DIGEST|digest>", user=ADMIN)
    assert "<#C0DIGEST>" in done
    scheduled = await slack.reply_text('digest schedule "0 9 * * 1" tz=Europe/Berlin', user=ADMIN)
    assert "Europe/Berlin" in scheduled


async def test_a_digest_channel_slack_does_not_know_is_refused(slack: SlackHarness) -> None:
    """``conversations.info`` answering channel_not_found keeps the old setting."""
    slack.fake.missing_channels.add("C0GONE")
    reply = await slack.reply_text("digest channel <#C0GONE|gone>", user=ADMIN)
    assert "is not a channel Ladder can see. Nothing was changed." in reply
    assert slack.fake.to("conversations.info")[-1].args["channel"] == "C0GONE"


async def test_promote_is_refused_to_a_member_and_done_by_an_admin(slack: SlackHarness) -> None:
    """A manager-only command: refused for a plain member, done for a workspace admin."""
    await slack.command("help", user=HELPER)
    refused = await slack.reply_text("promote <@U0HELPER|hal> 3 knows git", user="U0JANE")
    assert refused.startswith("Only managers can do that")
    assert slack.dms(HELPER) == []
    done = await slack.reply_text("promote <@U0HELPER|hal> 3 knows git", user=ADMIN)
    assert done.startswith("Promoted @Hal to level 3")
    assert any("level to 3" in c.args["text"] for c in slack.dms(HELPER))
    groups = {g["handle"]: g["users"] for g in slack.fake.usergroups}
    assert groups["ladder-3-helper"] == [HELPER]


async def test_owner_and_config_listed_members_are_managers(slack: SlackHarness) -> None:
    """Workspace owners (users.info) and members listed in the config may manage."""
    await slack.command("help", user=HELPER)
    await slack.command("promote <@U0HELPER|hal> 3 ok", user="U0OWNER")
    demoted = await slack.reply_text("demote <@U0HELPER|hal> 2 too early", user="U0LISTED")
    assert demoted.startswith("Demoted @Hal to level 2")
    groups = {g["handle"]: g for g in slack.fake.usergroups}
    assert groups["ladder-2-contributor"]["users"] == [HELPER]
    assert groups["ladder-3-helper"]["date_delete"]


async def test_roster_lists_helpers_for_managers(slack: SlackHarness) -> None:
    """``roster`` is a manager's view of who answers questions."""
    await slack.command("help", user=HELPER)
    await slack.command("promote <@U0HELPER|hal> 3 ok", user=ADMIN)
    assert "Hal" in await slack.reply_text("roster", user=ADMIN)
    assert (await slack.reply_text("roster")).startswith("Only managers")


async def test_export_and_forget_me(slack: SlackHarness) -> None:
    """A member exports their data, is asked to confirm erasure (with a button), then erased;
    afterwards Ladder holds nothing on them."""
    assert "Ladder holds nothing on you here" in await slack.reply_text("export-me")
    await slack.command("level")
    assert "Everything Ladder holds on you" in await slack.reply_text("export-me")
    (ask,) = await slack.replies("forget-me")
    assert "ladder:forget_me" in ask.all_text
    assert "erased" in await slack.reply_text("forget-me confirm")
    assert "Ladder holds nothing on you here" in await slack.reply_text("export-me")
