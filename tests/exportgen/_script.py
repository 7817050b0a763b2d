"""A community's history as a neutral script: people, channels and what they said, in time order.

The format writers render one script as any export. :func:`generate` simulates a community from
its population (:mod:`._population`): members join (and many only lurk), introduce themselves,
chat, ask; helpers answer in threads or in the channel; askers acknowledge as real ones do
(:mod:`._conversation`); bots post, messages get edited, notices get pinned. The script carries
the ground truth (:mod:`._truth`) the tests compare an import with.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._population import Person
from ._truth import Truth

__all__ = ["Person", "Post", "Script", "Timeline"]


@dataclass(eq=False)
class Post:
    """One thing that happened in a channel.

    ``root`` is the question a post belongs to and ``answers`` the post it responds to (the
    truth, whatever a format keeps of it). How a platform shows the link is the post's habit:
    ``addressed`` (names whom it answers with ``@name`` where there is no thread or reply link),
    ``inline`` (uses Discord's reply), ``in_channel`` (posted in the channel although the
    platform has threads).
    """

    author: Person
    at: datetime
    channel: str
    text: str = ""
    kind: str = "message"  # message | join | system | bot
    root: "Post | None" = None
    answers: "Post | None" = None
    mentions: list[Person] = field(default_factory=list)
    reactions: dict[str, list[Person]] = field(default_factory=dict)
    edited_at: datetime | None = None
    addressed: bool = False
    inline: bool = False
    in_channel: bool = False
    number: int = 0

    @property
    def thread_of(self) -> int | None:
        """The number of the question this post belongs to, if any."""
        return self.root.number if self.root is not None else None

    @property
    def reply_to(self) -> int | None:
        """The number of the post this one responds to, if any."""
        return self.answers.number if self.answers is not None else None

    def addressee(self) -> Person | None:
        """Whom the post names with ``@`` where its platform shows no thread or reply link."""
        if not self.addressed:
            return None
        target = self.answers or self.root
        return target.author if target is not None and target.author != self.author else None


@dataclass
class Script:
    """Everyone, every channel and every post of a generated community, and what it meant."""

    people: list[Person]
    channels: list[str]
    posts: list[Post]
    truth: Truth = field(default_factory=Truth)

    def by_number(self) -> dict[int, Post]:
        """Posts by number, to follow replies and threads."""
        return {p.number: p for p in self.posts}


class Timeline:
    """Collects posts out of order (a conversation runs ahead of the chatter around it)."""

    def __init__(self, rng: random.Random, start: datetime, end: datetime) -> None:
        self.rng, self.start, self.end, self.posts = rng, start, end, list[Post]()

    def post(self, author: Person, at: datetime, channel: str, text: str = "", **kwargs: Any) -> Post:
        """Add a post (kept before the export's end)."""
        made = Post(author, min(at, self.end), channel, text, **kwargs)
        self.posts.append(made)
        return made

    def script(self, people: list[Person], channels: list[str], truth: Truth) -> Script:
        """Sort the posts in time and number them (platform ids follow from the numbers)."""
        self.posts.sort(key=lambda p: p.at)
        for number, post in enumerate(self.posts, start=1):
            post.number = number
        return Script(people, channels, self.posts, truth)
