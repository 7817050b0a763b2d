"""``/ladder help``: every command's usage line, or one command's."""

from handlers.grammar import MANAGER_COMMANDS, USAGE
from handlers.kernel import Acting, Message, Outcome

SUMMARY: dict[str, str] = {
    "help": "this list",
    "level": "a member's level and record",
    "why": "what you still need for the next level",
    "quests": "your quests towards the next level",
    "quest submit": "submit a quest with evidence",
    "quest approve": "approve a member's quest (higher level or manager)",
    "quest reject": "return a quest with a reason",
    "ask": "ask a question; it goes to a few helpers one tier up",
    "solved": "mark your question solved (credits the helper)",
    "call new": "open a call to action (managers, level 4+)",
    "call list": "open calls",
    "call join": "join a call or its waitlist",
    "call leave": "leave a call",
    "call done": "credit those who fulfilled a call",
    "call close": "close a call early",
    "health": "the participation-health digest, now",
    "digest channel": "where the digest is posted",
    "digest schedule": "when the digest is posted (cron)",
    "promote": "set a higher level by hand (audited)",
    "demote": "set a lower level by hand (audited)",
    "roster": "who answers questions, and who is resting",
    "skills": "show or set your skills (for calls)",
    "forget-me": "erase your personal data",
    "export-me": "everything Ladder holds on you",
}


def show(acting: Acting, topic: str | None) -> Outcome:
    """List commands (manager-only ones marked), or explain one."""
    if topic:
        keys = [k for k in USAGE if k == topic or k.split()[0] == topic.split()[0]]
        text = "\n".join(f"Usage: {USAGE[k]} — {SUMMARY[k]}" for k in keys)
        return Outcome().reply(Message(text=text))
    lines = [
        f"`{USAGE[key]}` — {SUMMARY[key]}{' (managers)' if key in MANAGER_COMMANDS else ''}"
        for key in USAGE
        if acting.is_manager or key not in MANAGER_COMMANDS
    ]
    return Outcome().reply(Message(title="Ladder commands", text="\n".join(lines)))
