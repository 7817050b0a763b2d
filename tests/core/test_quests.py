"""Quests: the path to the next level, submissions with evidence, reviews by higher levels."""

from core_harness import INTRO_CHANNEL, Harness

from handlers.commands import ActionName


async def test_quests_lists_the_path_with_state(harness: Harness) -> None:
    """A Participant sees level 1's quests, which complete by themselves and which to submit."""
    await harness.post("ann", "Hi!", channel=INTRO_CHANNEL)
    replies = await harness.say("ann", "quests")
    assert replies[0].title == "Quests towards Contributor"
    assert "*Read the community guide* (read-the-guide, 5 pts)" in replies[0].text
    assert "`/ladder quest submit read-the-guide <evidence>`" in replies[0].text
    assert "*Give your first answer* (first-answer, 5 pts)" in replies[0].text
    await harness.say("ann", "quest submit read-the-guide Add a FAQ link")
    assert "⏳ submitted, waiting for review" in await harness.text("ann", "quests")


async def test_review_by_a_higher_level_credits_both(harness: Harness) -> None:
    """A Helper approves a Participant's quest: the member gets the quest's points, the reviewer 2."""
    await harness.set_level("helper", 3)
    await harness.post("ann", "Hi!", channel=INTRO_CHANNEL)
    await harness.say("ann", "quest submit read-the-guide Add a FAQ link")
    review = [m for m in harness.dms("helper") if m.title == "Quest to review"]
    assert review and [b.action for b in review[0].buttons] == [
        ActionName.QUEST_APPROVE,
        ActionName.QUEST_REJECT,
    ]
    assert await harness.press("helper", review[0].buttons[0].action, review[0].buttons[0].value) == (
        "“Read the community guide” approved for <@ann>."
    )
    assert "Your quest “Read the community guide” was approved." in harness.dm_texts("ann")
    assert "9 points" in await harness.text("ann", "level")
    helper = await harness.text("helper", "level")
    assert "7 points" in helper, "2 for the review and 5 for the review-a-quest quest it completed"
    assert "✅ done" in await harness.text("ann", "quests")


async def test_rejection_needs_a_reason_and_allows_resubmission(harness: Harness) -> None:
    """A returned quest says why, and the member can submit again."""
    await harness.set_level("helper", 3)
    await harness.post("ann", "Hi!", channel=INTRO_CHANNEL)
    await harness.say("ann", "quest submit read-the-guide ok")
    await harness.say("helper", "quest reject @ann read-the-guide Please say what you would change")
    assert "was returned. Note: Please say what you would change" in harness.dm_texts("ann")
    assert "↩️ returned" in await harness.text("ann", "quests")
    assert "Submitted" in await harness.text("ann", "quest submit read-the-guide I'd add a testing section")


async def test_bad_submissions_and_reviews_are_explained(harness: Harness) -> None:
    """Unknown quests, future quests, automatic quests, self-review and peers are refused clearly."""
    await harness.post("ann", "Hi!", channel=INTRO_CHANNEL)
    await harness.post("bob", "Hi!", channel=INTRO_CHANNEL)
    assert "No quest called 'read-guide'. Did you mean read-the-guide?" in await harness.text(
        "ann", "quest submit read-guide done"
    )
    assert "is a quest of level 2 (Contributor); you are at level 1" in await harness.text(
        "ann", "quest submit write-a-faq https://x"
    )
    assert "completes by itself" in await harness.text("ann", "quest submit first-answer done")
    await harness.say("ann", "quest submit read-the-guide done")
    assert "already waiting for review" in await harness.text("ann", "quest submit read-the-guide again")
    assert "You cannot review your own quest." in await harness.text(
        "ann", "quest approve @ann read-the-guide"
    )
    assert "Only managers or members above level 1" in await harness.text(
        "bob", "quest approve @ann read-the-guide"
    )
    assert "has no submission of “Say hello”" in await harness.text("manager", "quest approve @ann say-hello")
