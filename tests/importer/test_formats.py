"""Every generated export format and era imports end to end with the figures its files hold."""

from pathlib import Path

import pytest
from exportgen import FORMATS, write, zip_folder
from sqlalchemy import func
from sqlmodel import select

from bot.importer import import_history
from bot.runtime import Runtime
from models import ActiveDay, Answer, Contribution, Member, ProcessedEvent, Question


def _source(name: str) -> str:
    return "slack" if name.startswith("slack") else "discord"


@pytest.mark.parametrize("name", sorted(FORMATS))
async def test_each_format_imports_what_its_files_hold(runtime: Runtime, tmp_path: Path, name: str) -> None:
    """Members, events, bots and system notices reported match the generated export, questions
    are found and answered, and nothing is reported malformed."""
    manifest = write(name, tmp_path / name)
    [summary] = await import_history(runtime, _source(name), tmp_path / name)
    assert summary.skipped.bad_files == []
    assert summary.files == manifest.files
    assert summary.events == manifest.events
    assert summary.members == len(manifest.members)
    assert summary.skipped.reasons["bot messages"] == manifest.bots
    system = sum(n for reason, n in summary.skipped.reasons.items() if reason.startswith("system messages"))
    assert system == manifest.system
    assert 0 < summary.answered < summary.questions
    async with runtime.sessions() as session:
        names = (await session.exec(select(Member.external_id))).all()
    assert set(names) == manifest.members


@pytest.mark.parametrize("name", ["dce-csv-semicolon", "dce-json-new", "slack-modern"])
async def test_reimporting_a_format_records_nothing_new(runtime: Runtime, tmp_path: Path, name: str) -> None:
    """An export imported twice (here the second time as a .zip) records each event once: the
    second import reads nothing new and leaves every table as the first left it."""
    write(name, tmp_path / name)
    [first] = await import_history(runtime, _source(name), tmp_path / name)
    before = await _rows(runtime)
    archive = zip_folder(tmp_path / name, tmp_path / f"{name}.zip", top=False)
    [again] = await import_history(runtime, _source(name), archive)
    assert first.new_events == first.events > 0
    assert again.new_events == 0 and again.events == 0
    assert await _rows(runtime) == before


async def _rows(runtime: Runtime) -> dict[str, int]:
    """How many rows each table an import writes holds."""
    async with runtime.sessions() as session:
        return {
            table.__name__: (await session.exec(select(func.count()).select_from(table))).one()
            for table in (Member, Question, Answer, Contribution, ActiveDay, ProcessedEvent)
        }
