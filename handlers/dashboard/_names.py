"""The names behind a manager's ``/ladder health`` (here, beside the read models they come from;
the digest in :mod:`handlers.health` only counts): who waits for their confirmation and who is
stalled, each with the one thing they are missing next.

The public digest only counts; a manager, privately, gets names. They come from the dashboard's
Ready & stalled read models (:func:`handlers.dashboard.ready_for_confirmation` and
:func:`handlers.dashboard.stalled_members`), so the chat and the page always name the same people,
and the stalled list covers the very period and rule the digest's "stalled" figure counts.
"""

from handlers.dashboard._progress import ready_for_confirmation, stalled_members
from handlers.health import health_now
from handlers.kernel import Acting, Outcome, Scope, defuse, plural

NAMES_SHOWN = 15
READY_HEADING = "Ready for your confirmation"
STALLED_HEADING = "Stalled, by name (each with the one thing missing next)"


async def named_progress(scope: Scope, shown: int = NAMES_SHOWN) -> list[tuple[str, str]]:
    """Two message fields for a manager: members ready for confirmation and stalled members, by
    name (mention-proof), at most ``shown`` of each, the rest counted."""
    ready = await ready_for_confirmation(scope)
    ready_lines = [
        f"{defuse(item.member.name)}: {item.member.level_name}, meets every requirement of "
        f"{item.member.next_level_name} but your confirmation"
        for item in ready[:shown]
    ]
    if len(ready) > shown:
        ready_lines.append(f"and {plural(len(ready) - shown, 'more member')} (see the dashboard)")
    stalled = await stalled_members(scope, limit=shown)
    stalled_lines = [
        f"{defuse(item.member.name)}: {item.member.level_name}, next: {item.next_step}"
        + (f" (and {plural(item.more, 'more thing')})" if item.more else "")
        for item in stalled.rows
    ]
    if stalled.total > len(stalled.rows):
        stalled_lines.append(
            f"and {plural(stalled.total - len(stalled.rows), 'more member')} (see the dashboard)"
        )
    return [
        (READY_HEADING, "\n".join(ready_lines) or "Nobody"),
        (STALLED_HEADING, "\n".join(stalled_lines) or "Nobody"),
    ]


async def health_with_names(acting: Acting) -> Outcome:
    """``/ladder health``: the digest now (:func:`handlers.health.health_now`); a manager also gets
    the names of who is ready for confirmation and who is stalled, with their next step."""
    names = await named_progress(acting.scope) if acting.is_manager else []
    return await health_now(acting, names)
