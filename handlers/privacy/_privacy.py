"""Privacy: ``forget-me`` erases a member's personal data; ``export-me`` hands all of it over."""

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.calls import withdraw_everywhere
from handlers.commands import ActionName
from handlers.kernel import Acting, Button, Context, Message, Outcome
from models import (
    ActiveDay,
    Answer,
    CallInvite,
    CallSignup,
    Community,
    Contribution,
    LevelChange,
    Member,
    MemberStatus,
    Question,
    QuestProgress,
)

ERASED = "[erased]"


NOTHING_HELD = Message(
    text=(
        "Ladder holds nothing on you here: no record of yours is stored, so there is nothing to "
        "export or erase. Nothing was written."
    )
)


async def holds_anything(sessions: async_sessionmaker[AsyncSession], ctx: Context) -> bool:
    """Say whether Ladder stores a member for the actor (read only: asking creates nobody)."""
    async with sessions() as session:
        found = await session.exec(
            select(Member.id)
            .join(Community, col(Community.id) == col(Member.community_id))
            .where(
                Community.platform == ctx.community.platform,
                Community.external_id == ctx.community.external_id,
                Member.external_id == ctx.actor.external_id,
            )
        )
        return found.first() is not None


async def forget_me(acting: Acting, confirmed: bool) -> Outcome:
    """Erase name, identity, skills and every text the member wrote; keep anonymous counts.

    The member leaves every call still open (their place goes to the first waitlisted member);
    their rows stay, anonymous, so the community's statistics do not change.
    """
    if not confirmed:
        return Outcome().reply(
            Message(
                title="Erase your data?",
                text=(
                    "This erases your name, platform id, skills, questions, answers and quest "
                    "evidence, and takes you off the open calls you joined. Anonymous counts stay "
                    "in the community's statistics; your level is lost. Type "
                    "`/ladder forget-me confirm` or press the button."
                ),
                buttons=(Button("Erase my data", ActionName.FORGET_ME, "confirm", "danger"),),
            )
        )
    session, member = acting.scope.session, acting.member
    member_id = acting.member_id
    await session.execute(
        update(Question).where(col(Question.asker_id) == member_id).values(text=ERASED, terms="")
    )
    answered_by_them = select(Answer.id).where(col(Answer.member_id) == member_id)
    await session.execute(  # an erased answer must never be offered to a later asker
        update(Question).where(col(Question.accepted_answer_id).in_(answered_by_them)).values(terms="")
    )
    await session.execute(update(Answer).where(col(Answer.member_id) == member_id).values(text=ERASED))
    await session.execute(
        update(QuestProgress)
        .where(col(QuestProgress.member_id) == member_id)
        .values(evidence="", review_note="")
    )
    await session.execute(
        update(LevelChange).where(col(LevelChange.member_id) == member_id).values(reason="")
    )
    outcome = await withdraw_everywhere(acting.scope, member_id)
    member.display_name = "forgotten member"
    member.external_id = f"forgotten-{member_id}"
    member.skills = ""
    member.status = MemberStatus.FORGOTTEN
    member.is_manager = False
    session.add(member)
    return outcome.reply(
        Message(text="Done: your personal data is erased. If you use Ladder again you start as a Newcomer.")
    )


async def export_me(acting: Acting) -> Outcome:
    """Everything Ladder holds on the member, as JSON."""
    session, member_id = acting.scope.session, acting.member_id
    tables: dict[str, Any] = {"member": _plain(acting.member)}
    by_member: list[tuple[str, type[SQLModel], Any]] = [
        ("contributions", Contribution, Contribution.member_id),
        ("active_days", ActiveDay, ActiveDay.member_id),
        ("level_changes", LevelChange, LevelChange.member_id),
        ("quest_progress", QuestProgress, QuestProgress.member_id),
        ("questions", Question, Question.asker_id),
        ("answers", Answer, Answer.member_id),
        ("call_signups", CallSignup, CallSignup.member_id),
        ("call_invites", CallInvite, CallInvite.member_id),
    ]
    for name, table, column in by_member:
        rows = (await session.exec(select(table).where(column == member_id))).all()
        tables[name] = [_plain(row) for row in rows]
    document = json.dumps(tables, indent=1, ensure_ascii=False, sort_keys=True)
    return Outcome().reply(Message(title="Everything Ladder holds on you", text=f"```json\n{document}\n```"))


def _plain(row: SQLModel) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime | date) else value
        for key, value in row.model_dump().items()
    }
