"""The one command grammar: ``/ladder <subcommand> …`` parsed the same way on every platform.

Each adapter passes the text after ``/ladder`` (or after ``@bot /ladder`` on the console) to
:func:`parse`, which returns a command dataclass or raises :class:`UsageError` carrying the usage
line of the closest command and a one-line reason.
"""

import difflib
import re
import shlex
from collections.abc import Callable
from datetime import timedelta

from handlers.commands._model import (
    USAGE,
    Ask,
    CallDone,
    CloseCall,
    Command,
    Dashboard,
    DigestChannel,
    DigestSchedule,
    ExportMe,
    ForgetMe,
    Health,
    Help,
    JoinCall,
    LeaveCall,
    ListCalls,
    ListQuests,
    NewCall,
    ReviewQuest,
    Roster,
    SetLevel,
    SetSkills,
    ShowLevel,
    Solved,
    SubmitQuest,
    Why,
)
from handlers.kernel import MemberRef, Refusal, clean, is_blank

MAX_TEXT = 3000
MAX_ID_DIGITS = 9  # a record id a command or a button names: far beyond any real one, inside every int


class UsageError(Exception):
    """Malformed or unknown input: the usage line of the closest command and why it failed."""

    def __init__(self, command: str, reason: str) -> None:
        super().__init__(reason)
        self.command = command
        self.reason = reason

    @property
    def usage(self) -> str:
        """The usage line, beginning ``Usage: /ladder``."""
        return f"Usage: {USAGE[self.command]}"

    def __str__(self) -> str:
        return f"{self.usage}\n{self.reason}"


_Parser = Callable[[str], Command]

_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_MEMBER = re.compile(r"^(?:<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>|@([\w.\-]+))$")
_CHANNEL = re.compile(r"^(?:<#([A-Za-z0-9]+)(?:\|[^>]*)?>|#([\w\-]+))$")
_QUOTED_TITLE = re.compile(r'^\s*"([^"]*)"')
_DURATION = re.compile(r"^(\d+)([mhdw])$")
_SKILL = re.compile(r"^[a-z0-9][a-z0-9+#.\-]{0,31}$")
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_MINUTES_PER_UNIT = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
LONGEST_DURATION = timedelta(days=365)
NUMBER_CAP = 10**9
"""Numbers past this are all "too big": no limit in Ladder comes near, and a 5,000-digit
number would otherwise cost a slow (or refused) conversion."""


def parse(text: str) -> Command:
    """Parse the text after ``/ladder`` into a command, or raise :class:`UsageError`."""
    text = clean(text.translate(_SMART_QUOTES))
    if text.startswith("/ladder"):
        text = text.removeprefix("/ladder").strip()
    head, _, rest = text.partition(" ")
    head = head.lower()
    if not head:
        return Help()
    parsers = {
        "help": _help,
        "level": _level,
        "why": _no_args("why", Why()),
        "quests": _no_args("quests", ListQuests()),
        "quest": _quest,
        "ask": _ask,
        "solved": _solved,
        "call": _call,
        "health": _no_args("health", Health()),
        "digest": _digest,
        "promote": _set_level(True),
        "demote": _set_level(False),
        "roster": _no_args("roster", Roster()),
        "dashboard": _no_args("dashboard", Dashboard()),
        "skills": _skills,
        "forget-me": _forget,
        "export-me": _no_args("export-me", ExportMe()),
    }
    parser = parsers.get(head)
    if parser is None:
        raise UsageError(closest(head), f"Unknown command {head[:30]!r}.")
    return parser(rest.strip())


def closest(word: str) -> str:
    """Return the usage key closest to a misspelt command (``help`` when nothing is close)."""
    heads = sorted({key.split()[0] for key in USAGE})
    match = difflib.get_close_matches(word, heads, n=1, cutoff=0.5)
    if not match:
        return "help"
    return next(key for key in USAGE if key.split()[0] == match[0])


