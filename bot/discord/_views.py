"""Persistent buttons: their whole meaning lives in ``custom_id`` = ``ladder:<action>:<value>``.

They are ``DynamicItem`` s registered on the client at start, so a button posted weeks ago still
works after any number of restarts: nothing about it is kept in memory.
"""

import logging
import re
from typing import Any, Protocol, runtime_checkable

import discord

from handlers.types import Button

log = logging.getLogger(__name__)

CUSTOM_ID_MAX = 100
TEMPLATE = re.compile(r"^ladder:(?P<action>[a-z_]{1,40}):(?P<value>[^\s]{1,80})$")
BUTTONS_MAX = 25
_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


@runtime_checkable
class ClickHandler(Protocol):
    """The client side of a click: run the named action for the member who clicked."""

    async def run_action(self, interaction: discord.Interaction, action: str, value: str) -> None:
        """Run a button's action and answer the click."""
        ...


def custom_id(action: str, value: str) -> str:
    """The custom id a button carries."""
    return f"ladder:{action}:{value}"


class LadderButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=TEMPLATE,
):
    """A Ladder button; a click hands its action and value to the client's ``run_action``."""

    def __init__(
        self,
        action: str,
        value: str,
        label: str = "Ladder",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label[:80], style=style, custom_id=custom_id(action, value))
        )
        self.action = action
        self.value = value

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> "LadderButton":
        """Rebuild the button from a click on a message posted by any earlier run."""
        if isinstance(item, discord.ui.Button):
            return cls(match["action"], match["value"], item.label or "Ladder", item.style)
        return cls(match["action"], match["value"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Run the button's action for whoever clicked it."""
        client = interaction.client
        if not isinstance(client, ClickHandler):
            raise TypeError("Ladder buttons need a client that can run actions")
        await client.run_action(interaction, self.action, self.value)


def view_of(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """A persistent view holding a message's buttons, or None when it has none."""
    usable = [button for button in buttons[:BUTTONS_MAX] if _renderable(button)]
    if not usable:
        return None
    view = discord.ui.View(timeout=None)
    for button in usable:
        style = _STYLES.get(button.style, discord.ButtonStyle.secondary)
        view.add_item(LadderButton(button.action, button.value, button.label, style))
    return view


def _renderable(button: Button) -> bool:
    """Say whether a button fits Discord's custom id (logged when it does not)."""
    wanted = custom_id(button.action, button.value)
    if len(wanted) <= CUSTOM_ID_MAX and TEMPLATE.match(wanted):
        return True
    log.warning("button %r cannot be rendered on Discord: custom id too long or malformed", wanted)
    return False
