"""Finding an already-solved question that a new one repeats, before anyone is pinged.

Hand-written on purpose: TF-IDF cosine over Snowball-stemmed terms is a few dozen lines, needs
no model download (the machines have no hub access), and finds re-asked questions worded
differently ("run the tests" ≈ "running the test suite") at a fraction of a millisecond each.
"""

import heapq
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from models.questions import TEXT_LIMIT

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_MENTION = re.compile(r"<[^>]*>|@\S+")
STEM_CACHE = 50_000
"""Distinct words whose stems one :class:`Terms` remembers."""


class Terms:
    """Reads a text's stemmed content words: the stopword list and the Snowball stemmer, loaded
    once by whoever builds this (the composition root, for a service), with their own cache of
    stems; nothing is loaded at import nor shared process-wide."""

    def __init__(self) -> None:
        stopwords = Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8")
        self._stopwords = frozenset(stopwords.split())
        stemmer = snowballstemmer.stemmer("english")
        self._stem = lru_cache(maxsize=STEM_CACHE)(stemmer.stemWord)

    def of(self, text: str) -> list[str]:
        """The stemmed content words of a text, in order."""
        words = _WORD.findall(_MENTION.sub(" ", text.lower()))
        return [str(self._stem(w)) for w in words if w not in self._stopwords and len(w) > 1]

    def stored(self, text: str) -> str:
        """A question's terms as stored beside it (clipped to the column, like the text itself)."""
        return " ".join(self.of(text))[:TEXT_LIMIT]


def weight(frequency: int, documents: int) -> float:
    """How much a term counts: more the fewer of the ``documents`` hold it (``frequency``)."""
    return math.log((documents + 1) / (frequency + 1)) + 1.0


def ranked(
    query: Sequence[str],
    candidates: Sequence[tuple[int, Sequence[str]]],
    frequency: Mapping[str, int],
    documents: int,
    count: int = 1,
) -> list[tuple[int, float]]:
    """Return ``(candidate id, cosine score)`` of the ``count`` closest candidates, best first.

    ``frequency`` counts, per term, the documents that hold it among ``documents`` questions, so
    rare terms weigh more and a score means the same whichever candidates are scored.
    """
    if not query or not candidates:
        return []

    def vector(words: Sequence[str]) -> dict[str, float]:
        counts = Counter(words)
        return {t: (1 + math.log(n)) * weight(frequency.get(t, 0), documents) for t, n in counts.items()}

    q = vector(query)
    q_norm = math.sqrt(sum(v * v for v in q.values()))
    scored: list[tuple[int, float]] = []
    for candidate_id, doc in candidates:
        if not q.keys() & set(doc):
            continue
        d = vector(doc)
        dot = sum(q[t] * d[t] for t in q.keys() & d.keys())
        scored.append((candidate_id, dot / (q_norm * math.sqrt(sum(v * v for v in d.values())))))
    return heapq.nlargest(count, scored, key=lambda pair: pair[1])
