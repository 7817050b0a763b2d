"""How askers say an answer helped on Slack: a 👍 or a "thanks!" credits the helper, once."""

from slack_harness import HELP_CHANNEL, SlackHarness, payload
from sqlmodel import col, select

from models import Answer, Contribution


async def accepted_points(slack: SlackHarness) -> list[tuple[str, int]]:
    """The accepted-answer credits in the ledger, with their points."""
    async with slack.runtime.sessions() as session:
        rows = await session.exec(
            select(Contribution.kind, Contribution.points).where(
                col(Contribution.kind).startswith("answer_accepted")
            )
        )
        return list(rows.all())


async def react(slack: SlackHarness, ts: str, emoji: str, *, user: str, event_id: str) -> None:
    """A member adds a reaction to a message in the help channel."""
    envelope = payload("event_reaction_added")
    envelope["event"] |= {"user": user, "reaction": emoji}
    envelope["event"]["item"] |= {"ts": ts, "channel": HELP_CHANNEL}
    envelope["event_id"] = event_id
    assert (await slack.event(envelope)).status == 200


async def test_the_askers_thumbs_up_credits_the_helper_once(slack: SlackHarness) -> None:
    """👍 (any skin tone) by the asker on a reply accepts it; a redelivery and another 👍 add nothing."""
    root = await slack.message("How do I rebase my branch?")
    reply = await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    await react(slack, reply, "+1::skin-tone-4", user="U0JANE", event_id="EvTHUMB1")
    await react(slack, reply, "+1::skin-tone-4", user="U0JANE", event_id="EvTHUMB1-retry")
    await react(slack, reply, "raised_hands", user="U0JANE", event_id="EvHANDS")
    assert await accepted_points(slack) == [("answer_accepted", 10)]
    assert len([c for c in slack.dms("U0HELPER") if "was accepted" in c.args["text"]]) == 1
    async with slack.runtime.sessions() as session:
        answer = (await session.exec(select(Answer))).one()
    assert answer.accepted_signal == "reaction"


async def test_the_askers_thanks_in_the_thread_credits_the_helper(slack: SlackHarness) -> None:
    """“thanks!” by the asker in the thread accepts the latest reply by someone else."""
    root = await slack.message("How do I rebase my branch?")
    await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    await slack.message("thanks <@U0HELPER>, that worked!", thread=root)
    await slack.message("thank you again!", thread=root)
    assert await accepted_points(slack) == [("answer_accepted", 10)]
    assert any("was accepted" in c.args["text"] for c in slack.dms("U0HELPER"))


async def test_a_strangers_thumbs_up_credits_nothing(slack: SlackHarness) -> None:
    """Only the asker's signal counts: someone else's 👍 (or thanks) on the reply is just a reaction."""
    root = await slack.message("How do I rebase my branch?")
    reply = await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    await react(slack, reply, "+1", user="U0NEWBIE", event_id="EvSTRANGER")
    await slack.message("thanks!", user="U0NEWBIE", thread=root)
    assert await accepted_points(slack) == []
    assert not any("was accepted" in c.args["text"] for c in slack.dms("U0HELPER"))


async def test_thanks_in_advance_credits_nothing(slack: SlackHarness) -> None:
    """“Thanks in advance” is politeness, not an acknowledgement, even after a reply."""
    root = await slack.message("How do I rebase my branch?")
    await slack.message("git rebase origin/main", user="U0HELPER", thread=root)
    await slack.message("Will try tonight, thanks in advance", thread=root)
    assert await accepted_points(slack) == []
