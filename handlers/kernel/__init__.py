"""The kernel every capability stands on: neutral types, the chat port, the unit of work, the
clock, refusals, mention defusing and text cleaning, the member directory, delivery of notices
after commit, and the ladder config (the one index of every number).

Capabilities import from here (``from handlers.kernel import Scope``), never from the private
modules behind it.
"""

from handlers.kernel._clock import Clock, FakeClock, SystemClock
from handlers.kernel._config import (
    DEFAULT_LEVELS,
    Acceptance,
    Calls,
    ConfigError,
    LadderConfig,
    LevelRule,
    Managers,
    Points,
    QuestRule,
    Routing,
    cron_problems,
    load_config,
    parse_config,
    timezone_problems,
)
from handlers.kernel._cron import CronSchedule, cron_schedule
from handlers.kernel._delivery import Delivery
from handlers.kernel._directory import (
    all_communities,
    community_ref,
    dm_managers,
    dm_notice,
    ensure_community,
    ensure_member,
    find_member,
    is_manager,
    managers,
    record_once,
)
from handlers.kernel._mentions import defuse, plain_quote
from handlers.kernel._observer import NoObserver, Observer
from handlers.kernel._port import ChatError, ChatPort, FakeChatPort, Sent
from handlers.kernel._refusal import Refusal
from handlers.kernel._scope import Acting, Scope
from handlers.kernel._text import clean, is_blank, normalise_emoji, plural
from handlers.kernel._types import (
    Actor,
    Button,
    ChannelPost,
    CommunityRef,
    Context,
    DirectMessage,
    Event,
    EventKind,
    Image,
    LevelRoleChange,
    MemberRef,
    Message,
    MessageRef,
    MessageUpdate,
    Notice,
    Outcome,
    Track,
    Tracked,
    Visibility,
)
from handlers.kernel._wiring import Wiring

__all__ = [
    "DEFAULT_LEVELS",
    "Acceptance",
    "Acting",
    "Actor",
    "Button",
    "Calls",
    "ChannelPost",
    "ChatError",
    "ChatPort",
    "Clock",
    "CommunityRef",
    "ConfigError",
    "Context",
    "CronSchedule",
    "Delivery",
    "DirectMessage",
    "Event",
    "EventKind",
    "FakeChatPort",
    "FakeClock",
    "Image",
    "LadderConfig",
    "LevelRoleChange",
    "LevelRule",
    "Managers",
    "MemberRef",
    "Message",
    "MessageRef",
    "MessageUpdate",
    "NoObserver",
    "Notice",
    "Observer",
    "Outcome",
    "Points",
    "QuestRule",
    "Refusal",
    "Routing",
    "Scope",
    "Sent",
    "SystemClock",
    "Track",
    "Tracked",
    "Visibility",
    "Wiring",
    "all_communities",
    "clean",
    "community_ref",
    "cron_problems",
    "cron_schedule",
    "defuse",
    "dm_managers",
    "dm_notice",
    "ensure_community",
    "ensure_member",
    "find_member",
    "is_blank",
    "is_manager",
    "load_config",
    "managers",
    "normalise_emoji",
    "parse_config",
    "plain_quote",
    "plural",
    "record_once",
    "timezone_problems",
]
