"""The Members page: what a manager sees when sorting, filtering, searching and paging."""

import pytest
from core_harness import INTRO_CHANNEL, Harness
from dashboard_kit import viewing
from scenario import credit_member, speak_elsewhere

from handlers.dashboard import MemberQuery, MemberSort, member_detail, members_page
from models import ContributionKind, MemberStatus

ACCEPTED = ContributionKind.ANSWER_ACCEPTED


async def community(harness: Harness) -> None:
    """Seven members: a few with accepted answers, two introduced, one only chatting, a manager."""
    for who in ("ann", "Andrew", "bea", "cyd", "dee", "eli"):
        await harness.post(who, f"hello, I am {who}")
    await harness.post("ann", "I'm Ann, I do data", channel=INTRO_CHANNEL)
    await harness.post("bea", "I'm Bea", channel=INTRO_CHANNEL)
    await credit_member(harness, "ann", ACCEPTED, 10, times=3)
    await credit_member(harness, "bea", ACCEPTED, 10, times=1)
    await credit_member(harness, "cyd", ACCEPTED, 10, times=1)
    await credit_member(harness, "dee", ContributionKind.ANSWER_GIVEN, 3, times=2)
    await harness.say("manager", "promote @eli 3 ran the old forum")


async def test_sorted_by_points_with_totals_and_what_is_missing(harness: Harness) -> None:
    """Most points first; each row shows the member's totals and the next level's gaps in words,
    the same words `/ladder why` gives the member."""
    await community(harness)
    async with viewing(harness) as scope:
        page = await members_page(scope, MemberQuery(sort=MemberSort.POINTS))
    assert [(r.name, r.points, r.accepted_answers, r.answers_given) for r in page.rows] == [
        ("ann", 39, 3, 0),  # intro 2, "Say hello" 2, three accepted answers, "Give your first answer" 5
        ("bea", 19, 1, 0),
        ("cyd", 15, 1, 0),
        ("dee", 6, 0, 2),
        ("manager", 0, 0, 0),  # ties: the newest member first, as the sort runs
        ("eli", 0, 0, 0),
        ("Andrew", 0, 0, 0),
    ]
    assert (page.total, page.first, page.last) == (7, 1, 7)
    bea = page.rows[1]
    assert (bea.level_name, bea.next_level_name) == ("Participant", "Contributor")
    why = await harness.text("bea", "why")
    assert why == "Next, *Contributor* needs: " + "; ".join(bea.missing) + "."
    assert bea.missing_text == (
        "Contributor: 1 more point (19 of 20); 7 more days in the community (here 0 of 7); "
        "quest “Read the community guide” (read-the-guide)."
    )


async def test_filters_by_level_and_status_and_searches_by_name(harness: Harness) -> None:
    """Level and status filters and a case-insensitive name search narrow the rows and the total."""
    await community(harness)
    await harness.say("manager", "promote @cyd 3 answers well")
    await harness.sweep(days=31)  # helpers rest after 30 quiet days…
    await harness.post("cyd", "back again")  # …until they come back
    async with viewing(harness) as scope:
        participants = await members_page(scope, MemberQuery(level=1, sort=MemberSort.NAME, descending=False))
        resting = await members_page(scope, MemberQuery(status=MemberStatus.RESTING))
        active = await members_page(scope, MemberQuery(status=MemberStatus.ACTIVE, level=3))
        named = await members_page(scope, MemberQuery(search="AN", sort=MemberSort.NAME, descending=False))
        literal = await members_page(scope, MemberQuery(search="%"))
    assert [r.name for r in participants.rows] == ["ann", "bea"]
    assert participants.total == 2
    assert [(r.name, r.level_name, r.resting) for r in resting.rows] == [("eli", "Helper", True)]
    assert [(r.name, r.resting) for r in active.rows] == [("cyd", False)]
    assert [r.name for r in named.rows] == ["Andrew", "ann", "manager"]
    assert (literal.total, literal.rows) == (0, ())


@pytest.mark.parametrize("sort", list(MemberSort))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize(("search", "expected"), [("", 8), ("E", 6)])
async def test_paging_visits_every_member_once_in_order_both_ways(
    harness: Harness, sort: MemberSort, descending: bool, search: str, expected: int
) -> None:
    """Pages of two, followed forward then back, show every member once (every match of a
    search), in the order of one long page; ties keep a stable order and members never active
    come last either way."""
    await community(harness)
    await harness.say("manager", "promote <@U0NEVER> 2 seeded")  # never active: no last-active time

    def query(cursor: str | None = None, limit: int = 2) -> MemberQuery:
        return MemberQuery(search=search, sort=sort, descending=descending, limit=limit, cursor=cursor)

    async with viewing(harness) as scope:
        whole = await members_page(scope, query(limit=50))
        forward, pages, cursor = [], [], None
        while True:
            page = await members_page(scope, query(cursor))
            pages.append(page)
            forward += [r.name for r in page.rows]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        backward: list[str] = []
        cursor = pages[-1].previous_cursor
        while cursor is not None:
            page = await members_page(scope, query(cursor))
            backward = [r.name for r in page.rows] + backward
            cursor = page.previous_cursor
    names = [r.name for r in whole.rows]
    assert forward == names and len(names) == expected
    assert backward + [r.name for r in pages[-1].rows] == names
    starts = range(1, expected + 1, 2)
    assert [(p.first, p.last, p.total) for p in pages] == [(n, n + 1, expected) for n in starts]
    never = [r.last_active_at is None for r in whole.rows]
    assert sum(never) == 2  # the manager (commands only) and the member seeded by mention
    if search:
        assert {r.name for r in whole.rows} == {"Andrew", "bea", "dee", "eli", "manager", "U0NEVER"}
    if sort is MemberSort.LAST_ACTIVE:
        assert never == sorted(never)


async def test_a_cursor_from_another_query_or_garbage_shows_the_first_page(harness: Harness) -> None:
    """A stale or tampered cursor never fails a page: it starts from the first row."""
    await community(harness)
    async with viewing(harness) as scope:
        by_points = await members_page(scope, MemberQuery(limit=2))
        by_name = await members_page(
            scope, MemberQuery(sort=MemberSort.NAME, limit=2, cursor=by_points.next_cursor)
        )
        garbage = await members_page(scope, MemberQuery(limit=2, cursor="not-a-cursor!"))
    assert by_name.first == 1 and garbage.first == 1
    assert [r.name for r in garbage.rows] == [r.name for r in by_points.rows]


async def test_another_communitys_members_are_neither_listed_nor_shown(harness: Harness) -> None:
    """Members of another community never appear, and their id opens no member page."""
    await community(harness)
    stranger = await speak_elsewhere(harness, "zed")
    async with viewing(harness) as scope:
        page = await members_page(scope, MemberQuery(search="zed"))
        detail = await member_detail(scope, stranger)
    assert (page.total, detail) == (0, None)
