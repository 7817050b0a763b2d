"""What every export reader produces: files decoded into neutral events, and what was skipped."""

import hashlib
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from handlers.types import Event


@dataclass(slots=True)
class Unit:
    """One export file decoded: its events, the keys of its questions, its resume marker."""

    name: str
    marker: str
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


class ExportFiles:
    """The files of an export folder or .zip, by relative POSIX path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._zip = zipfile.ZipFile(root) if root.is_file() and zipfile.is_zipfile(root) else None
        if self._zip is not None:
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
        elif root.is_dir():
            names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        else:
            names = [root.name]
        self.names = sorted(names)

    def read(self, name: str) -> bytes:
        """The bytes of one file of the export."""
        if self._zip is not None:
            return self._zip.read(name)
        if self.root.is_dir():
            return (self.root / PurePosixPath(name)).read_bytes()
        return self.root.read_bytes()

    def close(self) -> None:
        """Release the archive, if any."""
        if self._zip is not None:
            self._zip.close()


DECODE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


def decoded_units(
    files: ExportFiles,
    names: Iterable[str],
    source: str,
    done: Collection[str],
    skipped: Skipped,
    decode: Callable[[Unit, bytes], None],
) -> Iterator[Unit]:
    """Each file not imported before (``done`` holds resume markers), decoded by ``decode``.

    A file that fails to decode is named in ``skipped`` with the reason and passed over; the rest
    of the import goes on.
    """
    for name in names:
        data = files.read(name)
        unit = Unit(name, marker(source, name, data))
        if unit.marker in done:
            skipped.resumed_files += 1
            continue
        try:
            decode(unit, data)
        except DECODE_ERRORS as error:
            skipped.bad_files.append((name, bad_file_reason(error)))
            continue
        yield unit


def bad_file_reason(error: Exception) -> str:
    """Why a file was skipped, in one short line."""
    return f"{type(error).__name__}: {error}"[:300]


def marker(source: str, name: str, data: bytes) -> str:
    """The resume marker of a file: its path and a digest of its bytes."""
    digest = hashlib.blake2b(data, digest_size=10).hexdigest()
    return f"import:{source}:{digest}:{name}"[:200]
