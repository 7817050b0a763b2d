"""Who a Slack user is: display name, admin flag and bot flag from ``users.info``, cached.

The core treats ``Actor.is_admin`` as the platform's word on who may manage (DESIGN.md: workspace
admins and owners), so every command and event carries it; a short cache keeps that to one
``users.info`` call per member per ``ttl`` seconds.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.kernel import Actor

log = logging.getLogger(__name__)


def actor_from_user(user: Mapping[str, Any]) -> Actor:
    """Build an Actor from a Slack user object (``users.info``'s ``user`` or ``team_join``'s)."""
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or ""
    )
    admin = any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return Actor(
        external_id=str(user["id"]),
        display_name=str(name),
        is_admin=admin,
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
    )


@dataclass
class MemberDirectory:
    """Slack users as Actors, looked up with ``users.info`` and kept for ``ttl`` seconds."""

    client: AsyncWebClient
    ttl: float = 600.0
    clock: Callable[[], float] = time.monotonic
    _cache: dict[str, tuple[float, Actor]] = field(default_factory=dict)
    _looking_up: dict[str, "asyncio.Future[Actor]"] = field(default_factory=dict)

    def remember(self, actor: Actor) -> None:
        """Keep an Actor learned from a payload (``team_join`` carries the whole user)."""
        self._cache[actor.external_id] = (self.clock() + self.ttl, actor)

    async def actor(self, user_id: str) -> Actor:
        """The Actor for a user id; a failed lookup gives a plain, non-admin member.

        Lookups of the same member already under way are shared: a burst of a new member's
        events costs one ``users.info``, not one per event.
        """
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        pending = self._looking_up.get(user_id)
        if pending is None:
            pending = self._looking_up[user_id] = asyncio.ensure_future(self._look_up(user_id))
            pending.add_done_callback(lambda _done: self._looking_up.pop(user_id, None))
        return await asyncio.shield(pending)

    async def _look_up(self, user_id: str) -> Actor:
        try:
            response = await self.client.users_info(user=user_id)
        except (SlackApiError, SlackClientError) as error:
            log.warning("users.info failed for %s, treating as a non-admin: %s", user_id, error)
            return Actor(external_id=user_id)
        user = response.get("user")
        if not isinstance(user, dict):
            return Actor(external_id=user_id)
        actor = actor_from_user(user)
        self.remember(actor)
        return actor

    async def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Display names for ids a message shows without pinging them."""
        names: dict[str, str] = {}
        for user_id in sorted(set(user_ids)):
            actor = await self.actor(user_id)
            names[user_id] = actor.display_name or user_id
        return names
