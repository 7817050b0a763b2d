"""Digests (the archive, each period's figures again), the audit log, and the export downloads."""

from aiohttp import web

from bot.web import _params as params
from bot.web._guard import viewer
from bot.web._members import member_query
from bot.web._state import DASHBOARD
from bot.web._view import page, scope_of
from handlers.dashboard import (
    MEDIA_TYPES,
    ExportFormat,
    ExportOptions,
    ExportTable,
    QuestionView,
    ReviewView,
    audit_log,
    digest_report,
    digests_page,
    export_filename,
    export_table,
)
from handlers.health import flag_samples, report_period, report_sections
from handlers.kernel import Scope
from models import Member


async def digests_list(request: web.Request) -> web.Response:
    """Every digest period, newest first, each linking to its figures."""
    query = dict(request.query)
    async with scope_of(request) as scope:
        found = await digests_page(scope, params.cursor(query))
    return page(
        request,
        "digests.html",
        active="digests",
        title="Digests",
        found=found,
        paging=params.paging("/dashboard/digests", found.previous_cursor, found.next_cursor),
    )


async def digest_page(request: web.Request) -> web.Response:
    """One archived digest: its period's figures and flags, computed again from the records."""
    raw = request.match_info["digest_id"]
    if not raw.isdecimal() or len(raw) > 9:
        raise web.HTTPNotFound()
    async with scope_of(request) as scope:
        report = await digest_report(scope, int(raw))
    if report is None:
        raise web.HTTPNotFound()
    return page(
        request,
        "digest.html",
        active="digests",
        title="Digest",
        report=report,
        period=report_period(report),
        sections=report_sections(report, scope.config),
        flag_samples=flag_samples(scope.config),
    )


async def audit_page(request: web.Request) -> web.Response:
    """Every level change: who, from which level to which, by whom (a manager or Ladder) and why."""
    query = dict(request.query)
    manual = query.get("manual") == "1"
    async with scope_of(request) as scope:
        found = await audit_log(scope, params.cursor(query), manual_only=manual)
    return page(
        request,
        "audit.html",
        active="audit",
        title="Audit log",
        found=found,
        manual=manual,
        paging=params.paging(
            "/dashboard/audit", found.previous_cursor, found.next_cursor, manual=manual and 1
        ),
    )


def _options(request: web.Request, table: ExportTable) -> ExportOptions:
    """The rows a download holds: the page's own filters (members, questions, reviews, one member)."""
    query = dict(request.query)
    return ExportOptions(
        members=member_query(query),
        questions=params.choice(query, "view", QuestionView, QuestionView.UNANSWERED),
        reviews=params.choice(query, "view", ReviewView, ReviewView.PENDING),
        member_id=params.whole(query, "member") if table in (ExportTable.LEDGER, ExportTable.AUDIT) else None,
    )


async def download(request: web.Request) -> web.StreamResponse:
    """A table as CSV or JSON, streamed as it is read (constant memory at any size)."""
    try:
        table = ExportTable(request.match_info["table"])
        fmt = ExportFormat(request.match_info["format"])
    except ValueError:
        raise web.HTTPNotFound() from None
    dashboard, who = request.app[DASHBOARD], viewer(request)
    options = _options(request, table)
    async with dashboard.sessions() as session:
        scope = Scope(session, dashboard.config, dashboard.clock.now(), who.community)
        if options.member_id is not None and not await _member_here(scope, options.member_id):
            raise web.HTTPNotFound()
        response = web.StreamResponse(
            headers={
                "Content-Type": MEDIA_TYPES[fmt],
                "Content-Disposition": f'attachment; filename="{export_filename(scope, table, fmt)}"',
            }
        )
        await response.prepare(request)
        async for chunk in export_table(scope, table, fmt, options):
            await response.write(chunk)
    await response.write_eof()
    return response


async def _member_here(scope: Scope, member_id: int) -> bool:
    member = await scope.session.get(Member, member_id)
    return member is not None and member.community_id == scope.community_id
