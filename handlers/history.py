"""The history half of the write path: an imported batch's questions, answers and acceptances.

:func:`handlers.ingest.record` with ``live=False`` hands the batch's new events here once members
and activity are written. The batch is read by the same rulebook as live events
(:mod:`handlers.rulebook`), its decisions are stored with the same set-based statements
(:mod:`handlers.thread_writes`) and credited within the same limits (:mod:`handlers.antifarming`);
nothing here talks to anyone, and promotions wait for the placement at the end of the import
(:mod:`handlers.placement`).
"""

from collections.abc import Collection
from datetime import timedelta

from handlers.antifarming import credits_for
from handlers.kernel import Event, Scope
from handlers.ladder import credit
from handlers.rulebook import MemberInfo, Rulebook, thanking_askers
from handlers.thread_writes import write_decisions
from handlers.threads import load_known, references, thanks_horizon


async def record_history(
    scope: Scope,
    fresh: list[Event],
    ids: dict[str, int],
    members: dict[int, MemberInfo],
    questions: Collection[str],
) -> None:
    """Questions, answers, acceptances and introductions of a history batch.

    ``fresh`` are the batch's new events in time order, ``ids`` their actors' member ids and
    ``members`` their levels and manager rights.
    """
    window = timedelta(hours=scope.config.acceptance.thanks_window_hours)
    askers = thanking_askers(scope.config, fresh, ids)
    known = await load_known(scope, references(fresh), thanks_horizon(fresh, window), askers)
    decisions = Rulebook(scope.config, known, members, live=False, questions=questions).read(fresh, ids)
    await write_decisions(scope, decisions, members)
    await credit(scope, await credits_for(scope, decisions), promote=False)
