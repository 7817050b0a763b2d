"""Manager actions from the dashboard: each one is the chat command a manager would type, run
through the same service (``Ladder.command``) as the signed-in manager.

So a promotion from the web is parsed by the one grammar, refused for the same reasons, worded in
the same replies, kept in the same audit log and announced to the member on their platform. The
page shows the replies after a redirect (a reload never repeats an action).
"""

import re

from aiohttp import web
from sqlmodel import col, select

from bot.web._guard import viewer
from bot.web._state import DASHBOARD
from bot.web._view import back_with
from handlers.kernel import Actor, CommunityRef, Context, Message
from models import Call, Member, Quest, QuestProgress

_MENTION = re.compile(r"<@!?([^>|]+)(?:\|[^>]*)?>")
MAX_FIELD = 600  # characters read from one form field; the grammar refuses what is still too long


def mention(external_id: str) -> str:
    """A member as the grammar reads them: a platform mention, or a typed handle."""
    return f"<@{external_id}>" if external_id.isascii() and external_id.isalnum() else f"@{external_id}"


async def _run(request: web.Request, text: str) -> list[str]:
    """Run ``/ladder <text>`` as the signed-in manager; the replies, with mentions as names."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    community, manager = who.community, who.member
    ctx = Context(
        CommunityRef(community.platform, community.external_id, community.name),
        Actor(manager.external_id, manager.display_name, is_admin=True),
    )
    replies = await dashboard.service.command(ctx, text)
    return await _named(request, replies)


async def _named(request: web.Request, replies: list[Message]) -> list[str]:
    """Reply texts with ``<@id>`` shown as ``@name`` (names of this community only)."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    ids = {found for reply in replies for found in _MENTION.findall(reply.text)}
    names: dict[str, str] = {}
    if ids:
        async with dashboard.sessions() as session:
            rows = await session.exec(
                select(Member.external_id, Member.display_name).where(
                    Member.community_id == who.community_id, col(Member.external_id).in_(ids)
                )
            )
            names = {external_id: name or external_id for external_id, name in rows.all()}
    return [_MENTION.sub(lambda m: f"@{names.get(m[1], m[1])}", reply.text) for reply in replies]


async def _form(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return {key: str(value).strip()[:MAX_FIELD] for key, value in form.items() if isinstance(value, str)}


def _back(form: dict[str, str], default: str) -> str:
    """Where to go after the action: a dashboard page the form names, else ``default``."""
    back = form.get("back", "")
    return back if back.startswith("/dashboard/") and "//" not in back and "\\" not in back else default


async def _member(request: web.Request) -> Member:
    """The member a URL names, within the signed-in community (else 404)."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    raw = request.match_info["member_id"]
    if not raw.isdecimal() or len(raw) > 9:
        raise web.HTTPNotFound()
    async with dashboard.sessions() as session:
        member = await session.get(Member, int(raw))
    if member is None or member.community_id != who.community_id:
        raise web.HTTPNotFound()
    return member


async def set_level(request: web.Request) -> web.Response:
    """Promote or demote a member with a reason (``/ladder promote|demote @member <level> <reason>``)."""
    member = await _member(request)
    form = await _form(request)
    verb = "demote" if form.get("direction") == "demote" else "promote"
    text = f"{verb} {mention(member.external_id)} {form.get('level', '')} {form.get('reason', '')}"
    lines = await _run(request, text)
    return back_with(request, _back(form, f"/dashboard/members/{member.id}"), lines)


async def confirm_level(request: web.Request) -> web.Response:
    """Confirm a member who waits only for a manager: the promotion the chat asks for."""
    member = await _member(request)
    form = await _form(request)
    reason = form.get("reason") or "confirmed on the dashboard: meets every requirement"
    text = f"promote {mention(member.external_id)} {form.get('level', '')} {reason}"
    lines = await _run(request, text)
    return back_with(request, _back(form, f"/dashboard/members/{member.id}"), lines)


async def review_quest(request: web.Request) -> web.Response:
    """Approve or reject a quest submission (``/ladder quest approve|reject @member <quest> …``)."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    raw = request.match_info["progress_id"]
    if not raw.isdecimal() or len(raw) > 9:
        raise web.HTTPNotFound()
    async with dashboard.sessions() as session:
        found = (
            await session.exec(
                select(Member.external_id, Quest.key)
                .join(QuestProgress, col(QuestProgress.member_id) == col(Member.id))
                .join(Quest, col(Quest.id) == col(QuestProgress.quest_id))
                .where(col(QuestProgress.id) == int(raw), col(Member.community_id) == who.community_id)
            )
        ).first()
    if found is None:
        raise web.HTTPNotFound()
    external_id, quest = found
    form = await _form(request)
    verb = "reject" if form.get("decision") == "reject" else "approve"
    lines = await _run(request, f"quest {verb} {mention(external_id)} {quest} {form.get('note', '')}".strip())
    return back_with(request, _back(form, "/dashboard/quests"), lines)


async def close_call(request: web.Request) -> web.Response:
    """Close a call early (``/ladder call close <id>``)."""
    dashboard, who = request.app[DASHBOARD], viewer(request)
    raw = request.match_info["call_id"]
    if not raw.isdecimal() or len(raw) > 9:
        raise web.HTTPNotFound()
    async with dashboard.sessions() as session:
        call = await session.get(Call, int(raw))
    if call is None or call.community_id != who.community_id:
        raise web.HTTPNotFound()
    lines = await _run(request, f"call close {call.id}")
    return back_with(request, "/dashboard/calls", lines)
