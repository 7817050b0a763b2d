"""How askers say an answer helped on Discord: a 👍 or a "thanks!" credits the helper, once."""

from discord_harness import Running
from fake_discord import FakeDiscord, uid
from sqlmodel import col, select
from test_discord_events import register_manager, settle

from models import Answer, Contribution


async def accepted(live: Running) -> list[tuple[str, int]]:
    """The accepted-answer credits in the ledger: (kind, points)."""
    async with live.sessions() as session:
        rows = await session.exec(
            select(Contribution.kind, Contribution.points).where(
                col(Contribution.kind).startswith("answer_accepted")
            )
        )
        return list(rows.all())


async def question_and_answer(fake: FakeDiscord) -> tuple[str, str]:
    """Alice asks in #help; Bob answers with an inline reply. Returns both message ids."""
    await register_manager(fake)
    question = await fake.say("alice", "Which Python version is supported?", "help")
    await fake.wait_dms(uid("mara"))
    answer = await fake.say("bob", "3.11 and newer.", "help", replying_to=question)
    await fake.wait_dm(uid("alice"), "replied to your question")
    return question, answer


async def test_the_askers_thumbs_up_credits_the_helper_once(live: Running, fake: FakeDiscord) -> None:
    """👍🏽 by the asker on the reply accepts it; the same reaction again and a 🙏 add nothing."""
    _, answer = await question_and_answer(fake)
    await fake.react("alice", answer, "help", emoji="👍🏽")
    await fake.wait_dm(uid("bob"), "was accepted")
    await fake.react("alice", answer, "help", emoji="👍🏽")
    await fake.react("alice", answer, "help", emoji="🙏")
    await settle(live)
    assert await accepted(live) == [("answer_accepted", 10)]
    assert len([d for d in fake.dms(uid("bob")) if "was accepted" in d.content]) == 1


async def test_the_askers_thanks_in_the_reply_chain_credits_the_helper(
    live: Running, fake: FakeDiscord
) -> None:
    """“thanks!” replying to the answer belongs to the question and accepts that answer."""
    _, answer = await question_and_answer(fake)
    await fake.say("alice", "thanks, that worked!", "help", replying_to=answer, mentioning=("bob",))
    await fake.wait_dm(uid("bob"), "was accepted")
    async with live.sessions() as session:
        stored = (await session.exec(select(Answer))).one()
    assert stored.accepted_signal == "thanks"
    assert await accepted(live) == [("answer_accepted", 10)]


async def test_a_strangers_thumbs_up_or_thanks_credits_nothing(live: Running, fake: FakeDiscord) -> None:
    """Only the asker's signal counts: Carol's 👍 and thanks on Bob's answer accept nothing."""
    _, answer = await question_and_answer(fake)
    await fake.react("carol", answer, "help", emoji="👍")
    await fake.say("carol", "thanks bob!", "help", replying_to=answer)
    await settle(live)
    assert await accepted(live) == []
    assert not [d for d in fake.dms(uid("bob")) if "was accepted" in d.content]
