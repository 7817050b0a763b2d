"""One rulebook: the same conversation fed live or imported as history gives the same ledger and
the same levels, and history that overlaps what was seen live credits nothing twice."""

from conversation_script import Script, accepted, feed, ledger, place, with_harness
from core_harness import Harness, config_for_tests
from sqlmodel import col, select

from handlers.kernel import LadderConfig
from models import Member, Question

AUTOMATIC = config_for_tests().model_copy(
    update={"quests": tuple(q for q in LadderConfig().quests if q.key in ("say-hello", "first-answer"))}
)


def two_weeks_of_help() -> Script:
    """Bob and Cat say hello; Bob answers a question a day for 12 days; askers acknowledge as real
    ones do: 👍, 🙏, "thanks!", "thanks @bob", once ✅, once nothing. Cat answers thrice, unthanked."""
    talk = Script()
    talk.say("bob", "Hi all, I'm Bob, I maintain the config loader.", channel="intros")
    talk.say("cat", "Hello! Cat here, new to the project.", channel="intros")
    signals = [
        "👍",
        "thanks!",
        "🙏",
        "thanks <@bob>",
        "❤️",
        "✅",
        "thanks, that worked",
        "",
        "🎉",
        "ty!",
        "💯",
        "🙌",
    ]
    for day, signal in enumerate(signals):
        minute = day * 24 * 60
        asker = f"asker{day % 4}"
        question = talk.ask(asker, f"How do I configure feature {day}?", minute)
        if day % 5 == 0:
            talk.say("cat", f"maybe look at the settings page for {day}", minute + 3, thread=question)
        answer = talk.say("bob", f"Set option_{day} = true in ladder.toml", minute + 10, thread=question)
        if signal.startswith(("thanks", "ty")):
            mentions = ("bob",) if "<@bob>" in signal else ()
            talk.say(asker, signal, minute + 30, thread=question, mentions=mentions)
        elif signal:
            talk.say(asker, "trying it now", minute + 20, thread=question)
            talk.react(asker, answer, signal, minute + 30)
    return talk


def test_the_same_conversation_live_and_as_history_gives_the_same_ledger_and_levels() -> None:
    """With quests the history can show (automatic ones), live promotions and placement from
    history agree; every contribution is the same, source id for source id."""
    results = []
    for live in (True, False):

        async def body(harness: Harness, live: bool = live) -> None:
            await feed(harness, two_weeks_of_help().events, live=live)
            if not live:
                await place(harness)
            async with harness.ladder.sessions() as session:
                levels = dict((await session.exec(select(Member.external_id, Member.level))).all())
                states = (await session.exec(select(Question.status).order_by(col(Question.id)))).all()
            results.append((await ledger(harness), levels, list(states), await accepted(harness)))

        with_harness(body, AUTOMATIC)
    (live_ledger, live_levels, live_states, live_accepted), history = results
    assert (live_ledger, live_levels, live_states, live_accepted) == history
    assert live_levels["bob"] == 3, "Bob's acknowledged answers make him a Helper"
    assert live_levels["cat"] == 1 and live_levels["asker0"] == 1
    assert len(live_accepted) == 11 and {signal for _, signal in live_accepted} == {
        "explicit",
        "reaction",
        "thanks",
    }


async def test_history_overlapping_live_data_credits_nothing_twice(harness: Harness) -> None:
    """Events seen live, then the same events again in an import (plus a later one): every
    contribution once, the acceptance once, and the later thanks still counts."""
    talk = Script()
    question = talk.ask("ann", "How do I run the tests offline?")
    answer = talk.say("bob", "pytest -q with the fakes", 5, thread=question)
    talk.react("ann", answer, "👍", 6)
    second = talk.ask("ann", "And the linters?", 60)
    talk.say("cat", "ruff check .", 65, thread=second)
    await feed(harness, talk.events[:3], live=True)
    seen_live = await ledger(harness)
    talk.say("ann", "thanks!", 70, thread=second)
    await feed(harness, talk.events, live=False)
    await feed(harness, talk.events, live=False)
    after = await ledger(harness)
    assert set(seen_live) <= set(after) and len(after) == len(set(after))
    assert [(who, kind) for who, kind, _, _ in after if kind.startswith("answer_")] == [
        ("bob", "answer_accepted"),
        ("cat", "answer_accepted"),
        ("bob", "answer_given"),
        ("cat", "answer_given"),
    ]
    assert await accepted(harness) == [("bob", "reaction"), ("cat", "thanks")]
