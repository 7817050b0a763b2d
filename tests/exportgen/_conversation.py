"""One help conversation: a question, the replies of helpers who are around, the asker's signal.

Rates are the calibration's (see :mod:`tests.exportgen`): of the questions others answered, the
asker reacted to a reply in 38%, thanked in words in 31%, one or the other in 55%, and put ✅
in 2%. About one question in five gets no answer. Around the real signals are the decoys a
rulebook must not count: thanks in advance, a bystander's thanks, "thanks, but it still
doesn't work", "no thanks", thanks to someone who did not reply, "thanks anyway", thanks more
than a day late, a bot's "Thanks for your question!", thanks quoted in code.
"""

import random
from datetime import datetime, timedelta

from . import _talk
from ._population import AroundPicker, Member, Person
from ._script import Post, Timeline
from ._truth import Ack, Signal, Truth

UNANSWERED = 0.2
RESPONDERS = ((1, 0.62), (2, 0.27), (3, 0.11))
REACTED, THANKED, EITHER, MARKED = 0.38, 0.31, 0.55, 0.02


def _minutes(rng: random.Random, median: float, spread: float = 1.4) -> timedelta:
    """A log-normal delay: most replies come within minutes, some after hours or days."""
    return timedelta(minutes=rng.lognormvariate(0, spread) * median)


