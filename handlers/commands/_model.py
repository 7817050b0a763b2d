"""The command model: one dataclass per ``/ladder`` command, each carrying its usage line, what
help says of it, and whether only managers may run it (the one manager rule).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from handlers.kernel import MemberRef


@dataclass(frozen=True, slots=True)
class Syntax:
    """One form of a command: its key (``"call new"``), usage line, help summary, manager flag."""

    key: str
    usage: str
    summary: str
    managers_only: bool = False


@dataclass(frozen=True, slots=True)
class Help:
    """Show the command list, or one command's usage."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (Syntax("help", "/ladder help [command]", "this list"),)

    topic: str | None = None


@dataclass(frozen=True, slots=True)
class ShowLevel:
    """Show a member's level (one's own by default)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("level", "/ladder level [@member]", "a member's level and record"),
    )

    member: MemberRef | None = None


@dataclass(frozen=True, slots=True)
class Why:
    """Explain what is still missing for the next level."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("why", "/ladder why", "what you still need for the next level"),
    )


@dataclass(frozen=True, slots=True)
class ListQuests:
    """List the quests for one's level."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("quests", "/ladder quests", "your quests towards the next level"),
    )


@dataclass(frozen=True, slots=True)
class SubmitQuest:
    """Submit a quest with evidence."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("quest submit", "/ladder quest submit <quest> <evidence>", "submit a quest with evidence"),
    )

    quest: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ReviewQuest:
    """Approve or reject a member's quest submission."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "quest approve",
            "/ladder quest approve @member <quest> [note]",
            "approve a member's quest (higher level or manager)",
        ),
        Syntax(
            "quest reject", "/ladder quest reject @member <quest> <reason>", "return a quest with a reason"
        ),
    )

    approve: bool
    member: MemberRef
    quest: str
    note: str


@dataclass(frozen=True, slots=True)
class Ask:
    """Ask a question."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("ask", "/ladder ask <text>", "ask a question; it goes to a few helpers one tier up"),
    )

    text: str


@dataclass(frozen=True, slots=True)
class Solved:
    """Mark one's question solved (the latest open one by default)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("solved", "/ladder solved [question-id]", "mark your question solved (credits the helper)"),
    )

    question_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewCall:
    """Open a call to action."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "call new",
            '/ladder call new "<title>" need=<n> [level=<min>] [skills=a,b] [deadline=7d] [post=yes]',
            "open a call to action (managers, level 4+)",
        ),
    )

    title: str
    need: int
    min_level: str | None
    skills: frozenset[str]
    deadline: timedelta | None
    post: bool


@dataclass(frozen=True, slots=True)
class ListCalls:
    """List open calls."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (Syntax("call list", "/ladder call list", "open calls"),)


@dataclass(frozen=True, slots=True)
class JoinCall:
    """Join a call (or its waitlist)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("call join", "/ladder call join <id>", "join a call or its waitlist"),
    )

    call_id: int


@dataclass(frozen=True, slots=True)
class LeaveCall:
    """Withdraw from a call."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (Syntax("call leave", "/ladder call leave <id>", "leave a call"),)

    call_id: int


@dataclass(frozen=True, slots=True)
class CallDone:
    """Credit members who fulfilled a call."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "call done", "/ladder call done <id> @member [@member …]", "credit those who fulfilled a call"
        ),
    )

    call_id: int
    members: tuple[MemberRef, ...]


@dataclass(frozen=True, slots=True)
class CloseCall:
    """Close a call early."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("call close", "/ladder call close <id>", "close a call early"),
    )

    call_id: int


@dataclass(frozen=True, slots=True)
class Health:
    """Show the digest now, privately."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("health", "/ladder health", "the participation-health digest, now"),
    )


@dataclass(frozen=True, slots=True)
class DigestChannel:
    """Set where the digest is posted."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "digest channel",
            "/ladder digest channel #channel",
            "where the digest is posted",
            managers_only=True,
        ),
    )

    channel_id: str


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """Set the digest's cron and, optionally, its time zone."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "digest schedule",
            '/ladder digest schedule "<cron>" [tz=<Area/City>]',
            "when the digest is posted (cron)",
            managers_only=True,
        ),
    )

    cron: str
    timezone: str | None


@dataclass(frozen=True, slots=True)
class SetLevel:
    """A manager's promote/demote, with a reason for the audit log."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "promote",
            "/ladder promote @member <level> <reason>",
            "set a higher level by hand (audited)",
            managers_only=True,
        ),
        Syntax(
            "demote",
            "/ladder demote @member <level> <reason>",
            "set a lower level by hand (audited)",
            managers_only=True,
        ),
    )

    promote: bool
    member: MemberRef
    level: str
    reason: str


@dataclass(frozen=True, slots=True)
class Roster:
    """List the routing roster with resting helpers."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("roster", "/ladder roster", "who answers questions, and who is resting", managers_only=True),
    )


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A private one-time link to the community's web dashboard (managers)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax(
            "dashboard",
            "/ladder dashboard",
            "a private sign-in link to the web dashboard",
            managers_only=True,
        ),
    )


@dataclass(frozen=True, slots=True)
class SetSkills:
    """Show or set one's skills (used to match calls)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("skills", "/ladder skills [skill,skill,…]", "show or set your skills (for calls)"),
    )

    skills: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class ForgetMe:
    """Erase one's personal data (needs ``confirm``)."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("forget-me", "/ladder forget-me [confirm]", "erase your personal data"),
    )

    confirmed: bool


@dataclass(frozen=True, slots=True)
class ExportMe:
    """Export everything Ladder holds on oneself."""

    SYNTAX: ClassVar[tuple[Syntax, ...]] = (
        Syntax("export-me", "/ladder export-me", "everything Ladder holds on you"),
    )


Command = (
    Help
    | ShowLevel
    | Why
    | ListQuests
    | SubmitQuest
    | ReviewQuest
    | Ask
    | Solved
    | NewCall
    | ListCalls
    | JoinCall
    | LeaveCall
    | CallDone
    | CloseCall
    | Health
    | DigestChannel
    | DigestSchedule
    | SetLevel
    | Roster
    | Dashboard
    | SetSkills
    | ForgetMe
    | ExportMe
)

COMMANDS: tuple[type[Command], ...] = (
    Help,
    ShowLevel,
    Why,
    ListQuests,
    SubmitQuest,
    ReviewQuest,
    Ask,
    Solved,
    NewCall,
    ListCalls,
    JoinCall,
    LeaveCall,
    CallDone,
    CloseCall,
    Health,
    DigestChannel,
    DigestSchedule,
    SetLevel,
    Roster,
    Dashboard,
    SetSkills,
    ForgetMe,
    ExportMe,
)
"""Every command, in the order help lists them."""

SYNTAXES: dict[str, Syntax] = {syntax.key: syntax for command in COMMANDS for syntax in command.SYNTAX}
USAGE: dict[str, str] = {key: syntax.usage for key, syntax in SYNTAXES.items()}


def needs_manager(command: object) -> bool:
    """Say whether a command is reserved to managers (checked before anything is touched)."""
    forms: tuple[Syntax, ...] = getattr(type(command), "SYNTAX", ())
    return any(form.managers_only for form in forms)
