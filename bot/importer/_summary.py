"""The end-of-import summary a manager reads: ladder shape, helpers, acknowledgements, placement.

The summary goes to standard output (with what was skipped, counted by reason); the malformed
files are also named on standard error (:meth:`Skipped.problems`), so a script can watch them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from rich.console import Console
from rich.table import Table
from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.importer._source import Skipped
from handlers.health import median
from handlers.kernel import LadderConfig
from handlers.ladder import Placement, helper_level
from models import (
    AcceptanceSignal,
    Answer,
    Community,
    Contribution,
    ContributionKind,
    Member,
    Question,
    QuestionStatus,
    countable,
)

TOP_HELPERS = 10
NAMES_SHOWN = 30


@dataclass
class Summary:
    """What the community looks like after the import, and what the import did."""

    community: str
    files: int = 0
    events: int = 0
    new_events: int = 0
    members: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    top_helpers: list[tuple[str, int, int]] = field(default_factory=list)
    helpers: list[tuple[str, str]] = field(default_factory=list)
    ready: list[tuple[str, str]] = field(default_factory=list)
    placed: int = 0
    signals: dict[str, int] = field(default_factory=dict)
    over_limit: int = 0
    questions: int = 0
    answered: int = 0
    solved: int = 0
    median_first_response: timedelta | None = None
    skipped: Skipped = field(default_factory=Skipped)
    dry_run: str = ""

    @property
    def accepted(self) -> int:
        """Answers accepted, by any signal."""
        return sum(self.signals.values())


async def summarise(
    sessions: async_sessionmaker[AsyncSession],
    community: Community,
    config: LadderConfig,
    placement: Placement | None = None,
) -> Summary:
    """Read the figures of one community back from the database."""
    summary = Summary(community.name or community.external_id)
    async with sessions() as session:
        await _shape(session, community, config, summary)
        await _questions(session, community, summary)
        await _helpers(session, community, summary)
        await _acknowledgements(session, community, summary)
    if placement is not None:
        summary.placed = len(placement.placed)
        summary.ready = sorted((m.display_name, config.level_name(level)) for m, level in placement.ready)
    return summary


async def _shape(session: AsyncSession, community: Community, config: LadderConfig, summary: Summary) -> None:
    """Members per level, and who sits at Helper or above."""
    shape = await session.exec(
        select(Member.level, func.count())
        .where(Member.community_id == community.id, countable(with_forgotten=True))
        .group_by(col(Member.level))
    )
    counts = dict(shape.all())
    summary.levels = {config.level_name(rule.number): counts.get(rule.number, 0) for rule in config.levels}
    summary.members = sum(counts.values())
    helpers = await session.exec(
        select(Member.display_name, Member.level)
        .where(
            Member.community_id == community.id,
            countable(with_forgotten=True),
            Member.level >= helper_level(config),
        )
        .order_by(col(Member.level).desc(), col(Member.display_name))
    )
    summary.helpers = [(name, config.level_name(level)) for name, level in helpers.all()]


async def _questions(session: AsyncSession, community: Community, summary: Summary) -> None:
    """Questions found, answered, solved, and the median wait for a first response."""
    asked = await session.exec(
        select(Question.asked_at, Question.first_response_at, Question.status).where(
            Question.community_id == community.id
        )
    )
    waits = []
    for asked_at, first, status in asked.all():
        summary.questions += 1
        summary.solved += status == QuestionStatus.SOLVED
        if first is not None:
            summary.answered += 1
            waits.append(first - asked_at)
    summary.median_first_response = median(waits)


async def _helpers(session: AsyncSession, community: Community, summary: Summary) -> None:
    """The members who helped the most threads, with their accepted answers beside."""
    threads = func.count(func.distinct(col(Answer.question_id)))
    accepted = func.count(col(Answer.accepted_at))
    rows = await session.exec(
        select(Member.display_name, threads, accepted)
        .join(Answer, col(Answer.member_id) == col(Member.id))
        .where(Member.community_id == community.id, countable(with_forgotten=True))
        .group_by(col(Member.id), col(Member.display_name))
        .order_by(threads.desc(), accepted.desc(), col(Member.id))
        .limit(TOP_HELPERS)
    )
    summary.top_helpers = [(name, int(helped), int(marked)) for name, helped, marked in rows.all()]


async def _acknowledgements(session: AsyncSession, community: Community, summary: Summary) -> None:
    """Accepted answers by the signal that accepted them, and those over the same-asker limit."""
    rows = await session.exec(
        select(Answer.accepted_signal, func.count())
        .join(Question, col(Question.id) == col(Answer.question_id))
        .where(Question.community_id == community.id, col(Answer.accepted_signal).is_not(None))
        .group_by(col(Answer.accepted_signal))
    )
    found = {str(signal): int(count) for signal, count in rows.all()}
    summary.signals = {kind.value: found.get(kind.value, 0) for kind in AcceptanceSignal}
    over = await session.exec(
        select(func.count()).where(
            Contribution.community_id == community.id,
            Contribution.kind == ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT,
        )
    )
    summary.over_limit = int(over.one())


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def _names(pairs: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{name} ({level})" for name, level in pairs[:NAMES_SHOWN])
    more = len(pairs) - NAMES_SHOWN
    return shown + (f", and {more} more" if more > 0 else "")


def render(summary: Summary, out: Console) -> None:
    """Print the summary: a few small tables and lines, then what was skipped and why."""
    if summary.dry_run:
        out.print(f"[bold]Dry run:[/] {summary.dry_run}", highlight=False)
    out.print(
        f"[bold]Imported {summary.community}[/]: {summary.files} files, {summary.events} events "
        f"read, {summary.new_events} new, {summary.members} members.",
        highlight=False,
    )
    shape = Table("level", "members", title="Members per level")
    for name, count in summary.levels.items():
        shape.add_row(name, str(count))
    out.print(shape)
    helpers = Table("helper", "threads helped", "accepted answers", title="Top helpers")
    for name, helped, accepted in summary.top_helpers:
        helpers.add_row(name, str(helped), str(accepted))
    out.print(helpers if summary.top_helpers else "Top helpers: nobody answered a question yet.")
    signals = summary.signals
    out.print(
        f"Questions found: {summary.questions} · answered {summary.answered} · solved "
        f"{summary.solved} · median time to first response "
        f"{_duration(summary.median_first_response)}\n"
        f"Answers accepted: {summary.accepted} (explicit mark {signals.get('explicit', 0)} · "
        f"reaction {signals.get('reaction', 0)} · thanks {signals.get('thanks', 0)})"
        + (
            f"; {summary.over_limit} over the same-asker limit (kept, not counted towards levels)"
            if summary.over_limit
            else ""
        ),
        highlight=False,
    )
    out.print(
        f"Placed from history: {summary.placed} members moved up.\n"
        f"At Helper and above: {_names(summary.helpers) if summary.helpers else 'nobody'}.\n"
        f"Ready for confirmation: {_names(summary.ready) if summary.ready else 'nobody'}.",
        highlight=False,
    )
    skipped = summary.skipped
    lines = [f"  {reason}: {count}" for reason, count in sorted(skipped.reasons.items())]
    if skipped.resumed_files:
        lines.append(f"  files already imported (resumed or re-imported): {skipped.resumed_files}")
    lines += [f"  malformed file {path}: {why}" for path, why in skipped.bad_files]
    out.print("Skipped:\n" + "\n".join(lines) if lines else "Skipped: nothing.", highlight=False)
