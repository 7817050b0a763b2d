"""Work that no Discord interaction starts (the scheduler's sweep, a dashboard action) still
reaches the right server: every port call names its community, and the community is the server."""

import asyncio
from datetime import timedelta

from discord_harness import Running
from fake_discord import CHANNELS, GUILD, FakeDiscord, uid
from sqlmodel import col, select, update
from test_discord_live import ask

from bot.discord._client import LadderClient
from handlers.kernel import Actor, CommunityRef, Context, FakeClock
from handlers.service import LadderService
from models import CallSignup, SignupStatus
from models import Member as Row

ALICE, MARA = uid("alice"), uid("mara")


def service_of(client: LadderClient) -> LadderService:
    """The real service behind the client (the ``live`` fixture builds one)."""
    assert isinstance(client.ladder, LadderService)
    return client.ladder


def from_dashboard(server: str, manager: str) -> Context:
    """The context a manager's dashboard action runs in: a community and an actor, no interaction."""
    return Context(CommunityRef("discord", server), Actor(uid(manager), manager.title(), is_admin=True))


async def join_other_server(client: LadderClient, fake: FakeDiscord, *usernames: str) -> str:
    """Ladder is added to a second server the named members are in too; wait until it is cached."""
    joined = asyncio.ensure_future(client.wait_for("guild_join", timeout=5))
    other: str = await fake.add_other_server(*usernames)
    await joined
    return other


async def test_a_dashboard_promotion_changes_the_role_in_that_server_only(
    live: Running, fake: FakeDiscord
) -> None:
    """Alice is in two servers Ladder serves; the second one's manager promotes her from the
    dashboard. The level role is created and given in that server; the first is left alone and
    no manager is told that roles are off."""
    assert live.client is not None
    other = await join_other_server(live.client, fake, "mara", "alice")
    service = service_of(live.client)
    (reply,) = await service.command(
        from_dashboard(other, "mara"), f"promote <@{ALICE}> 2 led the docs sprint"
    )
    assert reply.text.startswith(f"Promoted <@{ALICE}> to level 2 · Contributor.")
    (created,) = fake.find("POST", rf"/guilds/{other}/roles")
    assert created.body["name"] == "Contributor"
    (role,) = [r for r in fake.other_servers[0]["roles"] if r["name"] == "Contributor"]
    assert fake.find("PUT", rf"/guilds/{other}/members/{ALICE}/roles/{role['id']}")
    assert not fake.find("POST", rf"/guilds/{GUILD}/roles")
    assert not fake.find("PUT", rf"/guilds/{GUILD}/members/\d+/roles/\d+")
    assert not [dm for dm in fake.dms(MARA) if "Level roles are off" in dm.content]
    assert "Reason: led the docs sprint" in (await fake.wait_dm(ALICE, "Your level changed")).content


async def test_a_dashboard_call_invites_by_dm_with_a_button_naming_the_server(
    live: Running, fake: FakeDiscord
) -> None:
    """A manager opens a call from the dashboard. Alice, active here and also in another server
    Ladder serves, is invited by DM; its Join button names this server (a DM has none), so her
    click in the DM signs her up for this server's call."""
    assert live.client is not None
    await join_other_server(live.client, fake, "alice")
    await ask(fake, "alice", "level")
    async with live.sessions() as session, session.begin():
        await session.exec(
            update(Row).where(col(Row.external_id) == ALICE).values(last_active_at=col(Row.joined_at))
        )
    await service_of(live.client).command(from_dashboard(GUILD, "mara"), 'call new "Docs sprint" need=1')
    invitation = await fake.wait_dm(ALICE, "Docs sprint")
    (join,) = [c for c in invitation.custom_ids if c.startswith("ladder:call_join:")]
    assert join == f"ladder:call_join:1|{GUILD}"
    (message_id,) = invitation.created
    click = await fake.click("alice", message_id, join, in_dm=True)
    assert "#1" in (await click.callback()).content
    async with live.sessions() as session:
        (signup,) = (await session.exec(select(CallSignup))).all()
    assert signup.status == SignupStatus.CONFIRMED


async def test_the_sweep_closes_a_call_at_its_deadline_in_its_server(
    live: Running, fake: FakeDiscord, clock: FakeClock
) -> None:
    """With no Discord event in flight, the scheduler's sweep closes a call past its deadline:
    its post is rewritten in place without buttons, and the caller is told by DM."""
    assert live.client is not None
    await ask(fake, "mara", "call new", title="Docs sprint", need=2, deadline="2d", post=True)
    (post,) = await fake.wait_for("POST", rf"/channels/{CHANNELS['general']}/messages")
    (message_id,) = post.created
    clock.advance(timedelta(days=3))
    assert await service_of(live.client).sweep() == 1
    (edit,) = fake.find("PATCH", rf"/channels/{CHANNELS['general']}/messages/{message_id}")
    assert "closed" in edit.content and edit.custom_ids == []
    assert "reached its deadline with 0 of 2 confirmed" in (await fake.wait_dm(MARA, "deadline")).content
