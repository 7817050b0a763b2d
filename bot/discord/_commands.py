"""``/ladder`` as a Discord application-command group, every subcommand of the one grammar.

Discord parses the options; each subcommand then rebuilds the canonical command text
(``call new "Title" need=3 skills=a,b``) and hands it to the core, so the ONE grammar in
:mod:`handlers.grammar` validates everything on every platform. Members become ``<@id>`` and
channels ``<#id>``.
"""

import re
from typing import Protocol, runtime_checkable

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.discord._translate import PLATFORM
from handlers.calls import open_calls as community_open_calls
from handlers.commands import USAGE
from handlers.kernel import CommunityRef, LadderConfig
from models import Call

CHOICES_MAX = 25
_NEEDS_QUOTES = re.compile(r"[\s\"'\\]")


@runtime_checkable
class LadderHost(Protocol):
    """What the commands need from the client: the config, the database and the core."""

    config: LadderConfig
    sessions: async_sessionmaker[AsyncSession]

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """Run ``/ladder <text>`` for the member and answer the interaction."""
        ...


def host(interaction: discord.Interaction) -> LadderHost:
    """The Ladder client behind an interaction."""
    client = interaction.client
    if not isinstance(client, LadderHost):
        raise TypeError("the /ladder commands need Ladder's Discord client")
    return client


def quoted(text: str) -> str:
    """Quote a value for the grammar's shell-like split, only when it needs it."""
    if text and not _NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def word(text: str) -> str:
    """A value the grammar reads as one word (quest keys, levels): inner spaces become dashes."""
    return "-".join(text.split())


def member(user: discord.User | discord.Member) -> str:
    """A member option as the grammar's mention."""
    return f"<@{user.id}>"


def join(*parts: str | None) -> str:
    """Join the non-empty parts of a command with single spaces."""
    return " ".join(p for p in parts if p)


def level_word(config: LadderConfig, text: str) -> str:
    """A level as one word: a configured name with spaces is given by its number."""
    wanted = text.strip()
    for rule in config.levels:
        if rule.name.casefold() == wanted.casefold() and " " in rule.name:
            return str(rule.number)
    return word(wanted)


async def quest_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Quests from the ladder config whose key or title contains what was typed."""
    typed = current.casefold()
    return [
        app_commands.Choice(name=f"{q.title} ({q.key})"[:100], value=q.key)
        for q in host(interaction).config.quests
        if typed in q.key or typed in q.title.casefold()
    ][:CHOICES_MAX]


async def level_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Level names from the ladder config."""
    typed = current.casefold()
    return [
        app_commands.Choice(name=f"{rule.number} · {rule.name}", value=rule.name)
        for rule in host(interaction).config.levels
        if typed in rule.name.casefold() or typed == str(rule.number)
    ][:CHOICES_MAX]


async def call_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """This server's open calls, read straight from the database (cheap, no core round trip)."""
    if interaction.guild_id is None:
        return []
    typed = current.casefold().lstrip("#")
    calls = await open_calls(host(interaction).sessions, interaction.guild_id)
    return [
        app_commands.Choice(name=f"#{call.id} {call.title}"[:100], value=call.id)
        for call in calls
        if call.id is not None and (typed in str(call.id) or typed in call.title.casefold())
    ][:CHOICES_MAX]


async def help_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Command names the help can explain."""
    typed = current.casefold()
    return [app_commands.Choice(name=key, value=key) for key in USAGE if typed in key][:CHOICES_MAX]


async def open_calls(sessions: async_sessionmaker[AsyncSession], guild_id: int) -> list[Call]:
    """A server's open calls, oldest first."""
    async with sessions() as session:
        return await community_open_calls(session, CommunityRef(PLATFORM, str(guild_id)))


async def run(interaction: discord.Interaction, text: str) -> None:
    """Hand the canonical text to the client."""
    await host(interaction).run_command(interaction, text)