def _split(command: str, text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        raise UsageError(command, "A quote is not closed.") from None


def _no_args(command: str, value: Command) -> _Parser:
    def parse_none(rest: str) -> Command:
        if rest:
            raise UsageError(command, f"`{command}` takes no arguments.")
        return value

    return parse_none


def _help(rest: str) -> Command:
    topic = rest.lower() or None
    if topic and topic not in USAGE and topic.split()[0] not in {k.split()[0] for k in USAGE}:
        raise UsageError("help", f"No command called {topic[:30]!r}.")
    return Help(topic)


def _level(rest: str) -> Command:
    if not rest:
        return ShowLevel()
    words = rest.split()
    if len(words) > 1:
        raise UsageError("level", "Name one member at most.")
    return ShowLevel(member_ref(words[0], "level"))


def _quest(rest: str) -> Command:
    verb, _, args = rest.partition(" ")
    verb = verb.lower()
    if verb == "submit":
        words = args.split(maxsplit=1)
        if len(words) < 2:
            raise UsageError("quest submit", "Name the quest and give evidence (a link or a sentence).")
        return SubmitQuest(quest=words[0].lower(), evidence=_text("quest submit", words[1]))
    if verb in ("approve", "reject"):
        key = f"quest {verb}"
        words = args.split(maxsplit=2)
        if len(words) < 2:
            raise UsageError(key, "Name the member and the quest.")
        note = words[2] if len(words) > 2 and not is_blank(words[2]) else ""
        if verb == "reject" and not note:
            raise UsageError(key, "Give a reason so the member knows what to change.")
        return ReviewQuest(
            approve=verb == "approve",
            member=member_ref(words[0], key),
            quest=words[1].lower(),
            note=_text(key, note) if note else "",
        )
    raise UsageError(
        _closest_verb("quest", verb, ("submit", "approve", "reject")),
        f"`quest` needs submit, approve or reject (got {verb[:20]!r})."
        if verb
        else "`quest` needs submit, approve or reject.",
    )


def _ask(rest: str) -> Command:
    if not rest:
        raise UsageError("ask", "Write your question after `ask`.")
    return Ask(_text("ask", rest))


def _solved(rest: str) -> Command:
    if not rest:
        return Solved()
    return Solved(_number("solved", rest.lstrip("#"), "question id"))


def _call(rest: str) -> Command:
    verb, _, args = rest.partition(" ")
    verb = verb.lower()
    args = args.strip()
    if verb == "new":
        return _new_call(args)
    if verb == "list":
        return _no_args("call list", ListCalls())(args)
    if verb in ("join", "leave", "close"):
        key = f"call {verb}"
        words = args.split()
        if len(words) != 1:
            raise UsageError(key, "Give exactly one call id.")
        call_id = _number(key, words[0].lstrip("#"), "call id")
        kinds: dict[str, type[JoinCall | LeaveCall | CloseCall]] = {
            "join": JoinCall,
            "leave": LeaveCall,
            "close": CloseCall,
        }
        return kinds[verb](call_id)
    if verb == "done":
        words = args.split()
        if len(words) < 2:
            raise UsageError("call done", "Give the call id and at least one @member.")
        call_id = _number("call done", words[0].lstrip("#"), "call id")
        members = tuple(dict.fromkeys(member_ref(w, "call done") for w in words[1:]))
        return CallDone(call_id, members)
    raise UsageError(
        _closest_verb("call", verb, ("new", "list", "join", "leave", "done", "close")),
        f"`call` needs new, list, join, leave, done or close (got {verb[:20]!r})."
        if verb
        else "`call` needs new, list, join, leave, done or close.",
    )


def _new_call(args: str) -> Command:
    key = "call new"
    quoted = _QUOTED_TITLE.match(args)
    words = _split(key, args[quoted.end() :] if quoted else args)
    title_words = [quoted.group(1)] if quoted else []
    title_words += [w for w in words if "=" not in w]
    options: dict[str, str] = {}
    for word in words:
        if "=" in word:
            name, _, value = word.partition("=")
            name = name.lower()
            if name not in ("need", "level", "skills", "deadline", "post"):
                raise UsageError(
                    key,
                    f"Unknown option {name[:20]!r}: use need=, level=, skills=, deadline=, post=.",
                )
            if name in options:
                raise UsageError(key, f"{name}= is given twice.")
            options[name] = value
    if len(title_words) != 1 or not title_words[0].strip():
        raise UsageError(key, 'Put the title in quotes: call new "Review the docs" need=3.')
    if "need" not in options:
        raise UsageError(key, "need= is required: how many people the call needs.")
    if not is_number(options["need"]):
        raise UsageError(key, "need= must be a whole number: how many people the call needs.")
    need = bounded_number(options["need"])
    skills: frozenset[str] = frozenset()
    if options.get("skills"):
        skills = parse_skills(key, options["skills"])
    deadline = parse_duration(key, options["deadline"]) if "deadline" in options else None
    post = options.get("post", "no").lower()
    if post not in ("yes", "no"):
        raise UsageError(key, "post= must be yes or no.")
    return NewCall(
        title=_text(key, title_words[0].strip(), limit=200),
        need=need,
        min_level=options.get("level") or None,
        skills=skills,
        deadline=deadline,
        post=post == "yes",
    )


def _digest(rest: str) -> Command:
    verb, _, args = rest.partition(" ")
    verb = verb.lower()
    args = args.strip()
    if verb == "channel":
        words = args.split()
        if len(words) != 1:
            raise UsageError("digest channel", "Name one channel, like #general.")
        match = _CHANNEL.match(words[0])
        if not match:
            raise UsageError("digest channel", f"{words[0][:40]!r} is not a channel: write #name.")
        return DigestChannel(match.group(1) or match.group(2))
    if verb == "schedule":
        words = _split("digest schedule", args)
        tz = None
        if words and words[-1].lower().startswith("tz="):
            tz = words.pop()[3:]
        if len(words) != 1:
            raise UsageError("digest schedule", 'Quote the cron: digest schedule "0 9 * * 1".')
        return DigestSchedule(words[0], tz or None)
    raise UsageError(
        _closest_verb("digest", verb, ("channel", "schedule")),
        "`digest` needs channel or schedule.",
    )


def _set_level(promote: bool) -> _Parser:
    key = "promote" if promote else "demote"

    def parse_set_level(rest: str) -> Command:
        words = rest.split(maxsplit=2)
        if len(words) < 3:
            raise UsageError(key, "Name the member, the level and a reason (kept in the audit log).")
        return SetLevel(promote, member_ref(words[0], key), words[1], _text(key, words[2], 500))

    return parse_set_level


def _skills(rest: str) -> Command:
    if not rest:
        return SetSkills(None)
    return SetSkills(parse_skills("skills", rest.replace(" ", ",")))


def _forget(rest: str) -> Command:
    if rest.lower() not in ("", "confirm"):
        raise UsageError("forget-me", "Add only the word confirm to erase your data.")
    return ForgetMe(confirmed=rest.lower() == "confirm")


def member_ref(word: str, command: str) -> MemberRef:
    """Parse a member mention: ``<@U123>``, ``<@!123>``, ``<@U1|name>`` or ``@handle``."""
    match = _MEMBER.match(word)
    if not match:
        raise UsageError(command, f"{word[:40]!r} is not a member: mention them, like @name.")
    if match.group(1):
        return MemberRef(match.group(1), resolved=True)
    return MemberRef(match.group(2))


def parse_skills(command: str, text: str) -> frozenset[str]:
    """Parse ``a,b,c`` into lower-case skill tags."""
    skills = frozenset(s.strip().lower() for s in text.split(",") if s.strip())
    bad = sorted(s for s in skills if not _SKILL.match(s))
    if bad:
        raise UsageError(command, f"{bad[0][:32]!r} is not a skill: use letters, digits, + # . -")
    if len(skills) > 20:
        raise UsageError(command, "At most 20 skills.")
    return skills


def parse_duration(command: str, text: str) -> timedelta:
    """Parse ``30m``, ``12h``, ``7d`` or ``2w``: more than nothing, at most a year."""
    match = _DURATION.match(text.lower())
    if not match or not match.group(1).isascii():
        raise UsageError(command, f"{text[:20]!r} is not a duration: use 30m, 12h, 7d or 2w.")
    count, unit = bounded_number(match.group(1)), match.group(2)
    if count == 0:
        raise UsageError(command, f"{text[:20]!r} is no time at all: use 30m, 12h, 7d or 2w.")
    if count * _MINUTES_PER_UNIT[unit] > LONGEST_DURATION / timedelta(minutes=1):
        raise UsageError(command, f"{text[:20]!r} is too far: a duration is at most a year (365d).")
    return timedelta(**{_DURATION_UNITS[unit]: count})


def bounded_number(word: str) -> int:
    """The value of a plain whole number, capped at :data:`NUMBER_CAP` (still "too big" to
    every limit) so that huge input costs nothing to read."""
    digits = word.lstrip("0")
    return NUMBER_CAP if len(digits) > len(str(NUMBER_CAP)) else min(int(digits or "0"), NUMBER_CAP)


def is_number(word: str) -> bool:
    """Say whether a word is a plain ASCII whole number (``'²'`` is a digit but not a number)."""
    return word.isascii() and word.isdecimal()


def _number(command: str, word: str, what: str) -> int:
    if not is_number(word) or len(word) > MAX_ID_DIGITS:
        raise UsageError(command, f"{word[:20]!r} is not a {what}: use a number like 12.")
    return int(word)


def _text(command: str, text: str, limit: int = MAX_TEXT) -> str:
    """Every member text the grammar accepts: cleaned, readable, and within its limit."""
    text = clean(text)
    if is_blank(text):
        raise UsageError(command, "There is no text to read once invisible characters are removed.")
    if len(text) > limit:
        raise UsageError(command, f"Too long: {len(text)} characters, at most {limit}.")
    return text


def _closest_verb(head: str, verb: str, verbs: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(verb, verbs, n=1, cutoff=0.5)
    return f"{head} {match[0] if match else verbs[0]}"


def usage_refusal(command: str, reason: str) -> Refusal:
    """A refusal worded like a parse error: the command's usage line and the reason."""
    return Refusal(str(UsageError(command, reason)))
