"""A community's history as a neutral script: people, channels and what they said, in time order.

The format writers render one script as any export; the script holds what a real help
community does: questions, replies in threads or inline, the asker's 👍/🙏/❤️ and "thanks!",
a rare ✅, chatter with mentions, bots, edits, joins, system notices and unicode.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

START = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
FIRST = ["Ada", "Bruno", "Chioma", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hana", "Ígor", "Jana"]
LAST = ["Okafor", "Müller", "Nakamura", "Silva", "Kowalski", "Haddad", "Nguyen", "Ødegård"]
TOPICS = ["the webhook", "pandas merge", "the CI cache", "my Docker build", "OAuth scopes", "d3 axes"]
QUESTIONS = [
    "How do I fix {t}? It fails with a timeout 😕",
    "Anyone know why {t} breaks after the upgrade?",
    "What is the right way to configure {t}?",
    "Is there a way to speed up {t}? thanks in advance",
    "Where do I find the docs for {t}?",
]
ANSWERS = [
    "Try clearing the cache first, then rerun it.",
    "You need to pin the version, see the changelog.",
    "Set `timeout=30` in the config, that fixed it for me.",
    "Check the logs under ~/.cache, the error is usually there.",
]
THANKS = ["thanks!", "Thank you, that worked 🙏", "ty", "cheers, works now", "thx!"]
CHATTER = ["morning all ☀️", "great meetup yesterday", "lol", "the new release is out!", "👀", "brb"]
# Neutral reaction names; writers spell them as their platform does.
ACKS = ["+1", "+1::skin-tone-2", "+1::skin-tone-5", "pray", "heart", "raised_hands", "tada"]


@dataclass(frozen=True)
class Person:
    """A member (or a bot): a number the writers turn into platform ids, and names."""

    number: int
    name: str
    display: str
    bot: bool = False
    admin: bool = False


@dataclass
class Post:
    """One thing that happened in a channel."""

    number: int
    author: Person
    at: datetime
    channel: str
    text: str = ""
    kind: str = "message"  # message | join | system | bot
    thread_of: int | None = None
    reply_to: int | None = None
    mentions: list[Person] = field(default_factory=list)
    reactions: dict[str, list[Person]] = field(default_factory=dict)
    edited_at: datetime | None = None


@dataclass
class Script:
    """Everyone, every channel and every post of a generated community."""

    people: list[Person]
    channels: list[str]
    posts: list[Post]

    def by_number(self) -> dict[int, Post]:
        """Posts by number, to follow replies and threads."""
        return {p.number: p for p in self.posts}


def _other(rng: random.Random, people: list[Person], *excluded: Person) -> Person:
    """Someone other than ``excluded`` (drawn again until so: cheap with many members)."""
    while True:
        person = rng.choice(people)
        if person not in excluded:
            return person


def generate(
    conversations: int, *, members: int = 12, channels: int = 3, chatter: int = 3, seed: int = 7
) -> Script:
    """A script of about ``conversations`` questions plus up to ``chatter`` messages of chatter
    after each (in #general, #random and more channels when ``channels`` asks for them)."""
    rng = random.Random(seed)
    people = [
        Person(i, f"{FIRST[i % len(FIRST)].lower()}{i}", f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}")
        for i in range(1, members + 1)
    ]
    people[0] = Person(1, people[0].name, people[0].display, admin=True)
    bot = Person(900, "helperbot", "Helper Bot", bot=True)
    rooms = ["general", "help", "random"] + [f"team-{n}" for n in range(channels - 3)]
    chatty = [r for r in rooms if r != "help"]
    posts: list[Post] = []
    clock = START

    def post(author: Person, channel: str, **kwargs: object) -> Post:
        nonlocal clock
        clock += timedelta(minutes=rng.randint(1, 40), seconds=rng.randint(0, 59))
        made = Post(len(posts) + 1, author, clock, channel, **kwargs)  # type: ignore[arg-type]
        posts.append(made)
        return made

    for person in people:
        post(person, "general", kind="join", text="joined")
    for _ in range(conversations):
        asker = rng.choice(people)
        question = post(asker, "help", text=rng.choice(QUESTIONS).format(t=rng.choice(TOPICS)))
        if rng.random() < 0.1:
            question.edited_at = question.at + timedelta(minutes=2)
            question.text += " (edit: on Linux)"
        helpers = list(dict.fromkeys(_other(rng, people, asker) for _ in range(rng.randint(0, 2))))
        last = None
        for helper in helpers:
            last = post(helper, "help", text=rng.choice(ANSWERS), thread_of=question.number, mentions=[asker])
            last.reply_to = question.number
        if last is not None:
            roll = rng.random()
            if roll < 0.38:
                last.reactions.setdefault(rng.choice(ACKS), []).append(asker)
            elif roll < 0.69:
                thanks = post(asker, "help", text=rng.choice(THANKS), thread_of=question.number)
                thanks.reply_to, thanks.mentions = last.number, [last.author]
            elif roll < 0.71:
                last.reactions.setdefault("white_check_mark", []).append(asker)
            if rng.random() < 0.3:
                other = _other(rng, people, asker, last.author)
                last.reactions.setdefault("+1", []).append(other)
        for _ in range(rng.randint(0, chatter)):
            speaker = rng.choice(people)
            chat = post(speaker, rng.choice(chatty), text=rng.choice(CHATTER))
            if rng.random() < 0.3:
                friend = _other(rng, people, speaker)
                chat.mentions, chat.text = [friend], f"@{friend.name} {chat.text}"
            if rng.random() < 0.2:
                chat.reactions.setdefault("joy", []).extend([rng.choice(people), bot])
        if rng.random() < 0.15:
            post(bot, "general", kind="bot", text="📣 Weekly office hours start in 10 minutes")
        if rng.random() < 0.05:
            post(rng.choice(people), "help", kind="system", text="pinned a message")
    return Script([*people, bot], rooms, posts)
