"""Events API deliveries: joins, help-channel messages, replies, ✅, App Home, redeliveries."""

from pathlib import Path

from slack_harness import HELP_CHANNEL, SlackHarness, payload

from bot.inbox import DatabaseStore, Inbox
from bot.slack import build_bot, create_client
from handlers.service import LadderService

MANIFEST = Path(__file__).parents[2] / "deploy" / "slack-manifest.yml"


def manifest_list(key: str) -> list[str]:
    """The items of one list in the manifest (read by hand: no YAML parser is a dependency)."""
    lines = MANIFEST.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    items = []
    for line in lines[start + 1 :]:
        if not line.strip().startswith("- ") or len(line) - len(line.lstrip()) < indent:
            break
        items.append(line.strip()[2:])
    return items


async def test_team_join_sends_the_welcome_dm_with_the_first_quest(slack: SlackHarness) -> None:
    """A member joining the workspace gets one welcome DM naming their first quest."""
    response = await slack.event(payload("event_team_join"))
    assert response.status == 200
    (opened,) = slack.fake.to("conversations.open")
    assert opened.args["users"] == "U0NEWBIE"
    (welcome,) = slack.dms("U0NEWBIE")
    assert "Welcome" in welcome.args["text"] and "Say hello" in welcome.args["text"]
    assert slack.fake.to("users.info") == []


async def test_a_bot_joining_gets_no_welcome(slack: SlackHarness) -> None:
    """Integrations added to the workspace are not members to welcome."""
    envelope = payload("event_team_join")
    envelope["event"]["user"]["is_bot"] = True
    assert (await slack.event(envelope)).status == 200
    assert slack.fake.outbound() == []


async def test_redelivered_event_is_acked_and_credited_once(slack: SlackHarness) -> None:
    """Slack's retry (X-Slack-Retry-Num) of an event is answered 200 and sends nothing twice."""
    first = await slack.event(payload("event_team_join"))
    retry = await slack.event(
        payload("event_team_join"),
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    assert len(slack.dms("U0NEWBIE")) == 1


async def test_redelivery_after_a_restart_is_still_credited_once(slack: SlackHarness) -> None:
    """A fresh process (no memory of recent events) still records an event_id once: the core
    dedupes by key in the database."""
    await slack.event(payload("event_team_join"))
    config, clock, sessions = slack.runtime.config, slack.clock, slack.runtime.sessions
    restarted = build_bot(
        create_client("xoxb-restarted", slack.fake.base_url),
        "unused",
        lambda port: LadderService(sessions, config, port, clock),
        Inbox(DatabaseStore(sessions), "slack"),
    )
    await restarted.on_event(payload("event_team_join"))
    await restarted.background.drain()
    assert len(slack.dms("U0NEWBIE")) == 1


async def test_help_channel_message_opens_a_question(slack: SlackHarness) -> None:
    """A message in a help channel becomes question #1; the asker hears where it went."""
    await slack.command("help", user="U0ADMIN")
    await slack.message("How do I rebase my branch?")
    assert any("Question #1" in c.args["text"] for c in slack.dms("U0JANE"))


async def test_message_elsewhere_is_not_a_question(slack: SlackHarness) -> None:
    """Chat outside the help channels only counts as activity: nothing is sent."""
    await slack.message("lunch anyone?", channel="C0RANDOM")
    assert slack.fake.outbound() == []


async def test_bot_posts_and_edits_are_ignored(slack: SlackHarness) -> None:
    """Another bot's post or a message edit in the help channel opens no question."""
    for name in ("event_message_bot", "event_message_changed"):
        assert (await slack.event(payload(name))).status == 200
    assert slack.fake.outbound() == []
    assert slack.fake.to("users.info") == []


async def test_thread_reply_is_an_answer_and_the_asker_can_accept_it(slack: SlackHarness) -> None:
    """A reply in the question's thread reaches the asker with a 'This answered it' button."""
    root = await slack.message("How do I rebase my branch?")
    await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    (told,) = [c for c in slack.dms("U0JANE") if "answered" in c.args["text"]]
    assert "Hal" in told.args["text"]
    assert "<@U0HELPER>" not in told.all_text
    (button,) = [e for b in told.blocks if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["value"]) == ("ladder:accept_answer", "1")


async def test_check_mark_reaction_solves_and_credits_the_helper(slack: SlackHarness) -> None:
    """✅ by the asker on a reply solves the question and credits its author by DM."""
    root = await slack.message("How do I rebase my branch?")
    reply = await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    envelope = payload("event_reaction_added")
    envelope["event"]["item"] |= {"ts": reply, "channel": HELP_CHANNEL}
    assert (await slack.event(envelope)).status == 200
    assert any("accepted" in c.args["text"] for c in slack.dms("U0HELPER"))


async def test_app_home_shows_level_needs_quests_and_calls(slack: SlackHarness) -> None:
    """Opening the Home tab publishes the member's level, what they need, quests and calls."""
    await slack.command('call new "Review the docs" need=2', user="U0ADMIN")
    assert (await slack.event(payload("event_app_home_opened"))).status == 200
    (published,) = slack.fake.to("views.publish")
    assert published.args["user_id"] == "U0JANE"
    shown = published.all_text
    for expected in ("level 0", "Next, *Participant* needs", "Say hello", "Review the docs"):
        assert expected in shown


async def test_messages_tab_opening_publishes_nothing(slack: SlackHarness) -> None:
    """Only the Home tab has a view to publish."""
    envelope = payload("event_app_home_opened")
    envelope["event"]["tab"] = "messages"
    await slack.event(envelope)
    assert slack.fake.to("views.publish") == []


async def test_url_verification_is_answered_with_the_challenge(slack: SlackHarness) -> None:
    """Saving the Request URL in Slack's settings works: the challenge is echoed."""
    response = await slack.event(payload("url_verification"))
    assert response.status == 200
    assert (await response.json())["challenge"] == payload("url_verification")["challenge"]


async def test_every_event_the_manifest_subscribes_to_is_answered_200(slack: SlackHarness) -> None:
    """An unhandled event gets 404 from Bolt and Slack retries it: each subscription has a
    listener."""
    events = manifest_list("bot_events")
    assert "team_join" in events and "app_home_opened" in events
    for number, name in enumerate(events):
        kind = name.split(".")[0]
        envelope = payload("event_message")
        envelope["event"] = {
            "type": kind,
            "user": "U0JANE",
            "channel": "C0RANDOM",
            "ts": f"1700000000.{number:06d}",
            "text": "hi",
            "tab": "messages",
            "item": {"type": "message", "channel": "C0RANDOM", "ts": "1.0"},
            "reaction": "eyes",
        }
        if kind == "team_join":
            envelope["event"]["user"] = {"id": "U0NEW2", "name": "new2"}
        envelope["event_id"] = f"Ev0MANIFEST{number}"
        assert (await slack.event(envelope)).status == 200, name