class LadderCommands(
    app_commands.Group,
    name="ladder",
    description="Ladder: levels, quests, questions and calls",
    guild_only=True,
):
    """The ``/ladder`` group."""

    quest = app_commands.Group(name="quest", description="Submit and review quests")
    call = app_commands.Group(name="call", description="Calls to action: ask for a number of people")
    digest = app_commands.Group(name="digest", description="Where and when the health digest is posted")

    @app_commands.command(name="help", description="The commands, or one command's usage")
    @app_commands.describe(command="A command to explain")
    @app_commands.autocomplete(command=help_choices)
    async def help_(self, interaction: discord.Interaction, command: str | None = None) -> None:
        """``/ladder help [command]``."""
        await run(interaction, join("help", command))

    @app_commands.command(name="level", description="Your level, or a member's")
    @app_commands.describe(who="A member (yourself by default)")
    async def level(self, interaction: discord.Interaction, who: discord.User | None = None) -> None:
        """``/ladder level [@member]``."""
        await run(interaction, join("level", member(who) if who else None))

    @app_commands.command(name="why", description="What you still need for the next level")
    async def why(self, interaction: discord.Interaction) -> None:
        """``/ladder why``."""
        await run(interaction, "why")

    @app_commands.command(name="quests", description="The quests for your level")
    async def quests(self, interaction: discord.Interaction) -> None:
        """``/ladder quests``."""
        await run(interaction, "quests")

    @quest.command(name="submit", description="Submit a quest with evidence")
    @app_commands.describe(quest="The quest", evidence="A link or a sentence showing it is done")
    @app_commands.autocomplete(quest=quest_choices)
    async def quest_submit(self, interaction: discord.Interaction, quest: str, evidence: str) -> None:
        """``/ladder quest submit <quest> <evidence>``."""
        await run(interaction, join("quest submit", word(quest), evidence))

    @quest.command(name="approve", description="Approve a member's quest (reviewers)")
    @app_commands.describe(who="The member", quest="The quest", note="A note for the member")
    @app_commands.autocomplete(quest=quest_choices)
    async def quest_approve(
        self,
        interaction: discord.Interaction,
        who: discord.User,
        quest: str,
        note: str | None = None,
    ) -> None:
        """``/ladder quest approve @member <quest> [note]``."""
        await run(interaction, join("quest approve", member(who), word(quest), note))

    @quest.command(name="reject", description="Send a quest back with a reason (reviewers)")
    @app_commands.describe(who="The member", quest="The quest", reason="What to change")
    @app_commands.autocomplete(quest=quest_choices)
    async def quest_reject(
        self, interaction: discord.Interaction, who: discord.User, quest: str, reason: str
    ) -> None:
        """``/ladder quest reject @member <quest> <reason>``."""
        await run(interaction, join("quest reject", member(who), word(quest), reason))

    @app_commands.command(name="ask", description="Ask a question; Ladder finds the right helpers")
    @app_commands.describe(question="Your question")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        """``/ladder ask <text>``."""
        await run(interaction, join("ask", question))

    @app_commands.command(name="solved", description="Mark your question solved")
    @app_commands.describe(question="The question's number (your latest by default)")
    async def solved(self, interaction: discord.Interaction, question: int | None = None) -> None:
        """``/ladder solved [question-id]``."""
        await run(interaction, join("solved", str(question) if question is not None else None))

    @call.command(name="new", description="Open a call to action")
    @app_commands.describe(
        title="What the call is for",
        need="How many people it needs",
        level="The lowest level invited",
        skills="Skills wanted, comma separated",
        deadline="How long it stays open: 30m, 12h, 7d or 2w",
        post="Also post it once in this channel",
    )
    @app_commands.autocomplete(level=level_choices)
    async def call_new(
        self,
        interaction: discord.Interaction,
        title: str,
        need: int,
        level: str | None = None,
        skills: str | None = None,
        deadline: str | None = None,
        post: bool | None = None,
    ) -> None:
        """``/ladder call new "<title>" need=<n> …``."""
        config = host(interaction).config
        text = join(
            "call new",
            quoted(title),
            f"need={need}",
            f"level={quoted(level_word(config, level))}" if level else None,
            f"skills={quoted(skills.replace(', ', ','))}" if skills else None,
            f"deadline={quoted(deadline)}" if deadline else None,
            f"post={'yes' if post else 'no'}" if post is not None else None,
        )
        await run(interaction, text)

    @call.command(name="list", description="The open calls")
    async def call_list(self, interaction: discord.Interaction) -> None:
        """``/ladder call list``."""
        await run(interaction, "call list")

    @call.command(name="join", description="Join a call (or its waitlist)")
    @app_commands.describe(call="The call")
    @app_commands.autocomplete(call=call_choices)
    async def call_join(self, interaction: discord.Interaction, call: int) -> None:
        """``/ladder call join <id>``."""
        await run(interaction, f"call join {call}")

    @call.command(name="leave", description="Withdraw from a call")
    @app_commands.describe(call="The call")
    @app_commands.autocomplete(call=call_choices)
    async def call_leave(self, interaction: discord.Interaction, call: int) -> None:
        """``/ladder call leave <id>``."""
        await run(interaction, f"call leave {call}")

    @call.command(name="done", description="Credit the members who fulfilled a call")
    @app_commands.describe(
        call="The call",
        first="A member who took part",
        second="Another member",
        third="Another member",
        fourth="Another member",
        fifth="Another member",
    )
    @app_commands.autocomplete(call=call_choices)
    async def call_done(
        self,
        interaction: discord.Interaction,
        call: int,
        first: discord.User,
        second: discord.User | None = None,
        third: discord.User | None = None,
        fourth: discord.User | None = None,
        fifth: discord.User | None = None,
    ) -> None:
        """``/ladder call done <id> @member …`` (up to five members at a time)."""
        people = [p for p in (first, second, third, fourth, fifth) if p is not None]
        await run(interaction, join(f"call done {call}", *(member(p) for p in people)))

    @call.command(name="close", description="Close a call early")
    @app_commands.describe(call="The call")
    @app_commands.autocomplete(call=call_choices)
    async def call_close(self, interaction: discord.Interaction, call: int) -> None:
        """``/ladder call close <id>``."""
        await run(interaction, f"call close {call}")

    @app_commands.command(name="health", description="The participation-health digest, now, privately")
    async def health(self, interaction: discord.Interaction) -> None:
        """``/ladder health``."""
        await run(interaction, "health")

    @digest.command(name="channel", description="Set the channel the digest is posted in (managers)")
    @app_commands.describe(channel="The channel")
    async def digest_channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """``/ladder digest channel #channel``."""
        await run(interaction, f"digest channel <#{channel.id}>")

    @digest.command(name="schedule", description="Set when the digest is posted (managers)")
    @app_commands.describe(cron='A cron, like "0 9 * * 1"', timezone="A time zone, like Europe/Paris")
    async def digest_schedule(
        self, interaction: discord.Interaction, cron: str, timezone: str | None = None
    ) -> None:
        """``/ladder digest schedule "<cron>" [tz=<Area/City>]``."""
        tz = f"tz={quoted(timezone)}" if timezone else None
        await run(interaction, join("digest schedule", quoted(cron), tz))

    @app_commands.command(name="promote", description="Set a member's level up, with a reason (managers)")
    @app_commands.describe(who="The member", level="The new level", reason="Why (kept in the audit log)")
    @app_commands.autocomplete(level=level_choices)
    async def promote(
        self, interaction: discord.Interaction, who: discord.User, level: str, reason: str
    ) -> None:
        """``/ladder promote @member <level> <reason>``."""
        config = host(interaction).config
        await run(interaction, join("promote", member(who), level_word(config, level), reason))

    @app_commands.command(name="demote", description="Set a member's level down, with a reason (managers)")
    @app_commands.describe(who="The member", level="The new level", reason="Why (kept in the audit log)")
    @app_commands.autocomplete(level=level_choices)
    async def demote(
        self, interaction: discord.Interaction, who: discord.User, level: str, reason: str
    ) -> None:
        """``/ladder demote @member <level> <reason>``."""
        config = host(interaction).config
        await run(interaction, join("demote", member(who), level_word(config, level), reason))

    @app_commands.command(name="roster", description="The helpers Ladder routes questions to (managers)")
    async def roster(self, interaction: discord.Interaction) -> None:
        """``/ladder roster``."""
        await run(interaction, "roster")

    @app_commands.command(
        name="dashboard", description="A private sign-in link to the web dashboard (managers)"
    )
    async def dashboard(self, interaction: discord.Interaction) -> None:
        """``/ladder dashboard``."""
        await run(interaction, "dashboard")

    @app_commands.command(name="skills", description="Show or set your skills (matched to calls)")
    @app_commands.describe(skills="Comma-separated skills, like python,docs")
    async def skills(self, interaction: discord.Interaction, skills: str | None = None) -> None:
        """``/ladder skills [skill,skill,…]``."""
        await run(interaction, join("skills", skills))

    @app_commands.command(name="forget-me", description="Erase what Ladder holds on you")
    @app_commands.describe(confirm="Really erase it now")
    async def forget_me(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        """``/ladder forget-me [confirm]``."""
        await run(interaction, join("forget-me", "confirm" if confirm else None))

    @app_commands.command(name="export-me", description="Everything Ladder holds on you")
    async def export_me(self, interaction: discord.Interaction) -> None:
        """``/ladder export-me``."""
        await run(interaction, "export-me")
