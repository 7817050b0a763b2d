"""Generated exports of every format and era the importer reads, messy the way real ones are.

``write(format, out)`` writes one export and returns its :class:`Manifest` (what an import
should report); ``python -m tests.exportgen <format> <out>`` does the same from a shell.
"""

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import _csv, _discord, _slack
from ._manifest import Manifest
from ._script import Script, generate

__all__ = ["FORMATS", "Manifest", "Script", "generate", "write", "zip_folder"]


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


def write(
    name: str,
    out: Path,
    *,
    conversations: int = 40,
    members: int = 12,
    channels: int = 3,
    chatter: int = 3,
    seed: int = 7,
) -> Manifest:
    """Write the export ``name`` (a key of :data:`FORMATS`) under ``out``."""
    script = generate(conversations, members=members, channels=channels, chatter=chatter, seed=seed)
    return FORMATS[name](script, out)


def zip_folder(folder: Path, archive: Path, *, top: bool = True) -> Path:
    """Zip an export, inside a top folder (as Slack's download) or at the archive's root."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                inner = path.relative_to(folder.parent if top else folder).as_posix()
                bundle.write(path, inner)
    shutil.rmtree(folder)
    return archive
