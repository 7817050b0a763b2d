"""A batch of events read as conversations: the one rulebook decides, set-based writes store.

Live events and imported history both come through here (:mod:`handlers.ingest`): first
:func:`read_batch` (the rulebook over the batch and the stored threads it touches), then
:func:`store_batch` (new questions, answers and acceptances, and the credits they earn within the
anti-farming limits). Live ingestion checks the askers' question limits between the two.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import timedelta

from handlers.kernel import Event, Scope
from handlers.ladder import Credit
from handlers.routing._antifarming import credits_for
from handlers.routing._prereading import thanking_askers
from handlers.routing._rulebook import Decisions, MemberInfo, Rulebook
from handlers.routing._similar import Terms
from handlers.routing._thread_writes import write_decisions
from handlers.routing._threads import load_known, references, thanks_horizon


async def read_batch(
    scope: Scope,
    fresh: Sequence[Event],
    ids: Mapping[str, int],
    members: Mapping[int, MemberInfo],
    *,
    live: bool,
    questions: Collection[str] = frozenset(),
) -> Decisions:
    """What a batch's new events (in time order) mean: questions, answers, acceptances, intros.

    ``ids`` are the actors' member ids and ``members`` their levels and manager rights;
    ``questions`` names the keys a history reader recognised as questions.
    """
    window = timedelta(hours=scope.config.acceptance.thanks_window_hours)
    events = list(fresh)
    askers = thanking_askers(scope.config, events, ids, live=live)
    known = await load_known(scope, references(events), thanks_horizon(events, window), askers)
    rulebook = Rulebook(scope.config, known, members, live=live, questions=questions)
    return rulebook.read(events, ids)


async def store_batch(
    scope: Scope, decisions: Decisions, members: dict[int, MemberInfo], terms: Terms
) -> list[Credit]:
    """Store what the rulebook decided and return the credits it earns (not yet written)."""
    await write_decisions(scope, decisions, members, terms)
    return await credits_for(scope, decisions)
