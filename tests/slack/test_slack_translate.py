"""Captured Slack payloads → the core's neutral events, and the ones Ladder must ignore."""

from slack_harness import payload

from bot.slack import _translate
from bot.slack._managers import actor_from_user
from handlers.kernel import Actor, EventKind

JANE = Actor("U0JANE", "Jane")


def test_plain_message_is_a_message_with_its_ts_and_no_thread() -> None:
    """A message carries its ts as id and is keyed by channel and ts (as an export keys it),
    not by the delivery's event_id."""
    event = _translate.to_event(payload("event_message"), JANE)
    assert event is not None
    assert (event.kind, event.key, event.channel_id) == (
        EventKind.MESSAGE,
        "slack:C0HELP:1700000100.000200",
        "C0HELP",
    )
    assert (event.message_id, event.thread_id) == ("1700000100.000200", None)
    assert event.community.external_id == "T0LADDER"
    assert event.at.timestamp() == 1700000100


def test_thread_reply_points_at_its_root_and_is_unescaped() -> None:
    """A thread reply names its root; Slack's &amp; comes back as the & the member typed."""
    event = _translate.to_event(payload("event_message_thread_reply"), Actor("U0HELPER"))
    assert event is not None
    assert event.thread_id == "1700000100.000200"
    assert event.text == "Run `git rebase origin/main` & fix conflicts as they come."


def test_bot_posts_and_edits_are_not_member_messages() -> None:
    """Bot posts and message_changed notices are not a member speaking."""
    assert _translate.to_event(payload("event_message_bot"), JANE) is None
    assert _translate.to_event(payload("event_message_changed"), JANE) is None


def test_thread_broadcast_counts_as_a_message() -> None:
    """'Also send to channel' replies are still the member's reply in the thread."""
    envelope = payload("event_message_thread_reply")
    envelope["event"]["subtype"] = "thread_broadcast"
    event = _translate.to_event(envelope, JANE)
    assert event is not None and event.thread_id == "1700000100.000200"


def test_reaction_names_the_message_reacted_to_and_its_key_drops_skin_tone() -> None:
    """✅ on a reply is a reaction on that reply's ts, keyed by message, member and emoji: the same
    reaction delivered again (another event_id) or with another skin tone is the same key."""
    envelope = payload("event_reaction_added")
    event = _translate.to_event(envelope, JANE)
    assert event is not None
    assert (event.kind, event.message_id, event.text) == (
        EventKind.REACTION,
        "1700000200.000300",
        "white_check_mark",
    )
    envelope["event"]["reaction"] = "+1::skin-tone-3"
    toned = _translate.to_event(envelope, JANE)
    envelope["event"]["reaction"] = "+1"
    envelope["event_id"] = "Ev0REDELIVERED"
    plain = _translate.to_event(envelope, JANE)
    assert toned is not None and plain is not None and toned.text == "+1::skin-tone-3"
    assert toned.key == plain.key == "slack:C0HELP:1700000200.000300:U0JANE:+1"


def test_mentions_are_the_members_a_message_names() -> None:
    """``<@U…>`` and ``<@U…|name>`` mentions become the event's mentions, each once."""
    envelope = payload("event_message_thread_reply")
    envelope["event"]["text"] = "thanks <@U0HELPER>! and <@U0OTHER|Olga>, <@U0HELPER>"
    event = _translate.to_event(envelope, JANE)
    assert event is not None and event.mentions == ("U0HELPER", "U0OTHER")


def test_team_join_is_a_member_joining_with_their_profile() -> None:
    """team_join carries the whole user: name and admin flags come from it, no lookup needed."""
    envelope = payload("event_team_join")
    actor = actor_from_user(envelope["event"]["user"])
    assert actor == Actor("U0NEWBIE", "Nia", is_admin=False, is_bot=False)
    event = _translate.to_event(envelope, actor)
    assert event is not None and event.kind is EventKind.MEMBER_JOINED


def test_workspace_owner_counts_as_admin() -> None:
    """Owners and primary owners manage Ladder like admins do (DESIGN.md: managers)."""
    user = payload("event_team_join")["event"]["user"] | {"is_primary_owner": True}
    assert actor_from_user(user).is_admin


def test_slash_command_context() -> None:
    """A slash command's workspace, channel and member become the command's context."""
    ctx = _translate.command_context(payload("slash_command"), JANE)
    assert (ctx.community.platform, ctx.community.external_id) == ("slack", "T0LADDER")
    assert (ctx.channel_id, ctx.thread_id, ctx.actor) == ("C0GENERAL", None, JANE)


def test_button_context_in_a_message_and_in_the_home_tab() -> None:
    """A click knows its channel in a message, and has none in the App Home."""
    in_message = _translate.action_context(payload("block_actions"), JANE)
    assert (in_message.community.external_id, in_message.channel_id) == ("T0LADDER", "C0GENERAL")
    at_home = _translate.action_context(payload("block_actions_home"), JANE)
    assert (at_home.community.external_id, at_home.channel_id) == ("T0LADDER", None)
