"""``python -m bench``: Ladder's performance figures, each measured in its own process.

1. replay of a generated Slack export against only decoding it and a naive per-event ORM path;
2. the digest of a large community against loading its rows into Python;
3. signed Slack requests at 500/s against Ladder's HTTP app (as shipped, and without settling the heap
   after start-up) and a bare Bolt app;
4. the dashboard on the digest's community: the Members page's server-side p95 over a mix of
   sorts, filters, searches and pages, and a CSV export of every member (rows/s);
5. peak memory (RSS) of each. ``--quick`` uses tiny sizes (the smoke tests run it).

``--durable`` runs the durable-path benchmark alone: a help channel (questions and thread replies) at 300 and
500 signed events/s against the shipped app, where every acknowledgement means the event is in
the durable inbox; it reports the acknowledgement latency and how fast the events are recorded.
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

from bench import _dashboard, _digest, _durable, _export, _replay, _search, _slack

FULL: dict[str, Any] = {
    "messages": 1_000_000,
    "members": 5_000,
    "channels": 20,
    "naive_sample": 2_000,
    "digest_members": 100_000,
    "contributions": 5_000_000,
    "rate": 500.0,
    "seconds": 10.0,
    "search_questions": 100_000,
}
QUICK: dict[str, Any] = {
    "messages": 3_000,
    "members": 60,
    "channels": 3,
    "naive_sample": 100,
    "digest_members": 500,
    "contributions": 5_000,
    "rate": 200.0,
    "seconds": 0.5,
    "search_questions": 1_000,
}


MEASURES = (
    "decode",
    "replay",
    "naive",
    "digest",
    "digest_naive",
    "members_page",
    "members_export",
    "slack_bare",
    "slack_ladder",
    "slack_unfrozen",
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
    return _slack.run(name.removeprefix("slack_"), work, sizes["rate"], sizes["seconds"])


def measure(name: str, work: Path, quick: bool) -> dict[str, Any]:
    """One measurement in a fresh interpreter, so its peak memory is its own."""
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


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def table(f: dict[str, Any]) -> str:
    """The figures as a plain-text table, with the targets and whether each is met."""
    rows = [
        ("replay events/s", f"{f['replay']['rate']:,.0f}", f"{f['replay']['rss_mb']:.0f}"),
        ("read+decode events/s", f"{f['decode']['rate']:,.0f}", f"{f['decode']['rss_mb']:.0f}"),
        (
            f"naive ORM events/s (sample of {f['naive']['events']}, extrapolated)",
            f"{f['naive']['rate']:,.0f}",
            f"{f['naive']['rss_mb']:.0f}",
        ),
        ("digest build_report s", f"{f['digest']['seconds']:.3f}", f"{f['digest']['rss_mb']:.0f}"),
        (
            "digest naive (rows into Python) s",
            f"{f['digest_naive']['seconds']:.3f}",
            f"{f['digest_naive']['rss_mb']:.0f}",
        ),
        (
            f"members page p50/p95/max ms ({f['members_page']['pages']} pages of "
            f"{f['members_page']['members']:,} members)",
            f"{f['members_page']['p50_ms']:.1f} / {f['members_page']['p95_ms']:.1f} / "
            f"{f['members_page']['max_ms']:.1f}",
            f"{f['members_page']['rss_mb']:.0f}",
        ),
        (
            f"members CSV export rows/s ({f['members_export']['rows']:,} rows, "
            f"{f['members_export']['mb']:.1f} MB)",
            f"{f['members_export']['rate']:,.0f}",
            f"{f['members_export']['rss_mb']:.0f}",
        ),
    ]
    for name in ("slack_bare", "slack_ladder", "slack_unfrozen"):
        s = f[name]
        rows.append(
            (
                f"{name} p50/p99 ms, req/s",
                f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f}, {s['throughput']:.0f}",
                f"{s['rss_mb']:.0f}",
            )
        )
    replay_vs_decode = _ratio(f["replay"]["rate"], f["decode"]["rate"])
    replay_vs_naive = _ratio(f["replay"]["rate"], f["naive"]["rate"])
    digest_speedup = _ratio(f["digest_naive"]["seconds"], f["digest"]["seconds"])
    checks = [
        ("replay ≥ 50% of read+decode", f"{replay_vs_decode:.0%}", replay_vs_decode >= 0.5),
        ("replay ≥ 50× naive", f"{replay_vs_naive:.0f}×", replay_vs_naive >= 50),
        ("digest ≥ 20× naive", f"{digest_speedup:.1f}×", digest_speedup >= 20),
        ("digest < 1 s", f"{f['digest']['seconds']:.3f} s", f["digest"]["seconds"] < 1),
        (
            "members page p95 ≤ 200 ms",
            f"{f['members_page']['p95_ms']:.1f} ms",
            f["members_page"]["p95_ms"] <= 200,
        ),
    ]
    for name in ("slack_ladder", "slack_unfrozen"):
        s = f[name]
        done = s["requests"] / (s["requests"] / s["throughput"] + s["drain_ms"] / 1000)
        s["work_throughput"] = done
        rows.append(
            (
                f"{name} all work done (recorded, answered): ms after load, req/s",
                f"{s['drain_ms']:.0f}, {done:.0f}",
                "",
            )
        )
    for name in ("slack_ladder",):
        s, bare = f[name], f["slack_bare"]
        work_share = _ratio(s["work_throughput"], bare["throughput"])
        checks.append((f"{name} work done ≥ 50% of bare throughput", f"{work_share:.0%}", work_share >= 0.5))
        share = _ratio(s["throughput"], bare["throughput"])
        checks.append((f"{name} p99 ≤ 50 ms", f"{s['p99_ms']:.1f} ms", s["p99_ms"] <= 50))
        checks.append((f"{name} ≥ 50% of bare throughput", f"{share:.0%}", share >= 0.5))
    for name in ("replay", "digest", "members_page", "members_export", "slack_ladder"):
        rss = f[name]["rss_mb"]
        checks.append((f"{name} peak RSS ≤ 200 MB", f"{rss:.0f} MB", rss <= 200))
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{'measure':<{width}}{'value':<28}RSS MB", "-" * (width + 36)]
    lines += [f"{a:<{width}}{b:<28}{c}" for a, b, c in rows]
    lines += ["", f"{'target':<{width}}{'got':<28}met", "-" * (width + 36)]
    lines += [f"{a:<{width}}{b:<28}{'yes' if ok else 'NO'}" for a, b, ok in checks]
    return "\n".join(lines)


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
    if args.json:
        args.json.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
