"""``python -m bench --quick`` runs every benchmark at tiny sizes, so none of them can rot."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    """Every benchmark runs and reports its figures, with the targets checked in the table."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "replay ≥ 50% of read+decode" in done.stdout
    figures = json.loads(out.read_text())
    for name in ("decode", "replay", "naive", "digest", "digest_naive"):
        assert figures[name]["rss_mb"] > 0
    assert figures["replay"]["events"] == figures["decode"]["events"] > 0
    assert figures["digest"]["asked"] == figures["digest_naive"]["asked"]
    assert "members page p95 ≤ 200 ms" in done.stdout
    page, export = figures["members_page"], figures["members_export"]
    assert page["pages"] > 50 and page["p95_ms"] > 0
    assert export["rows"] == page["members"] > 0 and export["rate"] > 0
    live = figures["live_slack"]
    for server in ("bare", "ladder"):
        for phase in ("paced", "saturation"):
            load = live[server][phase]
            assert load["failures"] == 0 and load["acked"] == load["requests"] > 0 and load["p99_ms"] > 0
    for phase in ("paced", "saturation"):
        ladder = live["ladder"][phase]
        assert ladder["drain_ms"] < float("inf") and 0 < ladder["most_held"] <= ladder["limit"]
    discord = figures["live_discord"]
    assert discord["recorded"] > 0 and discord["rate"] > 0
    assert "Discord ≥ 1,000 gateway events/s" in done.stdout
    assert {c["target"] for c in figures["checks"]} >= {
        "replay ≥ 50% of read+decode",
        "Slack: backlog ≤ LADDER_INBOX_BACKLOG",
    }
    search = figures["search"]
    assert search["new"]["oldest_found"] and search["new"]["recall_at_3"] > 0.5
