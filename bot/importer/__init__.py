"""``ladder import slack|discord <path>``: a community's history, so levels reflect it on day one.

Readers turn an export into neutral events file by file (:mod:`._slack`, :mod:`._discord`),
:mod:`handlers.conversations` recognises questions and answers, :mod:`._replay` writes them
through the core's write path in large resumable batches and places every member from their
history (:mod:`handlers.placement`), and :mod:`._summary` reports the outcome.
"""

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.importer._detect import open_reader
from bot.importer._dry_run import scratch_database
from bot.importer._replay import BATCH, Batch, Replay
from bot.importer._source import ExportFiles, ExportNotFoundError, Skipped, UnreadableExportError
from bot.importer._summary import Summary, render, summarise
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings

__all__ = ["ExportNotFoundError", "Summary", "UnreadableExportError", "import_history", "run_import"]

log = logging.getLogger(__name__)


async def run_import(settings: Settings, source: str, path: Path, *, dry_run: bool = False) -> None:
    """Import an export into the configured database: the summary goes to standard output, the
    progress bar and the malformed files to standard error.

    ``dry_run`` imports into a throw-away database instead (a copy of the configured SQLite file
    when there is one) and prints the same summary: the configured database is not touched, and
    no file is created where it would live.
    """
    progress, out = Console(stderr=True, soft_wrap=True), Console(soft_wrap=True)
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="ladder-dry-run-") as folder:
            url, note = scratch_database(settings, Path(folder))
            async with open_runtime(settings.model_copy(update={"database_url": url})) as runtime:
                summaries = await import_history(runtime, source, path, console=progress)
        for summary in summaries:
            summary.dry_run = note
    else:
        async with open_runtime(settings) as runtime:
            summaries = await import_history(runtime, source, path, console=progress)
    for summary in summaries:
        render(summary, out)
    for problem in summaries[0].skipped.problems() if summaries else ():
        progress.print(problem, highlight=False, markup=False, soft_wrap=True)


async def import_history(
    runtime: Runtime,
    source: str,
    path: Path,
    *,
    console: Console | None = None,
    on_batch: Callable[[Batch], None] | None = None,
    batch_size: int = BATCH,
) -> list[Summary]:
    """Import one export and return a summary per community it touched.

    ``on_batch`` is called after each committed batch (tests use it to interrupt an import).
    """
    files = ExportFiles(path)
    skipped = Skipped()
    try:
        reader = open_reader(source, files, skipped)
        total, communities = len(reader.order), reader.communities
        replay = Replay(runtime.sessions, runtime.config, runtime.clock)
        await replay.register(communities)
        done = await replay.done_markers()
        events = 0
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            disable=console is None,
        ) as progress:
            task = progress.add_task("import", total=total)

            def advance(batch: Batch) -> None:
                nonlocal events
                events += len(batch.events)
                progress.update(task, advance=len(batch.markers))
                if on_batch is not None:
                    on_batch(batch)

            await replay.run(reader.units(done), advance, batch_size)
        placements = await replay.place()
        summaries = []
        for key, community in replay.communities.items():
            summary = await summarise(runtime.sessions, community, runtime.config, placements.get(key))
            summary.files, summary.events, summary.skipped = total, events, skipped
            summary.new_events = replay.recorded
            summaries.append(summary)
        if not summaries:
            summaries.append(Summary(str(path), files=total, skipped=skipped))
        return summaries
    finally:
        files.close()
