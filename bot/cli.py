"""The ``ladder`` command line: run a platform, the demo, imports, migrations and config checks.

Settings are read here, once, and passed down; platform packages are imported only when their
platform is asked for, so the console and the demo never load Slack or Discord code.
"""

import asyncio
import functools
import logging
import tempfile
from collections.abc import Callable
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, ParamSpec

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.logs import configure_logging
from bot.observability import ListenError
from bot.readiness import DatabaseUnavailableError, check_sqlite_file
from bot.settings import Settings
from handlers.dashboard import ExportFormat, ExportTable
from handlers.kernel import ConfigError, load_config, plural
from models import Community, Member

app = typer.Typer(help="Ladder: an organizing bot for Slack and Discord.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
config_app = typer.Typer(help="The ladder config (TOML).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")

err = Console(stderr=True, soft_wrap=True)
log = logging.getLogger(__name__)
P = ParamSpec("P")


class Platform(StrEnum):
    """Where ``ladder run`` connects."""

    SLACK = "slack"
    DISCORD = "discord"
    CONSOLE = "console"


class ImportSource(StrEnum):
    """Which export format ``ladder import`` reads."""

    SLACK = "slack"
    DISCORD = "discord"


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"ladder {version('ladder-bot')}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit"),
    ] = False,
) -> None:
    """Options every ``ladder`` command shares."""


def _settings(*, server: bool = False) -> Settings:
    """Read the environment once; servers log at INFO, commands a person reads at WARNING.

    ``LADDER_LOG_LEVEL`` overrides either, so an operator can still see everything.
    """
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"])
            reason = str(problem["msg"]).removeprefix("Value error, ")
            err.print(f"[red]Invalid setting {escape(where)}:[/] {escape(reason)}", highlight=False)
        raise typer.Exit(2) from None
    level = settings.log_level or ("INFO" if server else "WARNING")
    configure_logging(settings.log_format, level)
    return settings


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{escape(message)}[/]", highlight=False)
    return typer.Exit(2)


def _plain_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn what an operator can fix (config, database, port, files) into one line and exit 2."""

    @functools.wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except ConfigError as error:
            lines = [f"Invalid ladder config: {problem}" for problem in error.problems]
            raise _fail("\n".join(lines)) from None
        except (DatabaseUnavailableError, ListenError) as error:
            raise _fail(str(error)) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise _fail(f"{where}{error.strerror or error}") from None

    return guarded


def _writable_folder(path: Path, option: str) -> None:
    """Create ``path`` if needed and prove a file can be written in it, or fail with one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except (FileExistsError, NotADirectoryError):
        raise _fail(f"{option} {path} is a file: name a folder (it is created if missing).") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise _fail(f"{option} {path}: cannot write there ({reason}).") from None


@app.command()
@_plain_errors
def run(
    platform: Annotated[Platform, typer.Option(help="slack, discord or console")],
    script: Annotated[
        Path | None, typer.Option(help="Console only: read lines from a file, not stdin")
    ] = None,
    sync_guild: Annotated[
        int | None, typer.Option(help="Discord only: sync commands to this guild (development)")
    ] = None,
) -> None:
    """Run Ladder on a platform until stopped."""
    settings = _settings(server=platform is not Platform.CONSOLE)
    try:
        if platform is Platform.CONSOLE:
            from bot.console import serve as serve_console

            asyncio.run(serve_console(settings, script))
        elif platform is Platform.SLACK:
            from bot.slack import SlackSettingsError
            from bot.slack import serve as serve_slack

            try:
                asyncio.run(serve_slack(settings))
            except SlackSettingsError as error:
                raise _fail(str(error)) from None
        else:
            from bot.discord import DiscordSettingsError
            from bot.discord import serve as serve_discord

            try:
                asyncio.run(serve_discord(settings, sync_guild))
            except DiscordSettingsError as error:
                raise _fail(str(error)) from None
    except KeyboardInterrupt:
        err.print("Stopped.")


