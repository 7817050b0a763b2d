"""Smoke: the client logs in to the fake, syncs /ladder and answers a command."""

from discord_harness import Recorder, Running
from fake_discord import FakeDiscord


async def test_login_syncs_ladder_group_globally(wired: Running, fake: FakeDiscord) -> None:
    """A normal start overwrites the global commands with the one /ladder group."""
    (sync,) = fake.find("PUT", r"/applications/\d+/commands")
    assert [c["name"] for c in sync.body] == ["ladder"]


async def test_help_command_reaches_core(wired: Running, fake: FakeDiscord, recorder: Recorder) -> None:
    """/ladder help is answered ephemerally with the core's reply."""
    sent = await fake.command("alice", "help")
    callback = await sent.callback()
    assert callback.body["type"] == 4
    assert callback.flags == 64
    assert "ran: help" in callback.content
    assert recorder.commands[0][1] == "help"
