"""What really happened in a generated community, for tests to compare an import's summary with.

The generator records, as it writes each conversation, who helped which question and how the
asker acknowledged the reply that helped (an explicit mark, a positive reaction, thanks in
words: the signals of DESIGN.md's "How Ladder knows an answer helped"). A format may lose some
of it (CSV and old DiscordChatExporter JSON keep no reactor ids); :meth:`Truth.expected` says
what an import of such a format can honestly count (``tests.exportgen.reactions_count``).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ._population import Person

if TYPE_CHECKING:
    from ._script import Post


class Signal(StrEnum):
    """How an asker said a reply helped (the summary's names)."""

    EXPLICIT = "explicit"
    REACTION = "reaction"
    THANKS = "thanks"


REACTION_SIGNALS = (Signal.EXPLICIT, Signal.REACTION)


@dataclass
class Ack:
    """An asker's acknowledgement of one helper's reply, with every signal they gave, in order.

    ``late`` marks thanks written after the thanks window (24 h): DESIGN.md does not count them.
    """

    question: "Post"
    reply: "Post"
    helper: Person
    signals: list[Signal] = field(default_factory=list)
    late: bool = False

    def first(self, reactions_count: bool) -> Signal | None:
        """The signal an import reads first, or None when none of them can be counted
        (``reactions_count`` says whether this reply's reactions can).

        Exports keep no time for reactions, so a reaction counts at its reply's time: before
        any thanks.
        """
        kept = [
            s
            for s in self.signals
            if (reactions_count or s not in REACTION_SIGNALS) and not (s is Signal.THANKS and self.late)
        ]
        reactions = [s for s in kept if s in REACTION_SIGNALS]
        first = reactions or kept
        return first[0] if first else None


@dataclass
class Truth:
    """Questions, who helped them, and the askers' acknowledgements."""

    questions: int = 0
    answered: int = 0
    helped: Counter[Person] = field(default_factory=Counter)
    acks: list[Ack] = field(default_factory=list)
    decoys: Counter[str] = field(default_factory=Counter)

    def top_helpers(self, count: int) -> list[tuple[Person, int]]:
        """The members who helped the most questions, most first."""
        return self.helped.most_common(count)

    def acknowledged(self) -> Counter[Person]:
        """Acknowledged answers per helper, whatever the format keeps."""
        return Counter(ack.helper for ack in self.acks)

    def expected(self, reactions_count: Callable[[Ack], bool]) -> Counter[Signal]:
        """Acknowledged answers an import can count, by the signal it reads first."""
        return Counter(s for ack in self.acks if (s := ack.first(reactions_count(ack))) is not None)

    def visible_acks(self, reactions_count: Callable[[Ack], bool]) -> Counter[Person]:
        """Acknowledged answers per helper that an import can count."""
        return Counter(ack.helper for ack in self.acks if ack.first(reactions_count(ack)) is not None)

    def rates(self) -> dict[str, float]:
        """Share of answered questions acknowledged by each signal (the calibration's figures)."""
        by_question: dict[int, set[Signal]] = {}
        for ack in self.acks:
            by_question.setdefault(id(ack.question), set()).update(ack.signals)
        answered = max(self.answered, 1)
        kinds = list(by_question.values())
        return {
            "reaction": sum(Signal.REACTION in k for k in kinds) / answered,
            "thanks": sum(Signal.THANKS in k for k in kinds) / answered,
            "either": sum(bool(k & {Signal.REACTION, Signal.THANKS}) for k in kinds) / answered,
            "explicit": sum(Signal.EXPLICIT in k for k in kinds) / answered,
        }
