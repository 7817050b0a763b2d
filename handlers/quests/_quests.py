"""Quests: list one's path, submit with evidence, review by a higher level or a manager."""

import difflib

from sqlmodel import col, select

from handlers.commands import ActionName, ReviewQuest, SubmitQuest, named_member, usage_refusal
from handlers.kernel import (
    Acting,
    Button,
    DirectMessage,
    Message,
    Outcome,
    Refusal,
    Scope,
    managers,
    plain_quote,
    plural,
)
from handlers.ladder import Credit, credit, quest_source, review_source
from models import ContributionKind, Member, MemberStatus, Quest, QuestProgress, QuestStatus, countable
from models.locks import Budget, hold

REVIEWERS_ASKED = 3


async def list_quests(acting: Acting) -> Outcome:
    """``/ladder quests``: the quests on the way to the actor's next level, with their state."""
    scope, member = acting.scope, acting.member
    quests = await _quests(scope, level=member.level)
    if member.level >= scope.config.top_level:
        return Outcome().reply(Message(text="You are at the top of the ladder: no quests left."))
    next_name = scope.config.level_name(member.level + 1)
    if not quests:
        return Outcome().reply(Message(text=f"No quests stand between you and {next_name}."))
    states = await _latest_progress(scope, member, quests)
    lines = []
    for quest in quests:
        progress = states.get(quest.id or 0)
        rule = scope.config.quest(quest.key)
        if progress is not None and progress.status == QuestStatus.APPROVED:
            mark = "✅ done"
        elif progress is not None and progress.status == QuestStatus.SUBMITTED:
            mark = "⏳ submitted, waiting for review"
        elif progress is not None:
            mark = f"↩️ returned: {plain_quote(progress.review_note, 120)}"
        elif rule is not None and rule.auto_kinds:
            mark = "◻ completes by itself when you do it"
        else:
            mark = f"◻ `/ladder quest submit {quest.key} <evidence>`"
        lines.append(f"• *{quest.title}* ({quest.key}, {quest.points} pts): {quest.description} — {mark}")
    return Outcome().reply(Message(title=f"Quests towards {next_name}", text="\n".join(lines)))


async def submit(acting: Acting, command: SubmitQuest) -> Outcome:
    """``/ladder quest submit``: record evidence and ask a few reviewers."""
    scope, member = acting.scope, acting.member
    quest = await _find(scope, command.quest, "quest submit")
    rule = scope.config.quest(quest.key)
    if quest.level > member.level:
        raise Refusal(
            f"“{quest.title}” is a quest of level {quest.level} ({scope.config.level_name(quest.level)}); "
            f"you are at level {member.level}. `/ladder quests` lists yours."
        )
    if rule is not None and rule.auto_kinds:
        raise Refusal(f"“{quest.title}” completes by itself: {quest.description}")
    await hold(scope.session, Budget.QUEST_SUBMISSIONS, acting.member_id)
    progress = (await _latest_progress(scope, member, [quest])).get(quest.id or 0)
    if progress is not None and progress.status == QuestStatus.APPROVED:
        raise Refusal(f"You already completed “{quest.title}”.")
    if progress is not None and progress.status == QuestStatus.SUBMITTED:
        raise Refusal(
            f"“{quest.title}” is already waiting for review (submitted {progress.submitted_at:%d %b})."
        )
    assert quest.id is not None
    scope.session.add(
        QuestProgress(
            quest_id=quest.id,
            member_id=acting.member_id,
            evidence=command.evidence,
            submitted_at=scope.now,
        )
    )
    reviewers = await _reviewers(scope, member)
    message = Message(
        title="Quest to review",
        text=(
            f"<@{member.external_id}> submitted “{quest.title}”: {plain_quote(command.evidence, 500)}\n"
            f"Or: `/ladder quest approve <@{member.external_id}> {quest.key}` / "
            f"`/ladder quest reject <@{member.external_id}> {quest.key} <reason>`"
        ),
        buttons=(
            Button("Approve", ActionName.QUEST_APPROVE, f"{member.external_id}:{quest.key}", "primary"),
            Button("Reject", ActionName.QUEST_REJECT, f"{member.external_id}:{quest.key}", "danger"),
        ),
    )
    outcome = Outcome(notices=[DirectMessage(r.external_id, message) for r in reviewers])
    who = plural(len(reviewers), "reviewer") if reviewers else "the reviewers"
    return outcome.reply(Message(text=f"Submitted “{quest.title}”. I asked {who}; you will hear back by DM."))


