"""``/ladder help``: every command's usage line, or one command's."""

from handlers.commands._model import SYNTAXES
from handlers.kernel import Acting, Message, Outcome


def show(acting: Acting, topic: str | None) -> Outcome:
    """List commands (manager-only ones marked), or explain one."""
    if topic:
        forms = [s for k, s in SYNTAXES.items() if k == topic or k.split()[0] == topic.split()[0]]
        text = "\n".join(f"Usage: {s.usage} — {s.summary}" for s in forms)
        return Outcome().reply(Message(text=text))
    lines = [
        f"`{s.usage}` — {s.summary}{' (managers)' if s.managers_only else ''}"
        for s in SYNTAXES.values()
        if acting.is_manager or not s.managers_only
    ]
    return Outcome().reply(Message(title="Ladder commands", text="\n".join(lines)))
