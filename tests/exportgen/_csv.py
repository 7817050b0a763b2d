"""A script written as DiscordChatExporter CSV, in each layout and date style the exporter used.

Layouts: ``csvhelper`` (2018: ``#`` comments, ``Author,Date,Content,Attachments``), ``template``
(``Author;Date;Content;Attachments;``, unquoted, trailing ``;``), ``semicolon`` (2019:
``AuthorID;Author;Date;Content;Attachments;Reactions;``, every field quoted) and ``modern``
(``AuthorID,Author,Date,Content,Attachments,Reactions``). Date styles are the .NET formats the
exporter wrote. CSV flattens threads (a reply names the asker), writes system messages with
their fallback text and bots as webhooks (``#0000``).
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

from ._discord import EMOJI, GUILD, channel_of, member_id
from ._manifest import Manifest
from ._population import Person
from ._script import Script

LAYOUTS = ("csvhelper", "template", "semicolon", "modern")
DATE_STYLES = ("dmy12", "en-US", "en-GB", "de-DE", "ja-JP", "iso", "utck", "unix")
SYSTEM_TEXT = {"join": "Joined the server.", "system": "Pinned a message."}


def format_date(moment: datetime, style: str) -> str:
    """A date as DiscordChatExporter wrote it in ``style``."""
    local = moment.astimezone(timezone(timedelta(hours=-5))) if style in ("iso", "utck") else moment
    ampm = local.strftime("%p")
    h12 = str(int(local.strftime("%I")))
    return {
        "dmy12": local.strftime("%d-%b-%y %I:%M ") + ampm,
        "en-US": f"{local.month}/{local.day}/{local.year} {h12}:{local:%M} {ampm}",
        "en-GB": local.strftime("%d/%m/%Y %H:%M"),
        "de-DE": local.strftime("%d.%m.%Y %H:%M"),
        "ja-JP": f"{local:%Y/%m/%d} {local.hour}:{local:%M}",
        "iso": local.isoformat(timespec="milliseconds"),
        "utck": local.strftime("%d-%b-%y %I:%M %p (UTC%z)")[:-3] + ":00)",
        "unix": str(int(moment.timestamp())),
    }[style]


def _name(person: Person) -> str:
    return "GitHub#0000" if person.bot else f"{person.name}#{person.number:04d}"


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _loose(value: str) -> str:
    """The old template's quoting: only content with a separator is quoted; newlines become ', '."""
    value = value.replace("\n", ", ").replace('"', '""')
    return f'"{value}"' if "," in value or ";" in value else value


def write(
    script: Script, root: Path, layout: str = "modern", dates: str = "en-US", *, bom: bool = False
) -> Manifest:
    """Write one CSV per channel under ``root`` (CRLF line ends, as on Windows)."""
    manifest = Manifest(root)
    rows: dict[str, list[str]] = {c: [] for c in script.channels}
    for post in script.posts:
        text = SYSTEM_TEXT.get(post.kind, post.text)
        if (addressee := post.addressee()) is not None and addressee not in post.mentions:
            text = f"@{addressee.name} {text}"
        if post.kind == "bot":
            manifest.bots += 1
        elif post.kind == "system":
            manifest.system += 1
        elif post.kind == "join":
            manifest.joins += 1
        else:
            manifest.messages += 1
        if post.kind in ("message", "join"):
            manifest.members.add(
                member_id(post.author) if layout in ("semicolon", "modern") else f"name:{_name(post.author)}"
            )
        manifest.unnamed_reactions += sum(len(p) for p in post.reactions.values())
        reactions = ",".join(f"{EMOJI[n]} ({len(p)})" for n, p in post.reactions.items())
        date = format_date(post.at, dates)
        if layout == "modern":
            fields = [member_id(post.author), _name(post.author), date, text, "", reactions]
            line = ",".join(_quote(f) for f in fields)
        elif layout == "semicolon":
            fields = [member_id(post.author), _name(post.author), date, text, "", reactions]
            line = "".join(_quote(f) + ";" for f in fields)
        elif layout == "template":
            line = f"{_name(post.author)};{date};{_loose(text)};;"
        else:
            line = ",".join([_quote(_name(post.author)), date, _quote(text.replace("\n", ", ")), '""'])
        rows[post.channel].append(line)
    header = {
        "modern": "AuthorID,Author,Date,Content,Attachments,Reactions",
        "semicolon": "AuthorID;Author;Date;Content;Attachments;Reactions;",
        "template": "Author;Date;Content;Attachments;",
        "csvhelper": "Author,Date,Content,Attachments",
    }[layout]
    root.mkdir(parents=True, exist_ok=True)
    for channel, lines in rows.items():
        preamble = []
        if layout == "csvhelper":
            preamble = ["#https://github.com/Tyrrrz/DiscordChatExporter", f"#Guild: {GUILD['name']}",
                        f"#Channel: {channel}", "#Topic: ", f"#Messages: {len(lines)}"]  # fmt: skip
            name = f"{GUILD['name']} - {channel}.csv"
        else:
            name = f"{GUILD['name']} - Text - {channel} [{channel_of(channel)}].csv"
        body = "\r\n".join([*preamble, header, *lines]) + "\r\n"
        (root / name).write_bytes(("\ufeff" if bom else "").encode() + body.encode("utf-8"))
        manifest.files += 1
    return manifest
