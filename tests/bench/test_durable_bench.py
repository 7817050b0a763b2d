"""``python -m bench --durable --quick`` runs benchmark 4 (the durable path) at a tiny size."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_durable_bench_acknowledges_and_records_every_event(tmp_path: Path) -> None:
    """The help-channel load is acknowledged and then recorded in full, and the table says so."""
    out = tmp_path / "durable.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--durable", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "ack p99 ms" in done.stdout
    [figures] = json.loads(out.read_text()).values()
    assert figures["acked"] == figures["requests"] > 0
    assert figures["recorded_all"] and figures["recorded"] == figures["acked"]
