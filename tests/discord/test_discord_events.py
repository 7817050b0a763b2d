"""Events through the real client and the real core: joins, help channels, forums, ✅, resumes."""

import asyncio
from typing import Any

from discord_harness import Running
from fake_discord import CHANNELS, EPHEMERAL, FakeDiscord, uid
from sqlmodel import func, select

from models import ActiveDay, Answer, Member, ProcessedEvent, Question, QuestionStatus

NO_PINGS: dict[str, list[object]] = {"parse": [], "users": []}


async def settle(live: Running) -> None:
    """Let the client finish the events it received (handlers run as tasks) and send their
    notices (they go out after the commit, in the background)."""
    for _ in range(50):
        await asyncio.sleep(0.02)
        pending = [t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_")]
        if not pending:
            break
    if live.client is not None:
        await asyncio.wait_for(live.client.settled(), 5)


async def count(live: Running, model: type, *where: Any) -> int:
    """Count rows in the real database."""
    async with live.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model).where(*where))).one())


async def register_manager(fake: FakeDiscord) -> None:
    """Mara (Manage Server) runs a command, so the core knows its manager."""
    await (await fake.command("mara", "roster")).callback()


async def test_member_join_gets_welcome_dm_with_first_quest(live: Running, fake: FakeDiscord) -> None:
    """GUILD_MEMBER_ADD → a DM channel is opened and the welcome names the first quest."""
    newt = await fake.join("newt")
    (welcome,) = await fake.wait_dms(newt)
    assert "Welcome" in welcome.content
    assert "Say hello" in welcome.content
    assert welcome.body["allowed_mentions"] == NO_PINGS
    assert str(fake.find("POST", "/users/@me/channels")[0].body["recipient_id"]) == newt


async def test_help_channel_question_then_thread_reply_then_check_mark(
    live: Running, fake: FakeDiscord
) -> None:
    """A #help message is a question; a reply in its thread answers it; the asker's ✅ solves it."""
    await register_manager(fake)
    question_id = await fake.say("alice", "How do I rotate the webhook token safely?", "help")
    (told,) = await fake.wait_dms(uid("mara"))
    assert "rotate the webhook token" in told.content
    await fake.open_thread(question_id, "help")
    reply_id = await fake.say("bob", "Use the rotate button in settings, then redeploy.", int(question_id))
    answered = await fake.wait_dm(uid("alice"), "replied to your question")
    assert answered.custom_ids and answered.custom_ids[0].startswith("ladder:accept_answer:")
    await fake.react("alice", reply_id, int(question_id))
    await fake.wait_dm(uid("bob"), "was accepted")
    async with live.sessions() as session:
        question = (await session.exec(select(Question))).one()
        assert question.status == QuestionStatus.SOLVED
        assert question.thread_id == question_id


async def test_forum_post_is_a_question_and_its_replies_answers(live: Running, fake: FakeDiscord) -> None:
    """A new help-forum post opens a question titled by the post; a reply in it is an answer."""
    await register_manager(fake)
    post = await fake.open_forum_post("alice", "Webhook retries keep failing", "They stop after 3 tries.")
    (told,) = await fake.wait_dms(uid("mara"))
    assert "Webhook retries keep failing" in told.content
    await fake.say("bob", "Raise max_retries in the config.", int(post))
    await fake.wait_dm(uid("alice"), "replied to your question")
    async with live.sessions() as session:
        question = (await session.exec(select(Question))).one()
        assert question.channel_id == CHANNELS["help-forum"]
        assert question.thread_id == post
        assert len((await session.exec(select(Answer))).all()) == 1


async def test_plain_messages_are_activity_only(live: Running, fake: FakeDiscord) -> None:
    """A #general message opens no question and earns no points; it counts an active day."""
    await fake.say("carol", "good morning all", "general")
    await settle(live)
    assert await count(live, Question) == 0
    assert await count(live, ActiveDay) == 1


async def test_bots_are_skipped(live: Running, fake: FakeDiscord) -> None:
    """Another bot's message in #help is not a question and not recorded."""
    await fake.say("otherbot", "Automated: build failed, anyone?", "help")
    await settle(live)
    assert await count(live, ProcessedEvent) == 0


