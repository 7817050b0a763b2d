"""Commands, buttons, roles and autocomplete through the real client and the real core."""

from discord_harness import Running
from fake_discord import CHANNELS, EPHEMERAL, GUILD, ROLES, Channel, FakeDiscord, Member, uid
from sqlmodel import select

from models import Call, CallSignup, Community
from models import Member as Row

ALICE, BOB = uid("alice"), uid("bob")


async def ask(fake: FakeDiscord, who: str, path: str, /, **options: object) -> str:
    """Run a command and return what the member was shown (and check it was private)."""
    sent = await fake.command(who, path, **options)
    callback = await sent.callback()
    assert callback.flags == EPHEMERAL, callback.content
    return str(await sent.text())


async def test_member_commands(live: Running, fake: FakeDiscord) -> None:
    """help, level, why, quests, skills and export-me answer privately, in the core's words."""
    assert "`/ladder call new" in await ask(fake, "alice", "help")
    assert "Usage: /ladder call new" in await ask(fake, "alice", "help", command="call new")
    assert "Newcomer" in await ask(fake, "alice", "level")
    assert "Participant" in await ask(fake, "alice", "why")
    assert "Say hello" in await ask(fake, "alice", "quests")
    await ask(fake, "alice", "skills", skills="python,docs")
    assert "python" in await ask(fake, "alice", "skills")
    export = await ask(fake, "alice", "export-me")
    assert '"skills"' in export or "python" in export
    assert "Newcomer" in await ask(fake, "bob", "level", who=Member("alice"))


async def test_malformed_input_gets_usage_privately(live: Running, fake: FakeDiscord) -> None:
    """need=0 fails the one grammar: a private usage line and a reason, no stack trace."""
    text = await ask(fake, "mara", "call new", title="Docs sprint", need=0)
    assert text.startswith("Usage: /ladder call new")
    assert "need=" in text


async def test_manager_commands_are_refused_to_members(live: Running, fake: FakeDiscord) -> None:
    """Alice has no Manage Server and no manager role: roster is refused, nothing changes."""
    assert "Only managers" in await ask(fake, "alice", "roster")


async def test_manager_digest_settings(live: Running, fake: FakeDiscord) -> None:
    """The digest channel (a channel option) and digest schedule (a quoted cron) are stored."""
    assert f"<#{CHANNELS['digest']}>" in await ask(fake, "mara", "digest channel", channel=Channel("digest"))
    await ask(fake, "cleo", "digest schedule", cron="0 9 * * 1", timezone="Europe/Paris")
    async with live.sessions() as session:
        community = (await session.exec(select(Community))).one()
    assert community.digest_channel == CHANNELS["digest"]
    assert community.digest_cron == "0 9 * * 1"
    assert community.timezone == "Europe/Paris"


async def test_health_is_an_embed_with_the_chart_attached(live: Running, fake: FakeDiscord) -> None:
    """/ladder health: an ephemeral embed whose image is the attached ladder-health.png."""
    callback = await (await fake.command("mara", "health")).callback()
    assert callback.flags == EPHEMERAL
    assert callback.files == ("ladder-health.png",)
    (embed,) = callback.body["data"]["embeds"]
    assert embed["image"]["url"] == "attachment://ladder-health.png"
    assert embed["title"].startswith("Ladder health")
    assert "Period:" in embed["description"]


async def test_ask_posts_question_and_solved_credits_the_helper(live: Running, fake: FakeDiscord) -> None:
    """/ladder ask posts the question in the channel; a thread reply answers; /ladder solved."""
    await ask(fake, "mara", "roster")
    await ask(fake, "alice", "ask", question="How do I run the tests offline?")
    (posted,) = await fake.wait_for("POST", rf"/channels/{CHANNELS['general']}/messages")
    assert "run the tests offline" in posted.content
    (root,) = posted.created
    await fake.open_thread(root, "general")
    await fake.say("bob", "Use the loopback fakes: pytest -q.", int(root))
    await fake.wait_dm(ALICE, "replied to your question")
    assert "solved" in (await ask(fake, "alice", "solved")).lower()
    await fake.wait_dm(BOB, "was accepted")


