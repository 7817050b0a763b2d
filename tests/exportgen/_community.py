"""A simulated community: members arrive, introduce themselves, ask, help, chat, over the years.

The population (:mod:`._population`) says who is around when and how much each one asks, helps
and chats; the conversations (:mod:`._conversation`) say how a question is answered and
acknowledged; this module puts them on one timeline with the chatter, bots and notices around.
"""

import random
from datetime import UTC, datetime, timedelta

from . import _talk
from ._conversation import Conversations
from ._population import AroundPicker, Habit, Member, Person, Picker, populate, stay_years
from ._script import Script, Timeline
from ._truth import Truth

START = datetime(2020, 6, 1, 9, 0, tzinfo=UTC)
# Questions per member per year, from the calibration: 706 answered threads, about 900 asked,
# among 563 members over 5 years.
QUESTIONS_PER_MEMBER_YEAR = 0.32
QUESTIONS_IN_HELP = 0.85
BOT = Person(900_000, "helperbot", "Helper Bot", bot=True)


def generate(
    conversations: int | None = None,
    *,
    members: int = 12,
    years: float = 0.25,
    channels: int = 3,
    chatter: float = 3.0,
    seed: int = 7,
    start: datetime = START,
) -> Script:
    """A community of ``members`` over ``years``: ``conversations`` questions (by default as many
    as the calibration's rate gives) and about ``chatter`` messages of chatter per question."""
    rng = random.Random(seed)
    end = start + timedelta(days=365.25 * years)
    population = populate(rng, members, start, end)
    rooms = ["general", "help", "random"] + [f"team-{n}" for n in range(channels - 3)]
    asked = conversations
    if asked is None:
        asked = max(1, round(QUESTIONS_PER_MEMBER_YEAR * members * years))
    timeline = Timeline(rng, start, end)
    truth = Truth()
    talk = Conversations(rng, timeline, population, truth, BOT)
    for member in population:
        _arrive(rng, timeline, member)
    for asker, at in _questions(rng, population, asked):
        talk.converse(asker, at, "help" if rng.random() < QUESTIONS_IN_HELP else "general")
    _chatter(rng, timeline, population, [r for r in rooms if r != "help"], round(asked * chatter))
    _bots_and_notices(rng, timeline, population[0].person, asked, start, end)
    return timeline.script([m.person for m in population] + [BOT], rooms, truth)


def _arrive(rng: random.Random, timeline: Timeline, member: Member) -> None:
    """A member joins; a quarter of those who will take part introduce themselves."""
    timeline.post(member.person, member.joined, "general", "joined", kind="join")
    if member.habit is not Habit.LURKER and rng.random() < 0.25:
        text = rng.choice(_talk.INTRODUCTIONS).format(name=member.person.display.split()[0])
        timeline.post(member.person, member.joined + timedelta(minutes=rng.uniform(2, 600)), "general", text)


def _questions(rng: random.Random, population: list[Member], count: int) -> list[tuple[Member, datetime]]:
    """Who asks when: drive-by members soon after joining, the rest by curiosity while around."""
    asked: list[tuple[Member, datetime]] = []
    for member in population:
        if member.habit is Habit.DRIVE_BY and len(asked) < count // 2:
            for _ in range(1 if rng.random() < 0.75 else 2):
                asked.append((member, member.joined + timedelta(hours=rng.uniform(0.1, 72))))
    curious = Picker(population, [m.curiosity * stay_years(m) for m in population])
    while len(asked) < count and curious.members:
        member = curious.draw(rng)
        asked.append((member, member.joined + (member.leaves - member.joined) * rng.random()))
    return asked[:count]


def _chatter(
    rng: random.Random, timeline: Timeline, population: list[Member], rooms: list[str], count: int
) -> None:
    """Chat in the social channels: mostly by a few talkers, with mentions and reactions."""
    talkers = Picker(population, [m.chattiness * stay_years(m) for m in population])
    anyone = AroundPicker(population, [1.0] * len(population), timeline.start, timeline.end)
    # Those who chat most react most (lurkers now and then): 👍 on chatter is a real decoy.
    fans = AroundPicker(population, [m.chattiness + 0.01 for m in population], timeline.start, timeline.end)
    for _ in range(count if talkers.members else 0):
        speaker = talkers.draw(rng)
        at = speaker.joined + (speaker.leaves - speaker.joined) * rng.random()
        chat = timeline.post(speaker.person, at, rng.choice(rooms), rng.choice(_talk.CHATTER))
        if rng.random() < 0.25 and (friend := anyone.around(rng, at, speaker.person)) is not None:
            chat.mentions, chat.text = [friend.person], f"@{friend.person.name} {chat.text}"
        if rng.random() < 0.3:
            drawn = (fans.around(rng, at, speaker.person) for _ in range(rng.randint(1, 3)))
            reactors = list(dict.fromkeys(f.person for f in drawn if f is not None))
            if rng.random() < 0.2:
                reactors.append(BOT)
            if reactors:
                chat.reactions[rng.choice(_talk.CHAT_REACTIONS)] = reactors


def _bots_and_notices(
    rng: random.Random, timeline: Timeline, admin: Person, asked: int, start: datetime, end: datetime
) -> None:
    """Bot announcements and pinned notices, spread over the years."""
    span = end - start
    for _ in range(max(1, asked // 8)):
        text = rng.choice(_talk.BOT_LINES[:2]).format(n=rng.randint(1, 9))
        timeline.post(BOT, start + span * rng.random(), "general", text, kind="bot")
    for _ in range(max(1, asked // 30)):
        timeline.post(admin, start + span * rng.random(), "help", "pinned a message", kind="system")
