"""A member's page: their record, what the next level needs, the level form, their history."""

from aiohttp import web

from bot.web import _params as params
from bot.web._view import page, scope_of
from handlers.dashboard import member_detail
from handlers.ladder import only_confirmation_missing

LEDGER_PAGE = 25


async def member_page(request: web.Request) -> web.Response:
    """One member of the signed-in community (another community's id is a 404)."""
    raw = request.match_info["member_id"]
    if not raw.isdecimal() or len(raw) > 9:
        raise web.HTTPNotFound()
    ledger_cursor = params.cursor(dict(request.query))
    async with scope_of(request) as scope:
        detail = await member_detail(scope, int(raw), ledger_cursor, LEDGER_PAGE)
    if detail is None:
        raise web.HTTPNotFound()
    row = detail.member
    path = f"/dashboard/members/{row.member_id}"
    return page(
        request,
        "member.html",
        active="members",
        title=row.name,
        detail=detail,
        row=row,
        ready=row.next_level is not None and only_confirmation_missing(list(row.missing)),
        levels=scope.config.levels,
        paging=params.paging(path, detail.ledger.previous_cursor, detail.ledger.next_cursor),
    )