@app.command()
@_plain_errors
def demo(
    out: Annotated[Path, typer.Option(help="Where to write the digest")] = Path("ladder-demo"),
    members: Annotated[int, typer.Option(min=20, max=5000, help="Simulated members")] = 300,
    weeks: Annotated[int, typer.Option(min=2, max=52, help="Simulated weeks")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same community)")] = 7,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then serve its dashboard and print a sign-in link")
    ] = False,
) -> None:
    """Simulate a community and write its digest (Markdown + PNG chart); no tokens, no network."""
    settings = _settings()
    _writable_folder(out, "--out")
    if settings.database_url:
        check_sqlite_file(settings.database_url)
    from bot.demo import DemoDatabaseNotEmptyError, run_demo

    try:
        asyncio.run(run_demo(settings, out, members=members, weeks=weeks, seed=seed, serve=serve))
    except DemoDatabaseNotEmptyError as error:
        raise _fail(str(error)) from None
    except KeyboardInterrupt:
        err.print("Stopped.")


@app.command()
@_plain_errors
def dashboard(
    community: Annotated[str, typer.Option(help="The community: its number, or platform:id (slack:T0123)")],
    manager: Annotated[
        str | None, typer.Option(help="The manager's platform id (default: the first known manager)")
    ] = None,
) -> None:
    """Print a one-time sign-in link to a community's dashboard (valid 15 minutes, works once)."""
    settings = _settings()
    check_sqlite_file(settings.resolved_database_url())
    from bot.web import NoLinkError

    try:
        url, member, place = asyncio.run(_link(settings, community, manager))
    except NoLinkError as error:
        raise _fail(str(error)) from None
    err.print(
        f"Sign-in link for {escape(member.display_name)} at {escape(place.name or place.external_id)} "
        "(valid 15 minutes, works once):",
        highlight=False,
    )
    typer.echo(url)


async def _link(settings: Settings, community: str, manager: str | None) -> "tuple[str, Member, Community]":
    from bot.database import open_database
    from bot.web import shell_link
    from handlers.kernel import SystemClock
    from handlers.signin import DashboardAddress

    async with open_database(settings.resolved_database_url()) as sessions:
        return await shell_link(
            sessions,
            DashboardAddress(settings.dashboard_url()),
            SystemClock(),
            community=community,
            manager=manager,
        )


@app.command("import")
@_plain_errors
def import_history(
    source: Annotated[ImportSource, typer.Argument(help="slack or discord")],
    path: Annotated[Path, typer.Argument(help="Export folder or .zip / file")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the whole summary, placement included; write nothing")
    ] = False,
) -> None:
    """Import a community's history so levels and health reflect it from day one."""
    settings = _settings()
    if not path.exists():
        raise _fail(f"{path}: no such file or folder")
    from bot.importer import ExportNotFoundError, run_import

    try:
        asyncio.run(run_import(settings, source.value, path, dry_run=dry_run))
    except ExportNotFoundError as error:
        raise _fail(str(error)) from None


@app.command("export")
@_plain_errors
def export(
    table: Annotated[ExportTable, typer.Argument(help="Which dashboard table", show_default=False)],
    community: Annotated[
        str, typer.Option(help="The community: its id or platform:external_id (e.g. slack:T0123)")
    ],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or json")] = ExportFormat.CSV,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: standard output)")] = None,
) -> None:
    """Export a dashboard table (members, audit, ledger…) as CSV or JSON, streamed."""
    settings = _settings()
    from bot.export import CommunityNotFoundError, run_export

    try:
        asyncio.run(run_export(settings, table, fmt, community, out))
    except CommunityNotFoundError as error:
        raise _fail(str(error)) from None


@db_app.command("upgrade")
@_plain_errors
def db_upgrade() -> None:
    """Apply every pending migration to DATABASE_URL."""
    settings = _settings()
    from bot.database import upgrade

    check_sqlite_file(settings.resolved_database_url())
    upgrade(settings.resolved_database_url())
    err.print("Database is at the newest schema.")


@config_app.command("check")
def config_check(path: Annotated[Path, typer.Argument(help="The TOML file to check")]) -> None:
    """Validate a ladder config and report every problem with its key path."""
    try:
        config = load_config(path)
    except ConfigError as error:
        for problem in error.problems:
            err.print(f"[red]✗[/] {escape(problem)}", highlight=False)
        raise typer.Exit(1) from None
    levels = ", ".join(f"{rule.number} {rule.name}" for rule in config.levels)
    summary = f"{path} is valid: levels {levels}; {plural(len(config.quests), 'quest')}."
    Console(highlight=False).print(f"[green]✓[/] {escape(summary)}")


def main() -> None:
    """Entry point of the ``ladder`` console script."""
    app()