async def test_call_buttons_survive_a_restart(live: Running, fake: FakeDiscord) -> None:
    """A call's Join button works before and after a fresh client: the custom id is all it needs."""
    await ask(fake, "mara", "call new", title="Docs sprint", need=1, post=True)
    (post,) = await fake.wait_for("POST", rf"/channels/{CHANNELS['general']}/messages")
    join = next(c for c in post.custom_ids if c.startswith("ladder:call_join:"))
    (message_id,) = post.created
    first = await fake.click("alice", message_id, join)
    callback = await first.callback()
    assert callback.flags == EPHEMERAL and "#1" in callback.content
    (edit,) = await fake.wait_for("PATCH", rf"/channels/{CHANNELS['general']}/messages/{message_id}")
    assert "1 of 1 confirmed" in edit.content

    await live.restart()
    second = await fake.click("bob", message_id, join)
    assert "waitlist" in (await second.callback()).content.lower()
    async with live.sessions() as session:
        statuses = sorted(s.status for s in (await session.exec(select(CallSignup))).all())
    assert statuses == ["confirmed", "waitlisted"]


async def test_call_commands(live: Running, fake: FakeDiscord) -> None:
    """Call list, join, leave, done and close run through the grammar end to end."""
    await ask(fake, "mara", "call new", title="Triage", need=2, skills="python")
    assert "Triage" in await ask(fake, "alice", "call list")
    await ask(fake, "alice", "call join", call=1)
    await ask(fake, "bob", "call join", call=1)
    await ask(fake, "bob", "call leave", call=1)
    await ask(fake, "mara", "call done", call=1, first=Member("alice"))
    async with live.sessions() as session:
        signups = (await session.exec(select(CallSignup))).all()
    assert sorted(s.status for s in signups) == ["fulfilled", "withdrawn"]
    await ask(fake, "mara", "call close", call=1)
    async with live.sessions() as session:
        call = (await session.exec(select(Call))).one()
    assert call.status == "closed"


async def test_quest_review_button_clicked_in_a_dm(live: Running, fake: FakeDiscord) -> None:
    """A reviewer's DM carries Approve/Reject buttons naming the server; a click there approves."""
    await ask(fake, "alice", "level")
    await ask(fake, "mara", "promote", who=Member("alice"), level="Participant", reason="welcome")
    await ask(fake, "alice", "quest submit", quest="read-the-guide", evidence="Suggested a FAQ link")
    review = await fake.wait_dm(uid("mara"), "Quest to review")
    approve = next(c for c in review.custom_ids if c.startswith("ladder:quest_approve:"))
    assert approve == f"ladder:quest_approve:{ALICE}:read-the-guide|{GUILD}"
    (message_id,) = review.created
    click = await fake.click("mara", message_id, approve, in_dm=True)
    assert "approved" in (await click.callback()).content
    await fake.wait_dm(ALICE, "was approved")


async def test_quest_approve_and_reject_commands(live: Running, fake: FakeDiscord) -> None:
    """Quest approve / reject with a member option reach the review use case."""
    await ask(fake, "alice", "level")
    await ask(fake, "mara", "promote", who=Member("alice"), level="Participant", reason="welcome")
    await ask(fake, "alice", "quest submit", quest="read-the-guide", evidence="first try")
    assert "returned" in await ask(
        fake,
        "mara",
        "quest reject",
        who=Member("alice"),
        quest="read-the-guide",
        reason="add a link",
    )
    await ask(fake, "alice", "quest submit", quest="read-the-guide", evidence="https://example.org/x")
    assert "approved" in await ask(fake, "mara", "quest approve", who=Member("alice"), quest="read-the-guide")


async def test_forget_me_button_and_command(live: Running, fake: FakeDiscord) -> None:
    """forget-me asks first (with a danger button); confirm erases the member."""
    await ask(fake, "bob", "level")
    sent = await fake.command("bob", "forget-me")
    callback = await sent.callback()
    assert callback.custom_ids == [f"ladder:forget_me:confirm|{GUILD}"]
    await ask(fake, "bob", "forget-me", confirm=True)
    async with live.sessions() as session:
        bob = (await session.exec(select(Row).where(Row.display_name == "Bob"))).first()
    assert bob is None


