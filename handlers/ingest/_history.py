"""The history half of the write path: an imported batch's questions, answers and acceptances.

:func:`handlers.ingest.record_history` hands the batch's new events here once members and
activity are written. The batch is read by the same rulebook as live events
(:mod:`handlers.rulebook`), its decisions are stored with the same set-based statements
(:mod:`handlers.thread_writes`) and credited within the same limits (:mod:`handlers.antifarming`);
nothing here talks to anyone, and promotions wait for the placement at the end of the import
(:mod:`handlers.placement`).
"""

from collections.abc import Collection

from handlers.kernel import Event, Scope
from handlers.ladder import credit
from handlers.routing import MemberInfo, Terms, read_batch, store_batch


async def store_history(
    scope: Scope,
    fresh: list[Event],
    ids: dict[str, int],
    members: dict[int, MemberInfo],
    questions: Collection[str],
    terms: Terms,
) -> None:
    """Questions, answers, acceptances and introductions of a history batch.

    ``fresh`` are the batch's new events in time order, ``ids`` their actors' member ids and
    ``members`` their levels and manager rights.
    """
    decisions = await read_batch(scope, fresh, ids, members, live=False, questions=questions)
    await credit(scope, await store_batch(scope, decisions, members, terms), promote=False)