class Conversations:
    """Writes conversations on the timeline and records their truth."""

    def __init__(
        self, rng: random.Random, timeline: Timeline, population: list[Member], truth: Truth, bot: Person
    ) -> None:
        self.rng, self.timeline, self.truth, self.bot = rng, timeline, truth, bot
        start, end = timeline.start, timeline.end
        self.helpers = AroundPicker(population, [m.helpfulness for m in population], start, end)
        self.anyone = AroundPicker(population, [1.0] * len(population), start, end)

    def converse(self, asker: Member, at: datetime, channel: str) -> None:
        """One question and what follows it."""
        rng, me = self.rng, asker.person
        question = self.timeline.post(me, at, channel, _talk.question(rng))
        self.truth.questions += 1
        if "in advance" in question.text.lower():
            self.truth.decoys["thanks in advance"] += 1
        if rng.random() < 0.1:
            question.edited_at = at + timedelta(minutes=rng.uniform(1, 20))
            question.text += " (edit: on Linux)"
        if rng.random() < 0.15:
            self._say(
                self.bot, question, at + timedelta(seconds=5), rng.choice(_talk.BOT_LINES[2:]), kind="bot"
            )
        responders = self._responders(asker, at)
        if not responders:
            self._unanswered(question)
            return
        self.truth.answered += 1
        replies = self._replies(question, responders)
        self._acknowledge(question, replies)

    def _responders(self, asker: Member, at: datetime) -> list[Person]:
        if self.rng.random() < UNANSWERED:
            return []
        wanted = self.rng.choices([n for n, _ in RESPONDERS], [w for _, w in RESPONDERS])[0]
        found: list[Person] = []
        for _ in range(wanted):
            helper = self.helpers.around(self.rng, at, asker.person, *found)
            if helper is not None:
                found.append(helper.person)
        return found

    def _say(self, author: Person, question: Post, at: datetime, text: str, **kwargs: object) -> Post:
        """A post in the question's conversation (a thread where the platform has them)."""
        kwargs.setdefault("answers", question)
        return self.timeline.post(author, at, question.channel, text, root=question, **kwargs)

    def _reply(self, author: Person, question: Post, to: Post, at: datetime, text: str) -> Post:
        """A helper's reply: addressed with ``@`` half the time, a Discord reply more often."""
        rng = self.rng
        reply = self._say(
            author, question, at, text, answers=to, addressed=rng.random() < 0.5,
            inline=rng.random() < 0.6, in_channel=rng.random() < 0.08,
        )  # fmt: skip
        if rng.random() < 0.05:
            reply.edited_at = at + timedelta(minutes=rng.uniform(1, 10))
        return reply

    def _unanswered(self, question: Post) -> None:
        """Nobody answers: the asker may bump it, or solve it alone (no thanks to anyone)."""
        rng, at = self.rng, question.at
        if rng.random() < 0.3:
            self._say(question.author, question, at + _minutes(rng, 180), rng.choice(_talk.BUMPS))
        if rng.random() < 0.15:
            self._say(question.author, question, at + _minutes(rng, 400), _talk.GAVE_UP[1])

    def _replies(self, question: Post, responders: list[Person]) -> list[Post]:
        """Each responder's reply, with a follow-up exchange now and then; returns them in order."""
        rng, asker = self.rng, question.author
        at, replies = question.at, list[Post]()
        for helper in responders:
            at += _minutes(rng, 25 if not replies else 20)
            replies.append(self._reply(helper, question, question, at, rng.choice(_talk.ANSWERS)))
            self.truth.helped[helper] += 1
            if len(replies) == 1 and rng.random() < 0.35:
                at += _minutes(rng, 10)
                follow = self._say(asker, question, at, rng.choice(_talk.FOLLOW_UPS), answers=replies[-1])
                follow.addressed = rng.random() < 0.3
                at += _minutes(rng, 15)
                replies.append(self._reply(helper, question, follow, at, rng.choice(_talk.SECOND_ANSWERS)))
            elif len(responders) > 1 and helper != responders[-1] and rng.random() < 0.15:
                at += _minutes(rng, 10)
                self._say(asker, question, at, rng.choice(_talk.FAILED), answers=replies[-1], inline=True)
                self.truth.decoys["thanks that say it did not help"] += 1
        for reply in replies:
            if rng.random() < 0.2 and (fan := self.anyone.around(rng, reply.at, asker, reply.author)):
                reply.reactions.setdefault("+1", []).append(fan.person)
        return replies

    def _acknowledge(self, question: Post, replies: list[Post]) -> None:
        """The asker's signals on the reply that helped, at the calibration's rates; or decoys."""
        rng, asker = self.rng, question.author
        helpful = replies[-1] if rng.random() < 0.7 else replies[0]
        roll = rng.random()
        reacted = roll < REACTED
        thanked = REACTED - (REACTED + THANKED - EITHER) <= roll < EITHER
        marked = rng.random() < MARKED
        if not (reacted or thanked or marked):
            self._decoys(question, replies)
            return
        ack = Ack(question, helpful, helpful.author)
        if marked:
            helpful.reactions.setdefault(_talk.EXPLICIT, []).insert(0, asker)
            ack.signals.append(Signal.EXPLICIT)
        elif reacted:
            helpful.reactions.setdefault(rng.choice(_talk.POSITIVE), []).insert(0, asker)
            ack.signals.append(Signal.REACTION)
        acks = [ack]
        if thanked:
            acks = self._thank(question, replies, helpful, ack)
        self.truth.acks.extend(acks)

    def _thank(self, question: Post, replies: list[Post], helpful: Post, ack: Ack) -> list[Ack]:
        """Thanks in words: plain, naming the helper, or to everyone who replied."""
        rng, asker = self.rng, question.author
        helpers = list(dict.fromkeys(r.author for r in replies))
        everyone = len(helpers) > 1 and rng.random() < 0.25
        # Thanks for an earlier reply than the latest names its helper, as people do.
        named = not everyone and (helpful.author != replies[-1].author or rng.random() < 0.3)
        late = rng.random() < 0.03
        at = max(r.at for r in replies) + (
            timedelta(hours=rng.uniform(25, 60)) if late else _minutes(rng, 12)
        )
        text = _talk.thanks(rng, helpful.author.name if named else None, everyone)
        thanks = self._say(
            asker, question, at, text, answers=helpful, mentions=[helpful.author] if named else [],
            addressed=not named and not everyone and rng.random() < 0.4, inline=rng.random() < 0.5,
        )  # fmt: skip
        if late:
            self.truth.decoys["thanks after the 24 h window"] += 1
        ack.signals.append(Signal.THANKS)
        ack.late = late
        if not everyone:
            return [ack]
        latest = {r.author: r for r in replies}
        others = [
            Ack(question, r, r.author, [Signal.THANKS], late)
            for r in latest.values()
            if r.author != ack.helper
        ]
        thanks.answers = None
        return [ack, *others]

    def _decoys(self, question: Post, replies: list[Post]) -> None:
        """No acknowledgement, but words that look like one (a fifth of the time)."""
        rng, asker, last = self.rng, question.author, replies[-1]
        roll = rng.random()
        if roll < 0.06 and (other := self.anyone.around(rng, last.at, asker, last.author)):
            self._say(other.person, question, last.at + _minutes(rng, 30), rng.choice(_talk.BYSTANDER_THANKS))
            self.truth.decoys["a bystander's thanks"] += 1
        elif roll < 0.10:
            offer, refusal = _talk.NO_THANKS_OFFERS[0]
            ask = self._reply(last.author, question, last, last.at + _minutes(rng, 5), offer)
            self._say(asker, question, ask.at + _minutes(rng, 10), refusal, answers=ask, inline=True)
            self.truth.decoys['"no thanks"'] += 1
        elif roll < 0.13 and (
            stranger := self.anyone.around(rng, last.at, asker, *[r.author for r in replies])
        ):
            text = f"thanks @{stranger.person.name} for the pointer earlier!"
            self._say(asker, question, last.at + _minutes(rng, 20), text, mentions=[stranger.person])
            self.truth.decoys["thanks to someone who did not reply"] += 1
        elif roll < 0.17:
            self._say(asker, question, last.at + _minutes(rng, 60), _talk.GAVE_UP[0])
            self.truth.decoys['"thanks anyway"'] += 1