async def review(acting: Acting, command: ReviewQuest) -> Outcome:
    """``/ladder quest approve|reject``: by a member of a higher level than the submitter, or a manager."""
    scope, verb = acting.scope, "quest approve" if command.approve else "quest reject"
    member = await named_member(scope, command.member, verb)
    if member.id == acting.member_id:
        raise Refusal("You cannot review your own quest.")
    if not acting.is_manager and acting.member.level <= member.level:
        raise Refusal(
            f"Only managers or members above level {member.level} can review "
            f"<@{member.external_id}>'s quests."
        )
    quest = await _find(scope, command.quest, verb)
    progress = (await _latest_progress(scope, member, [quest])).get(quest.id or 0)
    if progress is None or progress.status != QuestStatus.SUBMITTED:
        raise Refusal(f"<@{member.external_id}> has no submission of “{quest.title}” waiting for review.")
    progress.status = QuestStatus.APPROVED if command.approve else QuestStatus.REJECTED
    progress.reviewed_by_id, progress.reviewed_at, progress.review_note = (
        acting.member_id,
        scope.now,
        command.note,
    )
    scope.session.add(progress)
    assert member.id is not None
    credits = [
        Credit(
            acting.member_id,
            ContributionKind.REVIEW,
            scope.config.points.review,
            review_source(acting.member_id, member.id, quest.key),
            scope.now,
        )
    ]
    if command.approve:
        credits.append(
            Credit(
                member.id,
                ContributionKind.QUEST_COMPLETED,
                quest.points,
                quest_source(quest.key, member.id),
                scope.now,
            )
        )
    outcome = await credit(scope, credits)
    result = "approved" if command.approve else "returned"
    note = f" Note: {command.note}" if command.note else ""
    outcome.notices.append(
        DirectMessage(member.external_id, Message(text=f"Your quest “{quest.title}” was {result}.{note}"))
    )
    return outcome.reply(Message(text=f"“{quest.title}” {result} for <@{member.external_id}>."))


async def _quests(scope: Scope, *, level: int | None = None) -> list[Quest]:
    query = select(Quest).where(Quest.community_id == scope.community_id, col(Quest.active))
    if level is not None:
        query = query.where(Quest.level == level)
    return list((await scope.session.exec(query.order_by(col(Quest.level), col(Quest.id)))).all())


async def _find(scope: Scope, key: str, command: str) -> Quest:
    quests = {q.key: q for q in await _quests(scope)}
    if key in quests:
        return quests[key]
    close = difflib.get_close_matches(key, list(quests), n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]}?" if close else f" Quests: {', '.join(quests)}."
    raise usage_refusal(command, f"No quest called {key[:40]!r}.{hint}")


async def _latest_progress(scope: Scope, member: Member, quests: list[Quest]) -> dict[int, QuestProgress]:
    rows = await scope.session.exec(
        select(QuestProgress)
        .where(
            QuestProgress.member_id == member.id,
            col(QuestProgress.quest_id).in_([q.id for q in quests]),
        )
        .order_by(col(QuestProgress.submitted_at), col(QuestProgress.id))
    )
    latest: dict[int, QuestProgress] = {}
    for progress in rows.all():
        current = latest.get(progress.quest_id)
        if current is None or current.status != QuestStatus.APPROVED:
            latest[progress.quest_id] = progress
    return latest


async def _reviewers(scope: Scope, member: Member) -> list[Member]:
    """Managers first, then active members above the submitter's level, a few at most."""
    chosen = [m for m in await managers(scope.session, scope.community_id) if m.id != member.id]
    if len(chosen) < REVIEWERS_ASKED:
        above = await scope.session.exec(
            select(Member)
            .where(
                Member.community_id == scope.community_id,
                Member.level > member.level,
                Member.status == MemberStatus.ACTIVE,
                countable(),
                col(Member.id).not_in([m.id for m in chosen] + [member.id]),
            )
            .order_by(col(Member.last_active_at).desc())
            .limit(REVIEWERS_ASKED - len(chosen))
        )
        chosen.extend(above.all())
    return chosen[:REVIEWERS_ASKED]
