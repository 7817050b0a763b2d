"""Running an export reader without a database: the events it hands the core, and what it skipped."""

from pathlib import Path

from bot.importer._detect import open_reader
from bot.importer._source import ExportFiles, Skipped
from handlers.kernel import Event, EventKind


def read(source: str, path: Path) -> tuple[list[Event], set[str], Skipped]:
    """Every event a reader decodes from ``path``, the keys of its questions, and its skips."""
    files, skipped = ExportFiles(path), Skipped()
    try:
        reader = open_reader(source, files, skipped)
        events: list[Event] = []
        questions: set[str] = set()
        for unit in reader.units(set()):
            events.extend(unit.events)
            questions |= unit.questions
        return events, questions, skipped
    finally:
        files.close()


def of_kind(events: list[Event], kind: EventKind) -> list[Event]:
    """The events of one kind, in order."""
    return [e for e in events if e.kind is kind]
