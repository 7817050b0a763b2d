"""What every export reader produces: files decoded into neutral events, and what was skipped."""

import dataclasses
import hashlib
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from handlers.kernel import Event
from handlers.routing import Conversations, Spoken
from models.imports import NAME_LENGTH

# Files an archiver or a desktop adds beside an export; they are nobody's history.
_JUNK_DIRS = ("__MACOSX/",)
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


class ExportNotFoundError(ValueError):
    """The path holds nothing of the kind asked for; the message says why in one line."""


class UnreadableExportError(ExportNotFoundError):
    """Every file of the export failed to decode: nothing could be imported."""


class FileMark(NamedTuple):
    """What identifies an imported export file (an :class:`~models.ImportedFile` row)."""

    source: str
    digest: str
    name: str


@dataclass(slots=True)
class Unit:
    """One export file decoded: its events, the keys of its questions, its resume marker."""

    name: str
    marker: FileMark
    events: list[Event] = field(default_factory=list)
    questions: set[str] = field(default_factory=set)


@dataclass
class Skipped:
    """What was left out and why; malformed files are named by path."""

    reasons: Counter[str] = field(default_factory=Counter)
    bad_files: list[tuple[str, str]] = field(default_factory=list)
    resumed_files: int = 0

    def add(self, reason: str, count: int = 1) -> None:
        """Count ``count`` items skipped for ``reason``."""
        if count:
            self.reasons[reason] += count

    def problems(self) -> list[str]:
        """One line per malformed file, for the error stream (the summary only counts them)."""
        return [f"skipped malformed file {path}: {why}" for path, why in self.bad_files]


def is_junk(name: str) -> bool:
    """A file an archiver or an operating system added (``__MACOSX/``, ``._x``, ``.DS_Store``)."""
    base = name.rsplit("/", 1)[-1]
    return name.startswith(_JUNK_DIRS) or base.startswith("._") or base in _JUNK_NAMES


class ExportFiles:
    """The files of an export folder, .zip or single file, by relative POSIX path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._zip = zipfile.ZipFile(root) if root.is_file() and zipfile.is_zipfile(root) else None
        if self._zip is not None:
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
        elif root.is_dir():
            names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        else:
            names = [root.name]
        self.names = sorted(n for n in names if not is_junk(n))

    @property
    def is_zip(self) -> bool:
        """Whether the export is a .zip archive."""
        return self._zip is not None

    def read(self, name: str) -> bytes:
        """The bytes of one file of the export."""
        if self._zip is not None:
            return self._zip.read(name)
        if self.root.is_dir():
            return (self.root / PurePosixPath(name)).read_bytes()
        return self.root.read_bytes()

    def head(self, name: str, size: int = 65536) -> bytes:
        """The first ``size`` bytes of one file (enough to tell what it is)."""
        if self._zip is not None:
            with self._zip.open(name) as member:
                return member.read(size)
        path = self.root / PurePosixPath(name) if self.root.is_dir() else self.root
        with path.open("rb") as handle:
            return handle.read(size)

    def close(self) -> None:
        """Release the archive, if any."""
        if self._zip is not None:
            self._zip.close()


DECODE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, UnicodeError)


class Recogniser:
    """Questions and the answers outside threads, among an export's root messages in time order.

    Every reader hands its root messages here, so one recogniser decides for every format.
    """

    def __init__(self) -> None:
        self.conversations = Conversations()

    def place(self, unit: Unit, event: Event, *, starts_thread: bool = False) -> Event:
        """Record whether a root message asks, and name the question it answers (if any);
        ``starts_thread`` says the export shows replies in a thread under it."""
        if event.thread_id is not None:
            return event
        spoken = Spoken(
            event.message_id or event.key,
            event.actor.external_id,
            event.at,
            event.text,
            event.mentions,
            event.reply_to,
            starts_thread,
        )
        asked, answers = self.conversations.root(event.channel_id or "", spoken)
        if asked:
            unit.questions.add(event.key)
        return event if answers is None else dataclasses.replace(event, thread_id=answers)


def decoded_units(
    files: ExportFiles,
    names: Iterable[str],
    source: str,
    done: Collection[FileMark],
    skipped: Skipped,
    decode: Callable[[Unit, bytes], None],
) -> Iterator[Unit]:
    """Each file not imported before (``done`` holds resume markers), decoded by ``decode``.

    A file that fails to decode is named in ``skipped`` with the reason and passed over; the rest
    of the import goes on. When every file failed, :class:`UnreadableExportError` says so, since
    an import that read nothing must not look like a success.
    """
    read = failed = 0
    for name in names:
        data = files.read(name)
        unit = Unit(name, marker(source, name, data))
        if unit.marker in done:
            skipped.resumed_files += 1
            continue
        try:
            decode(unit, data)
        except DECODE_ERRORS as error:
            failed += 1
            skipped.bad_files.append((name, bad_file_reason(error)))
            continue
        read += 1
        yield unit
    if failed and not read and not skipped.resumed_files:
        first, why = skipped.bad_files[-failed]
        plural = "file is" if failed == 1 else f"{failed:,} files are"
        raise UnreadableExportError(
            f"{files.root}: nothing imported, every {plural} malformed (first: {first}: {why})"
        )


def bad_file_reason(error: Exception) -> str:
    """Why a file was skipped, in one short line."""
    return f"{type(error).__name__}: {error}"[:300]


def marker(source: str, name: str, data: bytes) -> FileMark:
    """The resume marker of a file: its export format, a digest of its bytes and its path."""
    digest = hashlib.blake2b(data, digest_size=10).hexdigest()
    return FileMark(source, digest, name[:NAME_LENGTH])


def decode_text(data: bytes) -> str:
    """An export file's text: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252.

    Spreadsheet programs re-save CSV exports in their own encoding; a manager who opened the
    export in one should not lose it.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
