"""Persistent buttons: their whole meaning lives in ``custom_id`` = ``ladder:<action>:<value>``.

They are ``DynamicItem`` s registered on the client at start, so a button posted weeks ago still
works after any number of restarts: nothing about it is kept in memory. A button sent in a DM
has no server of its own, so the server it belongs to follows as ``|<guild id>``.
"""

import logging
import re
from typing import Any, Protocol, runtime_checkable

import discord

from handlers.kernel import Button

log = logging.getLogger(__name__)

CUSTOM_ID_MAX = 100
TEMPLATE = re.compile(r"^ladder:(?P<action>[a-z_]{1,40}):(?P<value>[^\s|]{1,80})(?:\|(?P<guild>\d{1,20}))?$")
BUTTONS_MAX = 25
_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


@runtime_checkable
class ClickHandler(Protocol):
    """The client side of a click: run the named action for the member who clicked."""

    async def run_action(
        self, interaction: discord.Interaction, action: str, value: str, guild_id: int | None
    ) -> None:
        """Run a button's action and answer the click."""
        ...


def custom_id(action: str, value: str, guild_id: int | None = None) -> str:
    """The custom id a button carries."""
    suffix = f"|{guild_id}" if guild_id is not None else ""
    return f"ladder:{action}:{value}{suffix}"


class LadderButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=TEMPLATE,
):
    """A Ladder button; a click hands its action and value to the client's ``run_action``."""

    def __init__(
        self,
        action: str,
        value: str,
        guild_id: int | None = None,
        label: str = "Ladder",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        wanted = custom_id(action, value, guild_id)
        super().__init__(discord.ui.Button(label=label[:80], style=style, custom_id=wanted))
        self.action = action
        self.value = value
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> "LadderButton":
        """Rebuild the button from a click on a message posted by any earlier run."""
        guild_id = int(match["guild"]) if match["guild"] else None
        if isinstance(item, discord.ui.Button):
            label, style = item.label or "Ladder", item.style
            return cls(match["action"], match["value"], guild_id, label, style)
        return cls(match["action"], match["value"], guild_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Run the button's action for whoever clicked it."""
        client = interaction.client
        if not isinstance(client, ClickHandler):
            raise TypeError("Ladder buttons need a client that can run actions")
        await client.run_action(interaction, self.action, self.value, self.guild_id)


def view_of(buttons: tuple[Button, ...], guild_id: int | None = None) -> discord.ui.View | None:
    """A persistent view holding a message's buttons, or None when it has none."""
    usable = [b for b in buttons[:BUTTONS_MAX] if _renderable(b, guild_id)]
    if not usable:
        return None
    view = discord.ui.View(timeout=None)
    for button in usable:
        style = _STYLES.get(button.style, discord.ButtonStyle.secondary)
        view.add_item(LadderButton(button.action, button.value, guild_id, button.label, style))
    return view


def _renderable(button: Button, guild_id: int | None) -> bool:
    """Say whether a button fits Discord's custom id (logged when it does not)."""
    wanted = custom_id(button.action, button.value, guild_id)
    if len(wanted) <= CUSTOM_ID_MAX and TEMPLATE.match(wanted):
        return True
    log.warning("button %r cannot be rendered on Discord: custom id too long or malformed", wanted)
    return False
