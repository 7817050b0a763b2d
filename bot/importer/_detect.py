"""Telling what a path holds before importing it, and refusing what cannot be imported.

Each file is recognised by its content, not its name: a DiscordChatExporter JSON by its
``guild``/``channel`` header, a CSV by its ``Author``/``Date``/``Content`` header line (``,`` or
``;``, after any ``#`` comment lines), a Slack export by ``users.json``/``org_users.json``/
``channels.json`` and its ``<conversation>/<YYYY-MM-DD>.json`` files. A path of the other kind, a
Discord data package, HTML/TXT exports, an archive inside a folder or nothing importable at all is
refused in one line that says what was found and what to do.
"""

from collections.abc import Iterator
from typing import Any

from bot.importer import _dce_csv, _dce_json
from bot.importer._discord import DiscordExport
from bot.importer._slack import DAY_FILE, SlackExport, export_prefix
from bot.importer._source import ExportFiles, ExportNotFoundError, Skipped, decode_text

SLACK_HOW = "export the workspace from Slack's admin settings, then pass the folder or .zip"
DCE_HOW = "export the server's channels with DiscordChatExporter as JSON (or CSV), then pass the folder"
HEAD = 16_384


def open_reader(source: str, files: ExportFiles, skipped: Skipped) -> SlackExport | DiscordExport:
    """The reader for ``source`` over ``files``, or :class:`ExportNotFoundError` saying why not."""
    where = files.root
    if where.suffix.lower() == ".zip" and not files.is_zip:
        raise ExportNotFoundError(f"{where} is not a readable .zip archive (is the download complete?)")
    if source == "slack":
        return _slack(files, skipped)
    if source == "discord":
        return _discord(files, skipped)
    raise ValueError(f"unknown export source {source!r}: use slack or discord")


def _slack(files: ExportFiles, skipped: Skipped) -> SlackExport:
    where = files.root
    if export_prefix(files.names) is None:
        if _dce_files(files):
            raise ExportNotFoundError(
                f"{where} is a DiscordChatExporter export, not a Slack export: "
                f"import it with `ladder import discord {where}`"
            )
        _refuse_other_shapes(files)
        raise ExportNotFoundError(
            f"{where} is not a Slack export: it has no users.json or channels.json ({SLACK_HOW})"
        )
    reader = SlackExport(files, skipped)
    if not reader.order:
        raise ExportNotFoundError(
            f"{where} is a Slack export with no messages: no <channel>/<YYYY-MM-DD>.json files"
        )
    return reader


def _discord(files: ExportFiles, skipped: Skipped) -> DiscordExport:
    where = files.root
    if export_prefix(files.names) is not None:
        raise ExportNotFoundError(
            f"{where} is a Slack export, not a DiscordChatExporter export: "
            f"import it with `ladder import slack {where}`"
        )
    heads: dict[str, dict[str, Any]] = {}
    layouts: dict[str, _dce_csv.CsvLayout] = {}
    strangers: list[str] = []
    pages = 0
    for name, kind, found in _sniffed(files):
        if kind == "json" and isinstance(found, dict):
            heads[name] = found
        elif kind == "csv" and isinstance(found, _dce_csv.CsvLayout):
            layouts[name] = found
        elif kind == "page":
            pages += 1
        elif kind == "other":
            strangers.append(name)
    if not heads and not layouts:
        _refuse_other_shapes(files)
        if pages:
            raise ExportNotFoundError(
                f"{where} holds only DiscordChatExporter HTML/TXT exports, which keep no member "
                "ids: export the channels again as JSON (or CSV)"
            )
        if strangers:
            raise ExportNotFoundError(
                f"{where} holds no DiscordChatExporter export: {len(strangers):,} .json/.csv "
                f"file(s), none with DiscordChatExporter's header (first: {strangers[0]}); {DCE_HOW}"
            )
        raise ExportNotFoundError(
            f"{where} holds no DiscordChatExporter export: no .json or .csv channel files ({DCE_HOW})"
        )
    skipped.add("HTML/TXT exports (they keep no member ids)", pages)
    for name in strangers:
        skipped.bad_files.append((name, "not a DiscordChatExporter export (no guild/channel header)"))
    reader = DiscordExport(files, skipped, heads, layouts)
    if not reader.order:
        raise ExportNotFoundError(
            f"{where} holds only direct-message exports, not a server's channels: {DCE_HOW}"
        )
    return reader


def _sniffed(files: ExportFiles) -> Iterator[tuple[str, str, object]]:
    """Each candidate file of a Discord import with what its first bytes say it is."""
    for name in files.names:
        if _in_assets(name):
            continue
        lower = name.lower()
        if lower.endswith(".json"):
            text = decode_text(files.head(name, HEAD))
            head = _dce_json.header(text)
            if head is None and '"messages"' not in text:
                head = _dce_json.header(decode_text(files.head(name, 1_048_576)))
            yield (name, "json", head) if head is not None else (name, "other", None)
        elif lower.endswith(".csv"):
            shape = _dce_csv.layout(decode_text(files.head(name, HEAD)))
            yield (name, "csv", shape) if shape is not None else (name, "other", None)
        elif lower.endswith((".html", ".htm", ".txt")) and _is_dce_page(files.head(name, 4096)):
            yield name, "page", None


def _in_assets(name: str) -> bool:
    """A file DiscordChatExporter downloaded beside an export (``<export>_Files/…``)."""
    return any(part.endswith("_Files") for part in name.split("/")[:-1])


def _is_dce_page(head: bytes) -> bool:
    """A DiscordChatExporter HTML or plain-text export."""
    return b"chatlog" in head or (b"Guild:" in head and b"Channel:" in head)


def _dce_files(files: ExportFiles) -> bool:
    """Whether any file is a DiscordChatExporter JSON or CSV (stops at the first)."""
    return any(kind in ("json", "csv") and found is not None for _, kind, found in _sniffed(files))


def _refuse_other_shapes(files: ExportFiles) -> None:
    """Refuse a Discord data package or a folder holding an archive, with what to do instead."""
    where = files.root
    lowered = [n.lower() for n in files.names]
    if any(n.endswith("messages/index.json") for n in lowered):
        raise ExportNotFoundError(
            f"{where} is Discord's own data package, which holds only your own messages: {DCE_HOW}"
        )
    archives = [n for n in files.names if n.lower().endswith(".zip")]
    if archives and not files.is_zip:
        raise ExportNotFoundError(f"{where} holds an archive ({archives[0]}): pass the .zip itself")
    if any(DAY_FILE.search(n) for n in files.names):
        raise ExportNotFoundError(
            f"{where} looks like part of a Slack export (day files without users.json or "
            "channels.json): pass the whole export folder or .zip"
        )
