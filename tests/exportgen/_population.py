"""Who is in a generated community: when each member is around, and how much they ask, help, chat.

Real communities are heavy-tailed (the calibration is in :mod:`tests.exportgen`'s docstring):
most members join and lurk, many come once to ask a question or two, some chat, and a handful
answer most of the questions. Each member gets a habit:

- ``LURKER``: joins, then at most reacts to chatter;
- ``DRIVE_BY``: joins to ask one question (sometimes two) within days, then leaves;
- ``CHATTER``: talks, rarely asks, almost never helps;
- ``REGULAR``: talks, asks now and then, helps now and then;
- ``CORE``: around for years, answers a lot.

Helpfulness is Zipf-distributed over the members who help at all (rank ``r`` weighs
``r ** -HELP_EXPONENT``, the core on the top ranks), and so are chattiness and curiosity over
those who chat and ask: a few members do most of each, as in the calibration.
"""

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import accumulate

from . import _talk

HELP_EXPONENT = 1.05
HELP_DRIVE_BY = 0.1
# Shares of each habit among members (the core is at least CORE_MIN members).
SHARES = {"lurker": 0.36, "drive-by": 0.26, "chatter": 0.18, "regular": 0.18, "core": 0.02}
CORE_MIN = 3
SLICES = 64


class Habit(StrEnum):
    """How a member takes part (see the module docstring)."""

    LURKER = "lurker"
    DRIVE_BY = "drive-by"
    CHATTER = "chatter"
    REGULAR = "regular"
    CORE = "core"


@dataclass(frozen=True)
class Person:
    """A member (or a bot): a number the writers turn into platform ids, and unique names."""

    number: int
    name: str
    display: str
    bot: bool = False
    admin: bool = False


@dataclass
class Member:
    """A person's place in the simulation: when they are around and how they take part."""

    person: Person
    habit: Habit
    joined: datetime
    leaves: datetime
    helpfulness: float = 0.0  # the member's Zipf share of help, per year around
    chattiness: float = 0.0
    curiosity: float = 0.0

    def around(self, at: datetime) -> bool:
        """Whether the member is still in the community at ``at``."""
        return self.joined <= at <= self.leaves


class Picker:
    """Draws members in proportion to a weight (hand-written: ``random.choices`` redoes the
    cumulative sums on every call)."""

    def __init__(self, members: list[Member], weights: list[float]) -> None:
        kept = [(m, w) for m, w in zip(members, weights, strict=True) if w > 0]
        self.members = [m for m, _ in kept]
        self.cumulative = list(accumulate(w for _, w in kept))

    def draw(self, rng: random.Random) -> Member:
        """One member, by weight."""
        return self.members[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class AroundPicker:
    """Draws, by weight, a member who is around at a given time.

    The span is cut into :data:`SLICES` slices, each with a :class:`Picker` of the members
    around during it, so a draw is a bisection and rarely a retry, at any community size.
    """

    def __init__(self, members: list[Member], weights: list[float], start: datetime, end: datetime) -> None:
        self.start, self.step = start, (end - start) / SLICES
        self.slices = []
        for index in range(SLICES):
            begin, finish = start + self.step * index, start + self.step * (index + 1)
            around = [
                (m, w)
                for m, w in zip(members, weights, strict=True)
                if m.joined < finish and m.leaves >= begin
            ]
            self.slices.append(Picker([m for m, _ in around], [w for _, w in around]))

    def around(self, rng: random.Random, at: datetime, *excluded: Person, tries: int = 30) -> Member | None:
        """One member around at ``at`` (not ``excluded``), by weight; None when nobody is found."""
        index = min(max(int((at - self.start) / self.step), 0), SLICES - 1)
        picker = self.slices[index]
        if not picker.members:
            return None
        for _ in range(tries):
            member = picker.draw(rng)
            if member.around(at) and member.person not in excluded:
                return member
        return None


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Unique (user name, display name) pairs: a summary names members, so a test can find them."""
    pairs = [(f, last) for last in _talk.LAST for f in _talk.FIRST]
    rng.shuffle(pairs)
    named = []
    for i in range(count):
        first, last = pairs[i % len(pairs)]
        lap = i // len(pairs)
        display = f"{first} {last}" + (f" {lap + 1}" if lap else "")
        user = f"{first.lower()}.{last.lower().replace(' ', '')}" + (str(lap + 1) if lap else "")
        named.append((user.replace("'", ""), display))
    return named


def _habits(rng: random.Random, count: int) -> list[Habit]:
    core = max(CORE_MIN, round(count * SHARES["core"])) if count >= 2 * CORE_MIN else 1
    rest = [
        habit
        for habit in (Habit.LURKER, Habit.DRIVE_BY, Habit.CHATTER, Habit.REGULAR)
        for _ in range(round((count - core) * SHARES[habit.value] / (1 - SHARES["core"])))
    ]
    habits = [Habit.CORE] * core + rest
    habits = (habits + [Habit.REGULAR] * count)[:count]
    rng.shuffle(habits)
    return habits


def populate(rng: random.Random, count: int, start: datetime, end: datetime) -> list[Member]:
    """``count`` members with habits, stays and Zipf weights; the first is an admin."""
    span = end - start
    members = []
    for (user, display), habit, number in zip(
        _names(rng, count), _habits(rng, count), range(1, count + 1), strict=True
    ):
        person = Person(number, user, display, admin=number == 1)
        if habit is Habit.CORE or number == 1:
            joined = start + span * rng.random() * 0.3
            leaves = joined + (end - joined) * rng.uniform(0.7, 1.0)
        elif habit is Habit.DRIVE_BY:
            joined = start + span * rng.random()
            leaves = joined + timedelta(days=rng.uniform(3, 40))
        else:
            joined = start + span * rng.random() ** 1.3
            stay = timedelta(days=min(rng.paretovariate(0.9) * 60, 36525))
            leaves = joined + (stay if habit is not Habit.LURKER else span)
        members.append(Member(person, habit, joined, min(leaves, end)))
    _weigh(rng, members)
    return members


def _weigh(rng: random.Random, members: list[Member]) -> None:
    """Zipf weights for helping (core first), chatting and asking."""
    share = {Habit.CORE: 1.0, Habit.REGULAR: 0.9, Habit.CHATTER: 0.3, Habit.DRIVE_BY: HELP_DRIVE_BY}
    helpers = [m for m in members if rng.random() < share.get(m.habit, 0.0)]
    helpers.sort(key=lambda m: (m.habit is not Habit.CORE, rng.random()))
    for rank, member in enumerate(helpers, start=1):
        member.helpfulness = rank**-HELP_EXPONENT / stay_years(member)
    talkers = [m for m in members if m.habit in (Habit.CHATTER, Habit.REGULAR, Habit.CORE)]
    rng.shuffle(talkers)
    for rank, member in enumerate(talkers, start=1):
        member.chattiness = rank**-0.8
    askers = [m for m in members if m.habit in (Habit.CHATTER, Habit.REGULAR, Habit.CORE)]
    rng.shuffle(askers)
    for rank, member in enumerate(askers, start=1):
        member.curiosity = rank**-0.7 * (0.3 if member.habit is Habit.CHATTER else 1.0)


def stay_years(member: Member) -> float:
    """How long a member is around, in years (weights draws of "someone, some time")."""
    return max((member.leaves - member.joined).total_seconds(), 3600.0) / (365.25 * 86400)
