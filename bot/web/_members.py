"""The Members page: filter by level and status, search by name, sort, page through."""

from aiohttp import web

from bot.web import _params as params
from bot.web._view import page, scope_of
from handlers.dashboard import MemberQuery, MemberSort, members_page
from models import MemberStatus

PAGE_SIZE = 50
SORT_LABELS = {
    MemberSort.POINTS: "Points",
    MemberSort.ACCEPTED_ANSWERS: "Accepted answers",
    MemberSort.ANSWERS_GIVEN: "Answers given",
    MemberSort.LEVEL: "Level",
    MemberSort.LAST_ACTIVE: "Last active",
    MemberSort.JOINED: "Joined",
    MemberSort.NAME: "Name",
}


def member_query(query: dict[str, str]) -> MemberQuery:
    """The Members page's query from its URL (what the filter form and the column links send)."""
    status = params.text(query, "status")
    return MemberQuery(
        level=params.whole(query, "level"),
        status=MemberStatus(status) if status in (MemberStatus.ACTIVE, MemberStatus.RESTING) else None,
        search=params.text(query, "q"),
        sort=params.choice(query, "sort", MemberSort, MemberSort.POINTS),
        descending=query.get("dir", "desc") != "asc",
        cursor=params.cursor(query),
        limit=PAGE_SIZE,
    )


def filters_of(found: MemberQuery) -> dict[str, object]:
    """The query's filters and sort as URL parameters (no cursor: a new sort starts at page 1)."""
    return {
        "q": found.search,
        "level": found.level,
        "status": found.status.value if found.status else None,
        "sort": found.sort.value,
        "dir": "desc" if found.descending else "asc",
    }


async def members_list(request: web.Request) -> web.Response:
    """One page of members with what each one still needs for the next level."""
    query = member_query(dict(request.query))
    async with scope_of(request) as scope:
        found = await members_page(scope, query)
    kept = filters_of(query)

    def sorted_by(sort: MemberSort) -> str:
        """The column header's link: sort by it, flipping the direction when it is the sort."""
        flip = "asc" if query.sort is sort and query.descending else "desc"
        if sort is MemberSort.NAME and query.sort is not sort:
            flip = "asc"
        return params.link("/dashboard/members", **(kept | {"sort": sort.value, "dir": flip}))

    return page(
        request,
        "members.html",
        active="members",
        title="Members",
        found=found,
        query=query,
        sorts=SORT_LABELS,
        sorted_by=sorted_by,
        MemberSort=MemberSort,
        levels=scope.config.levels,
        paging=params.paging("/dashboard/members", found.previous_cursor, found.next_cursor, **kept),
        export_query=params.link("", **kept),
    )
