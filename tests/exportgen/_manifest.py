"""What a generated export holds, counted as it is written, so tests compare with what a user sees."""

from dataclasses import dataclass, field
from pathlib import Path

from ._truth import Truth


@dataclass
class Manifest:
    """The figures an import of this export should report."""

    root: Path
    files: int = 0
    messages: int = 0
    joins: int = 0
    bots: int = 0
    system: int = 0
    reactions: int = 0
    unnamed_reactions: int = 0
    private_messages: int = 0
    members: set[str] = field(default_factory=set)
    malformed: list[str] = field(default_factory=list)
    truth: Truth = field(default_factory=Truth)

    @property
    def events(self) -> int:
        """Events the readers should produce: messages, joins and named reactions."""
        return self.messages + self.joins + self.reactions
