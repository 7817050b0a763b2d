"""Level roles: one Discord role per level, named after it, created when missing.

Ladder only ever touches roles strictly below its own top role (Discord's own hierarchy rule),
and says why in a :class:`ChatError` with ``permission=True`` when it cannot do its part.
"""

import logging

import discord

from handlers.kernel import ChatError

log = logging.getLogger(__name__)

REASON = "Ladder: level changed"


def _refused(guild: discord.Guild, detail: str) -> ChatError:
    return ChatError(f"Ladder cannot manage level roles in {guild.name}: {detail}", permission=True)


class LevelRoles:
    """Keeps each member's level role in step with their level."""

    def __init__(self, level_names: tuple[str, ...]) -> None:
        self._level_names = frozenset(level_names)
        self._created: dict[tuple[int, str], discord.Role] = {}

    async def assign(self, guild: discord.Guild, member_id: int, level_name: str) -> None:
        """Give the member ``level_name``'s role and take away their other level roles."""
        me = guild.me
        if not me.guild_permissions.manage_roles:
            raise _refused(guild, "it lacks the Manage Roles permission.")
        member = guild.get_member(member_id) or await self._fetch_member(guild, member_id)
        role = await self._role(guild, level_name)
        if role >= me.top_role:
            raise _refused(
                guild,
                f"the {role.name} role is not below Ladder's own role; move Ladder's role up.",
            )
        stale = [r for r in member.roles if r.name in self._level_names and r != role and r < me.top_role]
        try:
            if stale:
                await member.remove_roles(*stale, reason=REASON)
            if role not in member.roles:
                await member.add_roles(role, reason=REASON)
        except discord.Forbidden:
            raise _refused(guild, "Discord refused the role change (check Manage Roles).") from None
        except discord.HTTPException as error:
            raise ChatError(f"Discord failed to change roles: {error.status} {error.text}") from error

    async def _fetch_member(self, guild: discord.Guild, member_id: int) -> discord.Member:
        try:
            return await guild.fetch_member(member_id)
        except discord.HTTPException as error:
            raise ChatError(f"member {member_id} is not in {guild.name}: {error.status}") from error

    async def _role(self, guild: discord.Guild, name: str) -> discord.Role:
        """The level's role, found by name or created (not mentionable, no permissions)."""
        role = discord.utils.get(guild.roles, name=name) or self._created.get((guild.id, name))
        if role is not None:
            return role
        try:
            role = await guild.create_role(name=name, mentionable=False, reason="Ladder: level role")
        except discord.Forbidden:
            raise _refused(guild, f"Discord refused to create the {name} role.") from None
        except discord.HTTPException as error:
            raise ChatError(f"Discord failed to create the {name} role: {error.status}") from error
        log.info("created level role %s in %s", name, guild.id)
        self._created[(guild.id, name)] = role
        return role
