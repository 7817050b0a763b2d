"""Every /ladder subcommand: Discord's options become the one grammar's canonical text."""

from typing import Any

import pytest
from discord_harness import Recorder, Running
from fake_discord import CHANNELS, EPHEMERAL, GUILD, Channel, FakeDiscord, Member, uid

ALICE, BOB, CAROL = uid("alice"), uid("bob"), uid("carol")

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("help", {}, "help"),
    ("help", {"command": "call new"}, "help call new"),
    ("level", {}, "level"),
    ("level", {"who": Member("bob")}, f"level <@{BOB}>"),
    ("why", {}, "why"),
    ("quests", {}, "quests"),
    (
        "quest submit",
        {"quest": "read-the-guide", "evidence": "https://example.org/pr/1"},
        "quest submit read-the-guide https://example.org/pr/1",
    ),
    (
        "quest approve",
        {"who": Member("bob"), "quest": "read-the-guide"},
        f"quest approve <@{BOB}> read-the-guide",
    ),
    (
        "quest reject",
        {"who": Member("bob"), "quest": "Read the guide", "reason": "link is broken"},
        f"quest reject <@{BOB}> Read-the-guide link is broken",
    ),
    ("ask", {"question": "How do I rotate the token?"}, "ask How do I rotate the token?"),
    ("solved", {}, "solved"),
    ("solved", {"question": 12}, "solved 12"),
    (
        "call new",
        {"title": 'Docs "sprint"', "need": 3, "level": "Helper", "skills": "docs, python"},
        'call new "Docs \\"sprint\\"" need=3 level=Helper skills=docs,python',
    ),
    (
        "call new",
        {"title": "Review", "need": 2, "deadline": "2d", "post": True},
        "call new Review need=2 deadline=2d post=yes",
    ),
    ("call list", {}, "call list"),
    ("call join", {"call": 4}, "call join 4"),
    ("call leave", {"call": 4}, "call leave 4"),
    (
        "call done",
        {"call": 4, "first": Member("bob"), "second": Member("carol")},
        f"call done 4 <@{BOB}> <@{CAROL}>",
    ),
    ("call close", {"call": 4}, "call close 4"),
    ("health", {}, "health"),
    ("digest channel", {"channel": Channel("digest")}, f"digest channel <#{CHANNELS['digest']}>"),
    (
        "digest schedule",
        {"cron": "0 9 * * 1", "timezone": "Europe/Paris"},
        'digest schedule "0 9 * * 1" tz=Europe/Paris',
    ),
    (
        "promote",
        {"who": Member("bob"), "level": "Co-creator", "reason": "led two calls"},
        f"promote <@{BOB}> Co-creator led two calls",
    ),
    (
        "demote",
        {"who": Member("bob"), "level": "Helper", "reason": "asked to step back"},
        f"demote <@{BOB}> Helper asked to step back",
    ),
    ("roster", {}, "roster"),
    ("dashboard", {}, "dashboard"),
    ("skills", {}, "skills"),
    ("skills", {"skills": "python,docs"}, "skills python,docs"),
    ("forget-me", {}, "forget-me"),
    ("forget-me", {"confirm": True}, "forget-me confirm"),
    ("export-me", {}, "export-me"),
]


@pytest.mark.parametrize(("path", "options", "text"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
async def test_subcommand_rebuilds_canonical_text(
    wired: Running,
    fake: FakeDiscord,
    recorder: Recorder,
    path: str,
    options: dict[str, Any],
    text: str,
) -> None:
    """The core receives exactly the text a member would have typed after /ladder."""
    sent = await fake.command("alice", path, **options)
    await sent.callback()
    ((ctx, got),) = recorder.commands
    assert got == text
    assert ctx.actor.external_id == ALICE
    assert ctx.community.external_id == GUILD
    assert ctx.channel_id == CHANNELS["general"]


def test_every_grammar_command_has_a_case() -> None:
    """No subcommand of the grammar is left without a Discord test."""
    from handlers.commands import USAGE

    assert {c[0] for c in CASES} == set(USAGE)


async def test_tree_mirrors_the_grammar(wired: Running, fake: FakeDiscord) -> None:
    """The synced /ladder group offers every subcommand of the grammar, nested as Discord needs."""
    from handlers.commands import USAGE

    (sync,) = fake.find("PUT", r"/applications/\d+/commands")
    (group,) = sync.body
    names = set()
    for option in group["options"]:
        if option["type"] == 2:
            names |= {f"{option['name']} {sub['name']}" for sub in option["options"]}
        else:
            names.add(option["name"])
    assert names == set(USAGE)
    assert group["dm_permission"] is False


async def test_channel_reply_is_public(wired: Running, fake: FakeDiscord, recorder: Recorder) -> None:
    """A CHANNEL reply is posted for everyone (no ephemeral flag)."""
    recorder.public = True
    callback = await (await fake.command("alice", "call list")).callback()
    assert callback.flags & EPHEMERAL == 0


async def test_slow_work_is_deferred_then_answered(
    fake: FakeDiscord, wired: Running, recorder: Recorder
) -> None:
    """Work past the deferral threshold gets an ephemeral 'thinking' first, then the answer."""
    await wired.stop()
    wired.defer_after = 0.05
    recorder.delay = 0.3
    await wired.start()
    sent = await fake.command("alice", "health")
    callback = await sent.callback()
    assert callback.body["type"] == 5
    assert callback.flags == EPHEMERAL
    token = callback.path.split("/")[3]
    (edit,) = await fake.wait_for("PATCH", rf"/webhooks/\d+/{token}/messages/@original")
    assert "ran: health" in edit.content


async def test_slow_public_reply_is_posted_after_the_thinking_message(
    fake: FakeDiscord, wired: Running, recorder: Recorder
) -> None:
    """Deferred work whose reply is for the channel: the private placeholder says so, the reply
    follows up publicly."""
    await wired.stop()
    wired.defer_after = 0.05
    recorder.delay, recorder.public = 0.3, True
    await wired.start()
    callback = await (await fake.command("alice", "call list")).callback()
    token = callback.path.split("/")[3]
    (edit,) = await fake.wait_for("PATCH", rf"/webhooks/\d+/{token}/messages/@original")
    assert "posted in the channel" in edit.content
    (follow,) = await fake.wait_for("POST", rf"/webhooks/\d+/{token}")
    assert follow.flags & EPHEMERAL == 0
    assert "ran: call list" in follow.content


async def test_core_failure_still_gets_a_private_answer(
    wired: Running, fake: FakeDiscord, recorder: Recorder
) -> None:
    """An unexpected error in the core: the member is told privately, no stack trace is shown."""
    recorder.broken = True
    callback = await (await fake.command("alice", "why")).callback()
    assert callback.flags == EPHEMERAL
    assert "unexpected error" in callback.content
    assert "Traceback" not in callback.content


async def test_managers_by_permission_and_by_configured_role(
    wired: Running, fake: FakeDiscord, recorder: Recorder
) -> None:
    """Manage Server (mara's Mods role) and a configured role (cleo's Organizers) make managers."""
    for who in ("mara", "cleo", "alice"):
        await (await fake.command(who, "roster")).callback()
    admins = {ctx.actor.external_id: ctx.actor.is_admin for ctx, _ in recorder.commands}
    assert admins == {uid("mara"): True, uid("cleo"): True, ALICE: False}
