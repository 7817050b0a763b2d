"""Discord objects in, neutral Ladder types out: communities, actors, contexts and events.

Threads follow one rule: Discord gives a thread started from a message (and a forum post) the
id of that message, so a reply in a thread names its root with the thread's id, and the channel
is the thread's parent (the help channel or forum the config lists).
"""

from datetime import datetime

import discord

from handlers.kernel import Actor, CommunityRef, Context, Event, EventKind, Managers
from handlers.ladder import message_key, reaction_key

PLATFORM = "discord"
_CHAT_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


def community_of(guild: discord.Guild) -> CommunityRef:
    """The community a guild is."""
    return CommunityRef(PLATFORM, str(guild.id), guild.name)


def is_manager(member: discord.Member | discord.User, managers: Managers) -> bool:
    """Say whether Discord itself makes this member a manager: Manage Server or a manager role.

    ``managers.discord_roles`` may name roles by id or by name (case-insensitive).
    """
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    wanted = {entry.casefold() for entry in managers.discord_roles}
    return any(str(role.id) in wanted or role.name.casefold() in wanted for role in member.roles)


def actor_of(user: discord.Member | discord.User, managers: Managers) -> Actor:
    """The neutral actor behind a Discord user or member."""
    return Actor(
        external_id=str(user.id),
        display_name=user.display_name,
        is_admin=is_manager(user, managers),
        is_bot=user.bot,
    )


def context_of(
    interaction: discord.Interaction, managers: Managers, guild: discord.Guild | None = None
) -> Context | None:
    """The context of a command or click, or None when no server is known.

    A click in a DM has no server of its own: ``guild`` (named by the button) stands in, and
    the member is looked up there so manager rights still count.
    """
    server = interaction.guild or guild
    if server is None:
        return None
    user = interaction.user
    if not isinstance(user, discord.Member):
        user = server.get_member(user.id) or user
    channel_id, thread_id = (None, None)
    if interaction.guild is not None:
        channel_id, thread_id = _place(interaction.channel, interaction.channel_id)
    return Context(
        community=community_of(server),
        actor=actor_of(user, managers),
        channel_id=channel_id,
        thread_id=thread_id,
    )


def _place(channel: object, fallback_id: int | None) -> tuple[str | None, str | None]:
    """Return ``(channel_id, thread_id)``: a thread reports its parent channel and itself."""
    if isinstance(channel, discord.Thread):
        return str(channel.parent_id), str(channel.id)
    return (str(fallback_id) if fallback_id is not None else None), None


def message_event(message: discord.Message, managers: Managers) -> Event | None:
    """A guild message as a MESSAGE event, or None for bots, DMs and system notices.

    A message opening a forum post (its id is the thread's id) is a new root: its text starts
    with the post's title. Any other message in a thread names the thread as its root. A channel
    the cache does not know (a thread from before a restart, not yet re-announced) is taken
    for a thread: only threads appear without a CHANNEL/THREAD_CREATE first. An inline reply
    (Discord's "Reply") names the message it replies to in ``reply_to``: the core follows the
    chain to its question, so it answers (or, from the asker, thanks) rather than asks.
    """
    if message.guild is None or message.author.bot or message.type not in _CHAT_TYPES:
        return None
    channel = message.channel
    text = message.content
    if isinstance(channel, discord.Thread):
        channel_id = str(channel.parent_id)
        if channel.id == message.id:
            thread_id = None
            if isinstance(channel.parent, discord.ForumChannel):
                text = f"{channel.name}\n{text}".strip()
        else:
            thread_id = str(channel.id)
    elif isinstance(channel, discord.PartialMessageable) and channel.id != message.id:
        channel_id, thread_id = str(channel.id), str(channel.id)
    else:
        channel_id, thread_id = str(channel.id), None
    return Event(
        kind=EventKind.MESSAGE,
        community=community_of(message.guild),
        actor=actor_of(message.author, managers),
        at=message.created_at,
        key=message_key(PLATFORM, channel_id, str(message.id)),
        channel_id=channel_id,
        message_id=str(message.id),
        thread_id=thread_id,
        text=text,
        reply_to=_replied_to(message),
        mentions=tuple(str(user.id) for user in message.mentions if not user.bot),
    )


def _replied_to(message: discord.Message) -> str | None:
    """The message an inline Discord reply answers (in the same channel), if any."""
    reference = message.reference
    if message.type is not discord.MessageType.reply or reference is None:
        return None
    if reference.message_id is None or reference.channel_id != message.channel.id:
        return None
    return str(reference.message_id)


def join_event(member: discord.Member, managers: Managers, now: datetime) -> Event | None:
    """A member joining as a MEMBER_JOINED event (bots are not members of the ladder)."""
    if member.bot:
        return None
    joined = member.joined_at or now
    return Event(
        kind=EventKind.MEMBER_JOINED,
        community=community_of(member.guild),
        actor=actor_of(member, managers),
        at=joined,
        key=f"join:{member.id}:{int(joined.timestamp())}",
    )


def reaction_event(
    payload: discord.RawReactionActionEvent,
    guild: discord.Guild | None,
    managers: Managers,
    now: datetime,
) -> Event | None:
    """A reaction on a guild message as a REACTION event (the core decides which emoji mean
    anything); bots' reactions are ignored."""
    member = payload.member
    if guild is None or member is None or member.bot or not payload.emoji.name:
        return None
    channel_id, thread_id = _place(guild.get_channel_or_thread(payload.channel_id), payload.channel_id)
    emoji = payload.emoji.name
    return Event(
        kind=EventKind.REACTION,
        community=community_of(guild),
        actor=actor_of(member, managers),
        at=now,
        key=reaction_key(PLATFORM, channel_id or "", str(payload.message_id), str(payload.user_id), emoji),
        channel_id=channel_id,
        message_id=str(payload.message_id),
        thread_id=thread_id,
        text=emoji,
    )
