"""Ready & stalled: who waits for a manager's confirmation, and who is stuck and on what.

The same two functions give a manager's ``/ladder health`` its names, so the page and the chat
never disagree.
"""

from aiohttp import web

from bot.web import _params as params
from bot.web._view import page, scope_of
from handlers.dashboard import ready_for_confirmation, stalled_members


async def progress_page(request: web.Request) -> web.Response:
    """Members ready for confirmation (with a Confirm button each) and stalled members."""
    cursor = params.cursor(dict(request.query))
    async with scope_of(request) as scope:
        ready = await ready_for_confirmation(scope)
        stalled = await stalled_members(scope, cursor=cursor)
    return page(
        request,
        "ready.html",
        active="ready",
        title="Ready & stalled",
        ready=ready,
        ready_ids={item.member.member_id for item in ready},
        stalled=stalled,
        stalled_weeks=scope.config.digest.stalled_weeks,
        paging=params.paging("/dashboard/ready", stalled.previous_cursor, stalled.next_cursor),
    )
