"""Questions, calls and quest reviews: what is waiting in the community right now."""

from aiohttp import web

from bot.web import _params as params
from bot.web._view import page, scope_of
from handlers.dashboard import (
    QuestionSort,
    QuestionView,
    ReviewView,
    calls_page,
    quest_reviews,
    questions_page,
)

VIEWS = {
    QuestionView.UNANSWERED: "Unanswered",
    QuestionView.ESCALATED: "Escalated",
    QuestionView.UNSOLVED: "Answered, not solved",
}
REVIEW_VIEWS = {ReviewView.PENDING: "Waiting for review", ReviewView.REVIEWED: "Reviewed"}


async def questions_list(request: web.Request) -> web.Response:
    """Waiting questions by age or tier, with the helpers each still waits on."""
    query = dict(request.query)
    view = params.choice(query, "view", QuestionView, QuestionView.UNANSWERED)
    sort = params.choice(query, "sort", QuestionSort, QuestionSort.AGE)
    async with scope_of(request) as scope:
        found = await questions_page(scope, view, sort, params.cursor(query))
    return page(
        request,
        "questions.html",
        active="questions",
        title="Questions",
        found=found,
        view=view,
        sort=sort,
        views=VIEWS,
        QuestionSort=QuestionSort,
        target=scope.config.digest.first_response_target_minutes,
        paging=params.paging(
            "/dashboard/questions", found.previous_cursor, found.next_cursor, view=view, sort=sort
        ),
    )


async def calls_list(request: web.Request) -> web.Response:
    """Calls with their sign-ups and waitlists; open ones can be closed here."""
    query = dict(request.query)
    async with scope_of(request) as scope:
        found = await calls_page(scope, params.cursor(query))
    return page(
        request,
        "calls.html",
        active="calls",
        title="Calls",
        found=found,
        paging=params.paging("/dashboard/calls", found.previous_cursor, found.next_cursor),
    )


async def reviews_list(request: web.Request) -> web.Response:
    """Quest submissions waiting for a manager (approve or reject here), or already reviewed."""
    query = dict(request.query)
    view = params.choice(query, "view", ReviewView, ReviewView.PENDING)
    async with scope_of(request) as scope:
        found = await quest_reviews(scope, view, params.cursor(query))
    return page(
        request,
        "quests.html",
        active="quests",
        title="Quest reviews",
        found=found,
        view=view,
        views=REVIEW_VIEWS,
        paging=params.paging("/dashboard/quests", found.previous_cursor, found.next_cursor, view=view),
    )
