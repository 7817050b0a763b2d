"""Crediting contributions and recording activity: the write path every use case shares.

Credits go in as one batch statement that skips source ids already in the ledger, so the same
platform event is never credited twice; the credited members' totals (``Member.points`` and one
count per kind) move by what was inserted, in the same transaction; promotions are then checked
for the members credited.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, insert
from sqlmodel import col, select, update

from handlers.kernel import Outcome, QuestRule, Scope
from handlers.ladder._promotion import promote_if_due
from handlers.ladder._sources import quest_source
from models import (
    TOTAL_OF_KIND,
    ActiveDay,
    Contribution,
    ContributionKind,
    Member,
    MemberStatus,
    Quest,
    QuestProgress,
    QuestStatus,
)
from models.queries import chunks, insert_new


@dataclass(frozen=True, slots=True)
class Credit:
    """One contribution to record; ``asker_id`` names the asker of an accepted answer."""

    member_id: int
    kind: str
    points: int
    source_id: str
    at: datetime
    asker_id: int | None = None


async def credit(scope: Scope, credits: Sequence[Credit], *, promote: bool = True) -> Outcome:
    """Record contributions (each source id once), complete automatic quests, check promotions.

    ``promote=False`` (history import) leaves promotions to one evaluation at the end.
    """
    rows = {
        c.source_id: {
            "community_id": scope.community_id,
            "member_id": c.member_id,
            "kind": c.kind,
            "points": c.points,
            "source_id": c.source_id,
            "created_at": c.at,
            "asker_id": c.asker_id,
        }
        for c in credits
    }
    if not rows:
        return Outcome()
    new = await insert_new(
        scope.session,
        Contribution,
        list(rows.values()),
        ("community_id", "source_id"),
        returning=(Contribution.member_id, Contribution.kind, Contribution.created_at, Contribution.points),
    )
    await _add_to_totals(scope, [(member_id, kind, points) for member_id, kind, _, points in new])
    outcome = Outcome()
    outcome.credited.update(kind for _, kind, _, _ in new)
    inserted = [(member_id, kind, at) for member_id, kind, at, _ in new]
    quest_credits = await _complete_automatic_quests(scope, inserted)
    if quest_credits:
        outcome.extend(await credit(scope, quest_credits, promote=promote))
    if promote:
        outcome.extend(await promote_if_due(scope, {member_id for member_id, _, _ in inserted}))
    return outcome


async def _add_to_totals(scope: Scope, inserted: Sequence[tuple[int, str, int]]) -> None:
    """Add what was just inserted to each member's totals: ``x = x + n`` in the database, so two
    transactions crediting the same member never lose an update (one statement for them all)."""
    if not inserted:
        return
    added: dict[int, dict[str, int]] = {}
    for member_id, kind, points in inserted:
        sums = added.setdefault(member_id, dict.fromkeys(("points", *TOTAL_OF_KIND.values()), 0))
        sums["points"] += points
        sums[TOTAL_OF_KIND[ContributionKind(kind)]] += 1
    table = Member.__table__  # type: ignore[attr-defined]
    columns = ("points", *TOTAL_OF_KIND.values())
    statement = (
        update(table)
        .where(table.c.id == bindparam("member"))
        .values({name: table.c[name] + bindparam(f"add_{name}") for name in columns})
    )
    rows = [
        {"member": member_id, **{f"add_{name}": sums[name] for name in columns}}
        for member_id, sums in sorted(added.items())
    ]
    connection = await scope.session.connection()
    await connection.execute(statement, rows)


async def _complete_automatic_quests(scope: Scope, new: Iterable[tuple[int, str, datetime]]) -> list[Credit]:
    """Approve the automatic quests new contributions complete, in a few set-based statements."""
    by_kind: dict[str, list[QuestRule]] = {}
    for rule in scope.config.quests:
        for kind in rule.auto_kinds:
            by_kind.setdefault(kind, []).append(rule)
    wanted: dict[tuple[int, str], datetime] = {}
    for member_id, kind, at in new:
        for rule in by_kind.get(kind, ()):
            wanted.setdefault((member_id, rule.key), at)
    if not wanted:
        return []
    quests = {
        key: quest_id
        for quest_id, key in (
            await scope.session.exec(
                select(Quest.id, Quest.key).where(Quest.community_id == scope.community_id)
            )
        ).all()
        if quest_id is not None
    }
    done: set[tuple[int, int]] = set()
    member_ids = sorted({member_id for member_id, _ in wanted})
    for chunk in chunks(member_ids):
        rows = await scope.session.exec(
            select(QuestProgress.member_id, QuestProgress.quest_id).where(
                col(QuestProgress.member_id).in_(chunk),
                col(QuestProgress.quest_id).in_(list(quests.values())),
                QuestProgress.status == QuestStatus.APPROVED,
            )
        )
        done.update(rows.all())
    rules = {rule.key: rule for rule in scope.config.quests}
    progress: list[dict[str, object]] = []
    credits: list[Credit] = []
    for (member_id, key), at in wanted.items():
        quest_id = quests.get(key)
        if quest_id is None or (member_id, quest_id) in done:
            continue
        progress.append(
            {
                "quest_id": quest_id,
                "member_id": member_id,
                "status": QuestStatus.APPROVED.value,
                "evidence": "completed automatically",
                "submitted_at": at,
                "reviewed_by_id": None,
                "reviewed_at": at,
                "review_note": "",
            }
        )
        credits.append(
            Credit(
                member_id,
                ContributionKind.QUEST_COMPLETED,
                rules[key].points,
                quest_source(key, member_id),
                at,
            )
        )
    if progress:
        await scope.session.execute(insert(QuestProgress), progress)
    return credits


async def touch(scope: Scope, members: Iterable[tuple[Member, datetime]]) -> None:
    """Record that members were active: one active day each, last seen, back from resting."""
    days: set[tuple[int, date]] = set()
    for member, at in members:
        assert member.id is not None
        days.add((member.id, at.date()))
        if member.last_active_at is None or at > member.last_active_at:
            member.last_active_at = at
        if member.status == MemberStatus.RESTING:
            member.status = MemberStatus.ACTIVE
        scope.session.add(member)
    await insert_active_days(scope, sorted(days))


async def insert_active_days(scope: Scope, days: Sequence[tuple[int, date]]) -> None:
    """Record ``(member, day)`` pairs, each once: chat counts towards active days and nothing else."""
    rows = [{"member_id": member_id, "day": day} for member_id, day in days]
    await insert_new(scope.session, ActiveDay, rows, ("member_id", "day"))


async def rest_members(scope: Scope, member_ids: Sequence[int]) -> None:
    """Take members off the routing roster (their level is kept)."""
    if member_ids:
        await scope.session.execute(
            update(Member).where(col(Member.id).in_(member_ids)).values(status=MemberStatus.RESTING)
        )