async def test_promote_creates_and_assigns_level_roles(live: Running, fake: FakeDiscord) -> None:
    """A level's role is created when missing and assigned; the old level role is taken away."""
    await ask(fake, "alice", "level")
    await ask(fake, "mara", "promote", who=Member("alice"), level="Contributor", reason="docs")
    (created,) = await fake.wait_for("POST", rf"/guilds/{GUILD}/roles")
    assert created.body["name"] == "Contributor"
    assert created.body["mentionable"] is False
    (role_id,) = [r["id"] for r in fake.created_roles]
    await fake.wait_for("PUT", rf"/guilds/{GUILD}/members/{ALICE}/roles/{role_id}")

    await ask(fake, "mara", "demote", who=Member("alice"), level="Participant", reason="asked to")
    await fake.wait_for("PUT", rf"/guilds/{GUILD}/members/{ALICE}/roles/{ROLES['Participant']}")
    await fake.wait_for("DELETE", rf"/guilds/{GUILD}/members/{ALICE}/roles/{role_id}")
    assert len(fake.find("POST", rf"/guilds/{GUILD}/roles")) == 1


async def test_role_above_the_bot_is_never_touched_and_managers_are_told_once(
    live: Running, fake: FakeDiscord
) -> None:
    """Steward sits above Ladder's role: no role call is made; managers get one DM, not two."""
    await ask(fake, "alice", "level")
    await ask(fake, "bob", "level")
    await ask(fake, "mara", "promote", who=Member("alice"), level="Steward", reason="founder")
    await ask(fake, "mara", "promote", who=Member("bob"), level="Steward", reason="founder")
    warning = await fake.wait_dm(uid("mara"), "Level roles are off")
    assert "Steward" in warning.content
    assert not fake.find("PUT", rf"/guilds/{GUILD}/members/\d+/roles/{ROLES['Steward']}")
    await ask(fake, "mara", "roster")
    assert len([r for r in fake.dms(uid("mara")) if "Level roles are off" in r.content]) == 1


async def test_forbidden_role_changes_are_reported_to_managers_once(live: Running, fake: FakeDiscord) -> None:
    """Discord answers 403 to role creation: the level still changes, managers hear once."""
    fake.forbid_roles = True
    await ask(fake, "alice", "level")
    await ask(fake, "bob", "level")
    await ask(fake, "mara", "promote", who=Member("alice"), level="Contributor", reason="docs")
    await ask(fake, "mara", "promote", who=Member("bob"), level="Contributor", reason="docs")
    await fake.wait_dm(uid("mara"), "Level roles are off")
    await ask(fake, "mara", "roster")
    assert len([r for r in fake.dms(uid("mara")) if "Level roles are off" in r.content]) == 1
    assert "Contributor" in await ask(fake, "alice", "level")


async def test_autocomplete_quests_levels_and_open_calls(live: Running, fake: FakeDiscord) -> None:
    """Autocomplete answers type 8 with quest keys, level names and this server's open calls."""
    quests = await (
        await fake.command("alice", "quest submit", quest="guide", evidence="", focused="quest")
    ).callback()
    assert quests.body["type"] == 8
    assert [c["value"] for c in quests.body["data"]["choices"]] == ["read-the-guide"]

    levels = await (
        await fake.command("mara", "promote", who=Member("bob"), level="creat", reason="", focused="level")
    ).callback()
    assert [c["value"] for c in levels.body["data"]["choices"]] == ["Co-creator"]

    await ask(fake, "mara", "call new", title="Docs sprint", need=2)
    await ask(fake, "mara", "call new", title="Release party", need=5)
    calls = await (await fake.command("alice", "call join", call="rel", focused="call")).callback()
    assert calls.body["data"]["choices"] == [{"name": "#2 Release party", "value": 2}]
