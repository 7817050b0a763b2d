"""``ladder export`` from the shell, run as an operator runs it (a separate process)."""

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from core_harness import COMMUNITY, INTRO_CHANNEL, START, Harness, config_for_tests
from db import migrated_database_url

from bot.database import create_engine, session_factory
from handlers.kernel import FakeChatPort, FakeClock
from handlers.service import LadderService

LADDER = Path(sys.executable).parent / "ladder"
REFERENCE = f"{COMMUNITY.platform}:{COMMUNITY.external_id}"


def community(tmp_path: Path) -> str:
    """A database where three members introduced themselves and a manager promoted one."""

    async def build() -> None:
        engine = create_engine(url)
        port, clock = FakeChatPort(), FakeClock(START)
        harness = Harness(
            LadderService(session_factory(engine), config_for_tests(), port, clock), port, clock
        )
        for who in ("ann", "=cmd|' /C calc'!A0", "bob"):
            await harness.post(who, "Hi, I'm new here", channel=INTRO_CHANNEL)
        await harness.say("manager", "promote @bob 2 wrote the docs")
        await engine.dispose()

    url = migrated_database_url(tmp_path)
    asyncio.run(build())
    return url


def ladder(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``ladder`` command against ``url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LADDER_", "DATABASE_URL"))}
    env |= {"DATABASE_URL": url}
    return subprocess.run([str(LADDER), *args], capture_output=True, text=True, env=env, timeout=120)


def test_members_to_a_file_as_csv_and_to_standard_output_as_json(tmp_path: Path) -> None:
    """CSV to ``--out`` (complete, no leftover part file), JSON to standard output, by either
    way of naming the community."""
    url = community(tmp_path)
    out = tmp_path / "members.csv"
    done = ladder(url, "export", "members", "--community", REFERENCE, "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["name"], r["level_name"], r["points"]) for r in rows] == [
        ("bob", "Contributor", "4"),  # most points first; ties newest first, as on the page
        ("'=cmd|' /C calc'!A0", "Participant", "4"),  # a spreadsheet shows it, never runs it
        ("ann", "Participant", "4"),
        ("manager", "Newcomer", "0"),
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    audit = ladder(url, "export", "audit", "--community", "1", "--format", "json")
    assert audit.returncode == 0, audit.stderr
    changes = json.loads(audit.stdout)
    newest = changes[0]
    assert (newest["member_name"], newest["by_name"], newest["reason"]) == (
        "bob",
        "manager",
        "wrote the docs",
    )


def test_an_unknown_community_or_table_gets_one_line(tmp_path: Path) -> None:
    """A community that is not there names the ones that are; a table that does not exist lists
    the tables; nothing is written."""
    url = community(tmp_path)
    out = tmp_path / "x.csv"
    missing = ladder(url, "export", "members", "--community", "slack:T404", "--out", str(out))
    assert missing.returncode == 2
    assert (
        missing.stderr.strip()
        == f"No community 'slack:T404'. Use an id or platform:external_id: 1 ({REFERENCE})."
    )
    assert not out.exists()
    table = ladder(url, "export", "people", "--community", "1")
    assert table.returncode == 2 and "'people' is not one of" in table.stderr and "members" in table.stderr
    folder = ladder(url, "export", "members", "--community", "1", "--out", str(tmp_path / "no" / "such.csv"))
    assert folder.returncode == 2 and "Traceback" not in folder.stderr
    assert len(folder.stderr.strip().splitlines()) == 1
