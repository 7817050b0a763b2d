"""Imported history feeds the earlier-answer search: a question solved in 2016 is offered in 2026,
and importing the same export again leaves the search index exactly in step."""

from importer.conftest import HOUSTON
from sqlalchemy import func
from sqlmodel import col, select

from bot.importer import import_history
from bot.runtime import Runtime
from handlers.kernel import Actor, CommunityRef, Context, FakeChatPort
from models import Community, Question, QuestionStatus, search


async def ask(runtime: Runtime, text: str) -> str:
    """A member of the imported workspace runs ``/ladder ask`` today; their first reply."""
    ladder = runtime.service(FakeChatPort())
    ctx = Context(
        CommunityRef("slack", "T061A2UFL", "houstondatavis"), Actor("U0NEW", "New member"), "C061A0WJG"
    )
    replies = await ladder.command(ctx, f"ask {text}")
    return f"{replies[0].title}: {replies[0].text}"


async def indexed(runtime: Runtime) -> tuple[int, int]:
    """How many questions the search index holds, and how many solved questions it should hold."""
    async with runtime.sessions() as session:
        community = (await session.exec(select(Community).where(Community.external_id == "T061A2UFL"))).one()
        assert community.id is not None
        _, documents = await search.frequencies(session, community.id, ["visit"])
        solved = await session.exec(
            select(func.count()).where(
                Question.community_id == community.id,
                Question.status == QuestionStatus.SOLVED,
                col(Question.accepted_answer_id).is_not(None),
                Question.terms != "",
            )
        )
        return documents, int(solved.one())


async def test_an_imported_answer_from_2016_is_offered_and_reimport_keeps_the_index_in_step(
    runtime: Runtime,
) -> None:
    """A 2016 question about the HIMA meetup, solved by its asker's thanks for Micah's answer, is
    offered with that answer to someone asking it differently today, after two imports."""
    await import_history(runtime, "slack", HOUSTON)
    first = await indexed(runtime)
    await import_history(runtime, "slack", HOUSTON)

    assert first[0] == first[1] > 0
    assert await indexed(runtime) == first
    reply = await ask(runtime, "Is the HIMA event about marketing or automation?")
    assert reply.startswith("This may already be answered: A similar question was solved before: “")
    assert "Is this HIMA about automation or marketing? there are 2 different organizations.”" in reply
    assert "\nAnswer: @pavan I believe this HIMA is interactive marketing\n" in reply
