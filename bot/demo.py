"""``ladder demo``: a deterministic simulated community driven through the real use cases.

A few hundred members join over twelve simulated weeks; they introduce themselves, ask (and
re-ask) questions in the help channel, answer when pinged, climb through quests, and answer calls.
Everything goes through the same :class:`~handlers.service.LadderService` the platforms use, with a fake
clock and a recording port; at the end the ladder and the last week's digest are printed and the
digest is written as Markdown with its PNG chart.
"""

import asyncio
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func
from sqlmodel import col, select

from bot.console import render, wrap
from bot.database import open_database
from bot.demo_simulation import COMMUNITY, MANAGER, START, Simulation
from bot.settings import Settings
from handlers.health import build_report, report_markdown
from handlers.kernel import (
    FakeChatPort,
    FakeClock,
    LadderConfig,
    Managers,
    Routing,
    Scope,
    load_config,
)
from handlers.service import LadderService
from models import Community, Member


class DemoDatabaseNotEmptyError(Exception):
    """The demo would mix its simulated community into existing data; nothing was written."""


def demo_config(settings: Settings) -> LadderConfig:
    """The configured ladder with the demo's channels and manager filled in."""
    config = load_config(settings.ladder_config)
    routing = (
        config.routing.model_copy(update={"help_channels": ("help",), "intro_channels": ("introductions",)})
        if not config.routing.help_channels
        else config.routing
    )
    return config.model_copy(
        update={
            "routing": Routing.model_validate(routing.model_dump()),
            "managers": Managers(console=(MANAGER,)),
        }
    )


async def run_demo(
    settings: Settings, out: Path, *, members: int, weeks: int, seed: int, serve: bool = False
) -> None:
    """Simulate, then print the ladder and the digest and write them under ``out``; with
    ``serve``, then serve the community's dashboard until interrupted."""
    console = Console(highlight=False)
    began = time.perf_counter()
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    url = settings.database_url
    if not url:
        (out / "ladder-demo.db").unlink(missing_ok=True)
        url = f"sqlite:///{(out / 'ladder-demo.db').resolve()}"
    config = demo_config(settings)
    clock, port = FakeClock(START), FakeChatPort()
    async with open_database(url) as sessions:
        async with sessions() as session:
            taken = (
                await session.exec(select(Community.id).where(Community.external_id == COMMUNITY.external_id))
            ).first()
        if taken is not None:
            raise DemoDatabaseNotEmptyError(
                "DATABASE_URL already holds a demo community: point it at an empty database "
                "(or leave it unset to use a fresh SQLite file under --out)."
            )
        ladder = LadderService(sessions, config, port, clock)
        simulation = Simulation(ladder, port, clock, random.Random(seed))  # noqa: S311 - a seeded simulation, no secret
        with console.status(f"Simulating {members} members over {weeks} weeks…"):
            await simulation.found(members)
            await simulation.run(weeks)
        end = clock.now()
        async with sessions() as session:
            community = (
                await session.exec(select(Community).where(Community.external_id == COMMUNITY.external_id))
            ).one()
            report = await build_report(
                Scope(session, config, end, community),
                end - timedelta(days=config.digest.period_days),
                end,
            )
            shape = dict(
                (
                    await session.exec(
                        select(Member.level, func.count())
                        .where(Member.community_id == community.id)
                        .group_by(col(Member.level))
                    )
                ).all()
            )
    from handlers.health import report_message

    message = report_message(report, config)
    chart = out / "ladder-health.png"
    assert message.image is not None
    chart.write_bytes(message.image.data)
    (out / "digest.md").write_text(report_markdown(report, config, chart.name), encoding="utf-8")
    table = Table(title=f"The ladder after {weeks} weeks")
    table.add_column("level")
    table.add_column("members", justify="right")
    for rule in reversed(config.levels):
        table.add_row(f"{rule.number} {rule.name}", str(shape.get(rule.number, 0)))
    console.print(table)
    console.print(escape(wrap(render(message), console.width)), soft_wrap=True)
    sent = len(port.sent)
    console.print(
        f"\nDigest written to {out / 'digest.md'} with chart {chart} "
        f"({sent:,} messages sent by Ladder; {time.perf_counter() - began:.1f} s)."
    )
    if serve:
        await _serve(settings, url, config, port, end, console)


async def _serve(
    settings: Settings, url: str, config: LadderConfig, port: FakeChatPort, end: datetime, console: Console
) -> None:
    """Serve the demo community's dashboard, signed in as its manager, until interrupted."""
    from bot.web import serve_community

    def announce(link: str) -> None:
        console.print(f"Dashboard: {link}", soft_wrap=True)
        console.print(
            "Serving the dashboard until interrupted (Ctrl+C). The link works once, for 15 minutes; "
            f"for another, run: DATABASE_URL={url} LADDER_PUBLIC_URL={link.split('/dashboard/')[0]} "
            "ladder dashboard "
            f"--community {COMMUNITY.platform}:{COMMUNITY.external_id}",
            soft_wrap=True,
        )
        console.file.flush()  # the link must reach a pipe (a test, `| tee`) while the server runs

    async with open_database(url) as sessions:
        await serve_community(
            sessions,
            config,
            port,
            settings,
            start=end,
            community=f"{COMMUNITY.platform}:{COMMUNITY.external_id}",
            manager=MANAGER,
            on_link=announce,
        )
