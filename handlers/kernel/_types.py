"""The neutral types every adapter speaks: who acts where, what comes in, what goes out.

An adapter turns a platform payload into a :class:`Context` plus command text or an
:class:`Event`, calls one handler, and renders the :class:`Message` objects it gets back.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

from handlers.kernel._mentions import defuse_mass


@dataclass(frozen=True, slots=True)
class CommunityRef:
    """Which community: ``(platform, external_id)`` plus a display name."""

    platform: str
    external_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    """The member acting. ``is_admin`` is the platform's own say (workspace admin, Manage Server)."""

    external_id: str
    display_name: str = ""
    is_admin: bool = False
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A member named in a command: the platform's id, or a handle typed as ``@name``.

    ``resolved`` is true for a platform mention token (``<@U123>``): the platform vouches that
    such a person exists, so Ladder may record them even before they have said anything.
    """

    external_id: str
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class Context:
    """Where and by whom a command was given."""

    community: CommunityRef
    actor: Actor
    channel_id: str | None = None
    thread_id: str | None = None


class Visibility(StrEnum):
    """Private replies are ephemeral where the platform allows, else a DM."""

    PRIVATE = "private"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Button:
    """A clickable action. ``action`` names the handler; ``value`` is its argument."""

    label: str
    action: str
    value: str
    style: str = "default"


@dataclass(frozen=True, slots=True)
class Image:
    """A PNG to attach (the digest chart)."""

    filename: str
    data: bytes
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """A neutral message. Member mentions are written ``<@external_id>``; adapters render them.

    ``mentions`` lists the only members this message may ping: each adapter shows any other
    ``<@id>`` as a plain name. Every mass mention in its title, text, fields and button labels
    is defused here, as the message is built, so no code path that repeats member text (a call
    title, a review note, a reason) can forget it.
    """

    text: str
    title: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    image: Image | None = None
    visibility: Visibility = Visibility.PRIVATE
    mentions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        inert = object.__setattr__
        inert(self, "text", defuse_mass(self.text))
        inert(self, "title", defuse_mass(self.title))
        inert(self, "fields", tuple((defuse_mass(k), defuse_mass(v)) for k, v in self.fields))
        inert(
            self,
            "buttons",
            tuple(replace(b, label=defuse_mass(b.label)) for b in self.buttons),
        )


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a message ended up, so it can be updated in place or replied to in a thread."""

    channel_id: str
    message_id: str


class Tracked(StrEnum):
    """The records whose posted message is remembered: a call (updated in place as people sign
    up) and a question (its thread gathers the answers)."""

    CALL = "call"
    QUESTION = "question"


@dataclass(frozen=True, slots=True)
class Track:
    """Which record stores the reference of the message a notice posts."""

    record: Tracked
    record_id: int


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """A direct message to one member (their platform id)."""

    member_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """A message posted in a channel; one carrying an image is uploaded with it. ``track`` asks
    the sender to store where it was posted, so it can be updated in place or replied under."""

    channel_id: str
    message: Message
    track: Track | None = None


@dataclass(frozen=True, slots=True)
class MessageUpdate:
    """A message Ladder posted earlier, rewritten in place (a call's status)."""

    ref: MessageRef
    message: Message


@dataclass(frozen=True, slots=True)
class LevelRoleChange:
    """Mirror a member's level as a platform role or user group."""

    member_id: str
    level: int
    level_name: str


Notice: TypeAlias = DirectMessage | ChannelPost | MessageUpdate | LevelRoleChange
"""Something to send after the use case's transaction has committed, to the community it ran in."""


@dataclass(slots=True)
class Outcome:
    """What a use case produced: replies to the actor, notices for everyone else, and the
    contributions newly credited by kind (for metrics, reported after commit).

    ``later`` are replies built after the transaction commits, in a worker thread: work that
    needs no database and should not hold it (the health chart).
    """

    replies: list[Message] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    credited: Counter[str] = field(default_factory=Counter)
    later: list[Callable[[], Message]] = field(default_factory=list)

    def reply(self, message: Message) -> "Outcome":
        """Add a reply to the actor and return self, so use cases can chain."""
        self.replies.append(message)
        return self

    def extend(self, other: "Outcome") -> None:
        """Fold another outcome's replies and notices into this one."""
        self.replies.extend(other.replies)
        self.notices.extend(other.notices)
        self.credited.update(other.credited)
        self.later.extend(other.later)


class EventKind(StrEnum):
    """Platform-neutral events the adapters and the importer feed in."""

    MEMBER_JOINED = "member_joined"
    MESSAGE = "message"
    REACTION = "reaction"


@dataclass(frozen=True, slots=True)
class Event:
    """One platform event. ``key`` is unique per community (Slack ``event_id``, message id…).

    For a message, ``message_id`` is its id and ``thread_id`` the id of the thread's root (or
    None); for a reaction, ``message_id`` is the message reacted to and ``text`` the emoji name
    as the platform spells it (the core normalises skin tones and variants).

    ``reply_to`` is the message an inline reply answers (Discord's reply reference), and
    ``mentions`` the platform ids of the members a message mentions: a thanks credits the reply
    it answers or the helper it names.
    """

    kind: EventKind
    community: CommunityRef
    actor: Actor
    at: datetime
    key: str
    channel_id: str | None = None
    message_id: str | None = None
    thread_id: str | None = None
    text: str = ""
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()