async def test_mention_injection_never_pings(live: Running, fake: FakeDiscord) -> None:
    """@everyone, @here and a role mention in a question reach managers inert, with no pings."""
    await register_manager(fake)
    role = "<@&900000000000000202>"
    await fake.say("alice", f"@everyone @here {role} why is the build red?", "help")
    (told,) = await fake.wait_dms(uid("mara"))
    assert told.body["allowed_mentions"]["parse"] == []
    assert told.body["allowed_mentions"]["users"] == []
    assert "@everyone" not in told.content and "@here" not in told.content
    assert role not in told.content
    for request in fake.find("POST", r"/channels/\d+/messages"):
        assert request.body["allowed_mentions"]["parse"] == []


async def test_redelivery_after_resume_is_credited_once(live: Running, fake: FakeDiscord) -> None:
    """MESSAGE_CREATE redelivered after a RESUME is recorded once; the resumed session works."""
    await register_manager(fake)
    message_id = await fake.say("alice", "Where are the release notes kept?", "help")
    await fake.wait_dms(uid("mara"))
    await fake.reconnect()
    assert [r["session_id"] for r in fake.resumes] == ["session-1"]
    await fake.say("alice", "Where are the release notes kept?", "help", message_id=message_id)
    await fake.say("alice", "Which branch do hotfixes go to?", "help")
    await fake.wait_dms(uid("mara"), count=2)
    await settle(live)
    assert await count(live, Question) == 2
    assert len(fake.dms(uid("mara"))) == 2
    assert len(fake.identifies) == 1


async def test_a_reaction_on_a_plain_message_accepts_nothing(live: Running, fake: FakeDiscord) -> None:
    """A 👍 on chat is recorded once (activity) and accepts no answer."""
    await fake.react("alice", "123", "general", emoji="👍")
    await fake.react("alice", "123", "general", emoji="👍")
    await settle(live)
    assert await count(live, ProcessedEvent) == 1
    assert await count(live, Answer) == 0


async def test_reply_in_a_thread_the_cache_does_not_know_still_answers(
    live: Running, fake: FakeDiscord
) -> None:
    """After a restart an old thread may be unknown to the cache: its messages still answer."""
    await register_manager(fake)
    question_id = await fake.say("alice", "Is there a staging server?", "help")
    await fake.wait_dms(uid("mara"))
    await fake.say("bob", "Yes: staging.example.org", int(question_id))
    await fake.wait_dm(uid("alice"), "replied to your question")


async def test_accept_answer_button_in_the_askers_dm_solves(live: Running, fake: FakeDiscord) -> None:
    """“This answered it” clicked in the asker's DM solves the question and credits the helper."""
    await register_manager(fake)
    question_id = await fake.say("alice", "How do I reset my API key?", "help")
    await fake.wait_dms(uid("mara"))
    await fake.open_thread(question_id, "help")
    await fake.say("bob", "Settings → API → Reset.", int(question_id))
    answered = await fake.wait_dm(uid("alice"), "replied to your question")
    (button,) = answered.custom_ids
    (message_id,) = answered.created
    click = await fake.click("alice", message_id, button, in_dm=True)
    assert (await click.callback()).flags == EPHEMERAL
    await fake.wait_dm(uid("bob"), "was accepted")
    async with live.sessions() as session:
        assert (await session.exec(select(Question))).one().status == QuestionStatus.SOLVED


async def test_closed_dms_lose_no_record(live: Running, fake: FakeDiscord) -> None:
    """A newcomer whose privacy settings refuse DMs: the welcome fails, the member is kept."""
    newt = await fake.join("newt", dms_open=False)
    await fake.wait_for_any(r"/channels/\d+/messages")
    await settle(live)
    assert await count(live, Member, Member.external_id == newt) == 1
    assert not [r for r in fake.dms(newt) if r.created]


async def test_inline_reply_in_a_help_channel_answers_instead_of_asking(
    live: Running, fake: FakeDiscord
) -> None:
    """Discord's "Reply" to a question in #help is an answer to it, not a new question."""
    await register_manager(fake)
    question_id = await fake.say("alice", "Which Python version is supported?", "help")
    await fake.wait_dms(uid("mara"))
    await fake.say("bob", "3.11 and newer.", "help", replying_to=question_id)
    await fake.wait_dm(uid("alice"), "replied to your question")
    assert await count(live, Question) == 1
