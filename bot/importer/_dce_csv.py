"""DiscordChatExporter's CSV layouts, from the first versions to today.

The exporter has written CSV four ways: ``#``-comment lines (guild, channel, topic) then
``Author,Date,Content,Attachments`` in the culture's list separator (``,`` or ``;``); a template
``Author;Date;Content;Attachments;`` with a trailing separator; ``AuthorID;Author;Date;Content;
Attachments;Reactions;`` with every field quoted; and today's ``AuthorID,Author,Date,Content,
Attachments,Reactions``. Any of them may carry a byte-order mark, CRLF line ends and quoted
multi-line content. CSV keeps no message ids, no reply links and no reactor ids.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

REQUIRED = frozenset({"Author", "Date", "Content"})


@dataclass(slots=True)
class CsvLayout:
    """Where the table starts, its separator, and what the comment lines before it said."""

    delimiter: str
    start: int
    comments: dict[str, str] = field(default_factory=dict)


def layout(text: str) -> CsvLayout | None:
    """The layout of a DiscordChatExporter CSV, or None when the text is not one."""
    position, comments = 0, {}
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line = text[position:end].strip().lstrip("\ufeff")
        if line.startswith("#"):
            name, _, value = line[1:].partition(":")
            comments[name.strip().casefold()] = value.strip()
        elif line:
            for delimiter in (",", ";"):
                fields = {f.strip().strip('"') for f in line.split(delimiter)}
                if fields >= REQUIRED:
                    return CsvLayout(delimiter, position, comments)
            return None
        position = end + 1
    return None


def rows(text: str, shape: CsvLayout) -> Iterator[dict[str, str]]:
    """Each row of the table as ``{column: value}`` (a trailing separator's empty column dropped)."""
    reader = csv.reader(io.StringIO(text[shape.start :], newline=""), delimiter=shape.delimiter)
    names = [n.strip().lstrip("\ufeff") for n in next(reader)]
    for values in reader:
        if not values or values == [""]:
            continue
        yield {name: value for name, value in zip(names, values, strict=False) if name}
