"""``python -m bench``: Ladder's performance figures, each measured in its own process.

1. replay of a generated Slack export against only decoding it and a naive per-event ORM path;
2. the digest of a large community against loading its rows into Python;
3. the dashboard on the digest's community: the Members page's server-side p95 over a mix of
   sorts, filters, searches and pages, and a CSV export of every member (rows/s);
4. the live Slack help channel (:mod:`bench._live`): questions, thread replies, the asker's
   reactions and thanks, ``/ladder solved`` and ``/ladder level`` on a community holding 100,000
   answered questions, at 500 requests/s and then at saturation, beside a bare Bolt app;
5. the live Discord help channel (:mod:`bench._discord`) through discord.py and the fake gateway;
6. peak memory (RSS) of each. ``--quick`` uses tiny sizes and runs each measurement in this
   process (the servers still run in their own): a smoke test for the suite, not figures.

``--durable`` runs the durable-path benchmark alone: a help channel (questions and thread replies) at 300 and
500 signed events/s against the shipped app, where every acknowledgement means the event is in
the durable inbox; it reports the acknowledgement latency and how fast the events are recorded.

The table lists every target with the figure measured and ``met``/``MISSED``; ``--json`` writes
every figure and every check.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import _dashboard, _digest, _discord, _durable, _export, _live, _replay, _search
from bench._table import checks, table

FULL: dict[str, Any] = {
    "messages": 1_000_000,
    "members": 5_000,
    "channels": 20,
    "naive_sample": 2_000,
    "digest_members": 100_000,
    "contributions": 5_000_000,
    "live_questions": 100_000,
    "live_rate": 500.0,
    "live_seconds": 10.0,
    "live_burst": 2_000,
    "discord_conversations": 600,
    "search_questions": 100_000,
}
QUICK: dict[str, Any] = {
    "messages": 3_000,
    "members": 60,
    "channels": 3,
    "naive_sample": 100,
    "digest_members": 500,
    "contributions": 5_000,
    "live_questions": 1_000,
    "live_rate": 100.0,
    "live_seconds": 0.3,
    "live_burst": 35,
    "discord_conversations": 4,
    "search_questions": 500,
}


MEASURES = (
    "live_slack",
    "live_discord",
    "decode",
    "replay",
    "naive",
    "digest",
    "digest_naive",
    "members_page",
    "members_export",
    "search",
)


def child(name: str, work: Path, sizes: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this process (called in a fresh process by :func:`measure`)."""
    export = work / "export"
    if name == "decode":
        return _replay.decode(export)
    if name == "replay":
        return asyncio.run(_replay.replay(export, work))
    if name == "naive":
        return asyncio.run(_replay.naive(export, work, sizes["naive_sample"]))
    if name in ("digest", "digest_naive"):
        run = _digest.digest if name == "digest" else _digest.naive
        return asyncio.run(run(work, sizes["digest_members"], sizes["contributions"]))
    if name in ("members_page", "members_export"):
        bench = _dashboard.members if name == "members_page" else _dashboard.export
        return asyncio.run(bench(work, sizes["digest_members"], sizes["contributions"]))
    if name == "search":
        return _search.run(work, sizes["search_questions"])
    if name == "live_slack":
        return _live.run(
            work,
            questions=sizes["live_questions"],
            rate=sizes["live_rate"],
            seconds=sizes["live_seconds"],
            burst=sizes["live_burst"],
        )
    return _discord.run(work, questions=sizes["live_questions"], conversations=sizes["discord_conversations"])


def measure(name: str, work: Path, quick: bool) -> dict[str, Any]:
    """One measurement in a fresh interpreter, so its peak memory is its own (in this one with
    ``quick``: a smoke test pays an interpreter's start-up once, not once a measurement)."""
    if quick:
        return child(name, work, QUICK)
    command = [sys.executable, "-m", "bench", "--child", name, "--work", str(work)]
    done = subprocess.run(command + (["--quick"] if quick else []), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def figures(work: Path, quick: bool, log: Path | None = None) -> dict[str, Any]:
    """Generate the inputs once, then run every measurement (kept in ``log`` as they finish)."""
    sizes = QUICK if quick else FULL
    started = time.perf_counter()
    messages = _export.generate(
        work / "export", sizes["messages"], members=sizes["members"], channels=sizes["channels"]
    )
    out: dict[str, Any] = {"sizes": sizes, "export_messages": messages}
    out["generate_s"] = time.perf_counter() - started
    for name in MEASURES:
        out[name] = measure(name, work, quick)
        if log is not None:
            log.write_text(json.dumps(out, indent=2))
    return out


DURABLE_RATES = (300.0, 500.0)


def durable(quick: bool) -> dict[str, Any]:
    """Benchmark 4 at each rate, each server in its own process."""
    seconds, rates = (0.5, (100.0,)) if quick else (10.0, DURABLE_RATES)
    with tempfile.TemporaryDirectory(prefix="ladder-bench-") as work:
        return {f"{rate:.0f}": _durable.run("help", Path(work), rate, seconds) for rate in rates}


def durable_table(found: dict[str, Any]) -> str:
    """Benchmark 4's figures, one line per rate."""
    lines = [
        "help channel  ack p50 ms  ack p99 ms  acked/s  refused  recorded/s  all recorded  RSS MB",
        "-" * 88,
    ]
    for rate, f in found.items():
        lines.append(
            f"{rate + '/s':<14}{f['p50_ms']:<12.1f}{f['p99_ms']:<12.1f}{f['ack_throughput']:<9.0f}"
            f"{f['refused']:<9}{f['record_throughput']:<12.0f}{'yes' if f['recorded_all'] else 'NO':<14}"
            f"{f['rss_mb']:.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments and run the benchmarks (or one child measurement)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (seconds, for tests)")
    parser.add_argument("--durable", action="store_true", help="benchmark 4 only (the durable path)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.work, QUICK if args.quick else FULL)))
        return
    if args.durable:
        found = durable(args.quick)
        print(durable_table(found))
        if args.json:
            args.json.write_text(json.dumps(found, indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="ladder-bench-") as work:
        found = figures(Path(work), args.quick, args.json)
    print(table(found))
    found["checks"] = [{"target": t, "got": got, "met": ok} for t, got, ok in checks(found)]
    if args.json:
        args.json.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
