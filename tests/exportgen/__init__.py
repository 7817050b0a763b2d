"""Generated exports of every format and era the importer reads, messy the way real ones are.

``write(format, out)`` writes one export and returns its :class:`Manifest` (what an import
should report, and the ground truth of what happened); ``python -m tests.exportgen <format>
<out>`` does the same from a shell and prints the figures.

**The population model.** A generated community is simulated, not sampled uniformly, so an
import of it has the shape a real one has. Its calibration is a real five-year open-source
Slack workspace: 563 members, 706 threads answered by someone other than the asker; the ten
members who helped most answered 22 to 195 threads each; most members only chat or ask once or
twice; askers reacted to a reply (👍, 🙌, ❤️, 🙏, 🎉) in 38% of answered threads, thanked in
words in 31% (55% one or the other) and used ✅ in 2%. So (``members=563, years=5`` reproduces
it; see ``python -m tests.exportgen --help``):

- members (:mod:`._population`) are lurkers (36%), drive-by askers who join, ask once or twice
  and leave (26%), chatters (18%), regulars (18%) and a core of about 2% who stay for years;
  helpfulness is Zipf-distributed over those who help (rank ``r`` weighs ``r ** -1.05``), and
  chattiness and curiosity are heavy-tailed too;
- about 0.32 questions per member-year; one in five gets no answer (some bumped, some solved by
  the asker alone); the others get one to three helpers who are around at the time, with
  log-normal delays (minutes, sometimes hours or days) and now and then a follow-up exchange
  (:mod:`._conversation`);
- the asker's signals on the reply that helped come at the calibration's rates, and around them
  the decoys a rulebook must not count: thanks in advance, a bystander's thanks, "thanks, but it
  still doesn't work", "no thanks", thanks to someone who did not reply, "thanks anyway", thanks
  a day late, a bot's "Thanks for your question!", thanks inside a code block;
- chatter (about ``chatter`` messages per question) in the social channels, with mentions and
  reactions (bots' too), introductions, joins, bot announcements, edits, pinned notices.

One script renders as every format. How each shows a conversation is the format's era: Slack
2016 has no threads (a reply is a channel message, naming the asker half the time); later Slack
has threads (a few replies still land in the channel); DiscordChatExporter's new JSON has inline
replies, threads and forum posts and names every reactor; its old JSON and every CSV keep no
reply links and no reactor ids (:data:`KEEPS_REACTORS`). The script's :class:`Truth` says who
helped which question and how each asker acknowledged it, so tests compare an import's summary
with what really happened, and state what a format cannot show.
"""

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from handlers.routing import CONVERSATION_WINDOW as WINDOW

from . import _csv, _discord, _slack
from ._community import generate
from ._manifest import Manifest
from ._script import Post, Script
from ._truth import Ack, Signal, Truth

__all__ = [
    "FORMATS",
    "KEEPS_REACTORS",
    "Manifest",
    "Script",
    "Signal",
    "Truth",
    "generate",
    "reactions_count",
    "write",
    "zip_folder",
]


def _csv_format(layout: str, dates: str, bom: bool = False) -> Callable[[Script, Path], Manifest]:
    return lambda script, out: _csv.write(script, out, layout, dates, bom=bom)


FORMATS: dict[str, Callable[[Script, Path], Manifest]] = {
    "slack-2016": lambda script, out: _slack.write(script, out, "2016"),
    "slack-2018": lambda script, out: _slack.write(script, out, "2018"),
    "slack-modern": lambda script, out: _slack.write(script, out, "modern"),
    "slack-grid": lambda script, out: _slack.write(script, out, "grid"),
    "dce-json-old": lambda script, out: _discord.write(script, out, "old"),
    "dce-json-new": lambda script, out: _discord.write(script, out, "new"),
    "dce-csv-2018": _csv_format("csvhelper", "dmy12"),
    "dce-csv-template": _csv_format("template", "dmy12"),
    "dce-csv-semicolon": _csv_format("semicolon", "dmy12", bom=True),
    "dce-csv-modern": _csv_format("modern", "en-US"),
    "dce-csv-iso": _csv_format("modern", "iso", bom=True),
    "dce-csv-de": _csv_format("semicolon", "de-DE"),
    "dce-csv-gb": _csv_format("modern", "en-GB"),
    "dce-csv-ja": _csv_format("modern", "ja-JP"),
    "dce-csv-utck": _csv_format("modern", "utck"),
    "dce-csv-unix": _csv_format("modern", "unix"),
}


# Formats that name who reacted (CSV names nobody; old DiscordChatExporter JSON only counts).
KEEPS_REACTORS = frozenset(name for name in FORMATS if name.startswith("slack") or name == "dce-json-new")


def linked(name: str, reply: Post) -> bool:
    """Whether the format shows a reply linked to its question (a thread, Discord's reply)."""
    if name.startswith("slack"):
        return name != "slack-2016" and not reply.in_channel
    return name == "dce-json-new" and _discord.linked(reply)


def reactions_count(name: str) -> Callable[[Ack], bool]:
    """Whether the asker's reaction on an acknowledged reply can be counted from this format:
    it names who reacted, and the reply is linked to its question or comes within the two hours
    a reaction reaches without threads (``handlers.routing.CONVERSATION_WINDOW``)."""

    def counts(ack: Ack) -> bool:
        if name not in KEEPS_REACTORS:
            return False
        return linked(name, ack.reply) or ack.reply.at - ack.question.at <= WINDOW

    return counts


def write(
    name: str,
    out: Path,
    *,
    conversations: int | None = 40,
    members: int = 12,
    years: float = 0.25,
    channels: int = 3,
    chatter: float = 3.0,
    seed: int = 7,
) -> Manifest:
    """Write the export ``name`` (a key of :data:`FORMATS`) under ``out``.

    The defaults make a small, quick export (a dozen members, 40 questions in three months);
    ``members=563, years=5, conversations=None`` is the calibration's community.
    """
    script = generate(
        conversations, members=members, years=years, channels=channels, chatter=chatter, seed=seed
    )
    manifest = FORMATS[name](script, out)
    manifest.truth = script.truth
    return manifest


def zip_folder(folder: Path, archive: Path, *, top: bool = True) -> Path:
    """Zip an export, inside a top folder (as Slack's download) or at the archive's root."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                inner = path.relative_to(folder.parent if top else folder).as_posix()
                bundle.write(path, inner)
    shutil.rmtree(folder)
    return archive
