"""The end-of-import summary a manager reads: ladder shape, helpers, questions, what was skipped."""

from dataclasses import dataclass, field
from datetime import timedelta

from rich.console import Console
from rich.table import Table
from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.importer._source import Skipped
from handlers.config import LadderConfig
from handlers.health import median
from models import Answer, Community, Member, Question, QuestionStatus

TOP_HELPERS = 5


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
    questions: int = 0
    answered: int = 0
    solved: int = 0
    median_first_response: timedelta | None = None
    skipped: Skipped = field(default_factory=Skipped)


async def summarise(
    sessions: async_sessionmaker[AsyncSession], community: Community, config: LadderConfig
) -> Summary:
    """Read the figures of one community back from the database."""
    summary = Summary(community.name or community.external_id)
    async with sessions() as session:
        shape = await session.exec(
            select(Member.level, func.count())
            .where(Member.community_id == community.id, col(Member.is_bot).is_(False))
            .group_by(col(Member.level))
        )
        counts = dict(shape.all())
        summary.levels = {
            config.level_name(rule.number): counts.get(rule.number, 0) for rule in config.levels
        }
        summary.members = sum(counts.values())
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
        accepted = func.count(col(Question.id))
        helpers = await session.exec(
            select(Member.display_name, func.count(col(Answer.id)), accepted)
            .join(Answer, col(Answer.member_id) == col(Member.id))
            .join(
                Question,
                (col(Question.id) == col(Answer.question_id))
                & (col(Question.accepted_answer_id) == col(Answer.id)),
                isouter=True,
            )
            .where(Member.community_id == community.id)
            .group_by(col(Member.id), col(Member.display_name))
            .order_by(accepted.desc(), func.count(col(Answer.id)).desc(), col(Member.id))
            .limit(TOP_HELPERS)
        )
        summary.top_helpers = [(name, answers, solved) for name, answers, solved in helpers.all()]
    return summary


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def render(summary: Summary, console: Console) -> None:
    """Print the summary as a few small tables."""
    console.print(
        f"[bold]Imported {summary.community}[/]: {summary.files} files, {summary.events} events "
        f"read, {summary.new_events} new, {summary.members} members."
    )
    shape = Table("level", "members", title="Members per level")
    for name, count in summary.levels.items():
        shape.add_row(name, str(count))
    console.print(shape)
    helpers = Table("helper", "answers", "accepted", title="Top helpers")
    for name, answers, solved in summary.top_helpers:
        helpers.add_row(name, str(answers), str(solved))
    console.print(helpers if summary.top_helpers else "Top helpers: nobody answered a question yet.")
    console.print(
        f"Questions found: {summary.questions} · answered {summary.answered} · solved "
        f"{summary.solved} · median time to first response "
        f"{_duration(summary.median_first_response)}"
    )
    skipped = summary.skipped
    lines = [f"  {reason}: {count}" for reason, count in sorted(skipped.reasons.items())]
    if skipped.resumed_files:
        lines.append(f"  files already imported (resumed or re-imported): {skipped.resumed_files}")
    lines += [f"  malformed file {path}: {why}" for path, why in skipped.bad_files]
    console.print("Skipped:\n" + "\n".join(lines) if lines else "Skipped: nothing.", highlight=False)
