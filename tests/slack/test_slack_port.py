"""SlackChatPort against the fake Web API: each send, user groups, files v2, errors and 429s."""

from collections.abc import AsyncIterator

import pytest
from fake_slack import TEAM_ID, FakeSlack

from bot.slack import SlackChatPort, create_client
from bot.slack._managers import MemberDirectory
from handlers.kernel import Button, ChatError, CommunityRef, Image, Message, MessageRef

TEAM = CommunityRef("slack", TEAM_ID)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def port(fake: FakeSlack) -> AsyncIterator[SlackChatPort]:
    """The port on the real AsyncWebClient (with its retry handlers) pointed at the fake."""
    client = create_client("xoxb-port-test", fake.base_url)
    yield SlackChatPort(client, MemberDirectory(client))


async def test_post_sends_blocks_and_returns_the_ts(port: SlackChatPort, fake: FakeSlack) -> None:
    """A channel post carries blocks, fallback text and the bot token; its ts comes back."""
    message = Message(text="Call #1 is open", title="Review", buttons=(Button("Join", "call_join", "1"),))
    ref = await port.post(TEAM, "C0GENERAL", message)
    (call,) = fake.to("chat.postMessage")
    assert ref == MessageRef("C0GENERAL", call.result["ts"])
    assert call.token == "xoxb-port-test"
    assert call.args["text"] == "Review\nCall #1 is open"
    assert [b["type"] for b in call.blocks] == ["header", "section", "actions"]
    assert call.args["link_names"] is False


async def test_dm_opens_the_conversation_once(port: SlackChatPort, fake: FakeSlack) -> None:
    """DMs open the member's IM channel once, then post there."""
    await port.dm(TEAM, "U0JANE", Message(text="one"))
    await port.dm(TEAM, "U0JANE", Message(text="two"))
    assert len(fake.to("conversations.open")) == 1
    assert [c.args["channel"] for c in fake.to("chat.postMessage")] == ["DU0JANE", "DU0JANE"]


async def test_update_rewrites_the_posted_message(port: SlackChatPort, fake: FakeSlack) -> None:
    """An update targets the posted message's channel and ts."""
    parent = await port.post(TEAM, "C0HELP", Message(text="Question #1"))
    await port.update(TEAM, parent, Message(text="Question #1 (solved)"))
    (update,) = fake.to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == ("C0HELP", parent.message_id)
    assert update.args["text"] == "Question #1 (solved)"


async def test_unlisted_member_is_named_from_users_info(port: SlackChatPort, fake: FakeSlack) -> None:
    """A member a message may not ping is shown by display name, looked up once."""
    fake.add_user("U0HAL", "Hal")
    await port.post(TEAM, "C0X", Message(text="Thanks <@U0HAL> and <@U0HAL>!"))
    await port.post(TEAM, "C0X", Message(text="Again <@U0HAL>"))
    texts = [c.args["text"] for c in fake.to("chat.postMessage")]
    assert texts == ["Thanks @Hal and @Hal!", "Again @Hal"]
    assert len(fake.to("users.info")) == 1


async def test_image_upload_uses_files_v2(port: SlackChatPort, fake: FakeSlack) -> None:
    """The digest chart: message first, then the three-step files v2 upload into the channel."""
    image = Image("ladder.png", PNG, alt="Members per level")
    ref = await port.upload_image(TEAM, "C0DIGEST", image, Message(text="Weekly health", title="Digest"))
    methods = [c.method for c in fake.calls]
    assert methods == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    (url,) = fake.to("files.getUploadURLExternal")
    assert (url.args["filename"], int(url.args["length"])) == ("ladder.png", len(PNG))
    assert url.args["alt_txt"] == "Members per level"
    (complete,) = fake.to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "C0DIGEST"
    assert fake.uploads["F0001"] == PNG
    assert ref.channel_id == "C0DIGEST"


async def test_level_groups_move_the_member(port: SlackChatPort, fake: FakeSlack) -> None:
    """A promotion creates the level's user group, adds the member and empties the old one."""
    await port.set_level_role(TEAM, "U0HAL", 2, "Contributor")
    await port.set_level_role(TEAM, "U0ANN", 2, "Contributor")
    await port.set_level_role(TEAM, "U0HAL", 3, "Helper")
    groups = {g["handle"]: g for g in fake.usergroups}
    assert groups["ladder-2-contributor"]["users"] == ["U0ANN"]
    assert groups["ladder-3-helper"]["users"] == ["U0HAL"]
    await port.set_level_role(TEAM, "U0ANN", 3, "Helper")
    assert groups["ladder-2-contributor"]["date_delete"], "an emptied group is disabled"
    await port.set_level_role(TEAM, "U0ANN", 2, "Contributor")
    assert groups["ladder-2-contributor"]["date_delete"] == 0
    assert groups["ladder-2-contributor"]["users"] == ["U0ANN"]


@pytest.mark.parametrize("error", ["missing_scope", "not_allowed_token_type", "paid_teams_only"])
async def test_user_groups_refused_is_a_permission_error(
    port: SlackChatPort, fake: FakeSlack, error: str
) -> None:
    """Without the right to manage user groups, the core is told it is a permission matter."""
    fake.fail("usergroups.list", error)
    with pytest.raises(ChatError) as raised:
        await port.set_level_role(TEAM, "U0HAL", 3, "Helper")
    assert raised.value.permission
    assert error in str(raised.value)


async def test_send_failure_is_a_chat_error(port: SlackChatPort, fake: FakeSlack) -> None:
    """A post Slack refuses raises ChatError (not a permission problem) for the core to log."""
    fake.fail("chat.postMessage", "channel_not_found")
    with pytest.raises(ChatError) as raised:
        await port.post(TEAM, "C0GONE", Message(text="hello"))
    assert not raised.value.permission


async def test_unreachable_slack_is_a_chat_error(fake: FakeSlack) -> None:
    """A connection failure (after slack_sdk's retry) is a ChatError, not a crash."""
    client = create_client("xoxb-1", "http://127.0.0.1:9/api/")
    port = SlackChatPort(client, MemberDirectory(client))
    with pytest.raises(ChatError):
        await port.post(TEAM, "C0X", Message(text="hello"))


async def test_rate_limit_is_retried_after_retry_after(port: SlackChatPort, fake: FakeSlack) -> None:
    """A 429 with Retry-After is waited out and retried: the message goes out once."""
    fake.throttle("chat.postMessage", retry_after=0)
    ref = await port.post(TEAM, "C0GENERAL", Message(text="hello"))
    calls = fake.to("chat.postMessage")
    assert len(calls) == 2
    assert calls[0].result == {} and ref.message_id == calls[1].result["ts"]
