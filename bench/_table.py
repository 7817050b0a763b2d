"""The benchmark's table: every figure, then every target with the figure measured and met/MISSED.

Each benchmark contributes a section (:data:`SECTIONS`): its rows ``(measure, value, RSS MB)``
and its checks ``(target, got, met)``. A section whose figures are absent from a run is skipped,
so a benchmark added later (issue 13's earlier-answer search, ``bench/_search.py``) adds one
function here and one measurement in ``__main__``.
"""

from collections.abc import Callable
from typing import Any

Row = tuple[str, str, str]
Check = tuple[str, str, bool]
Section = tuple[tuple[str, ...], Callable[[dict[str, Any]], tuple[list[Row], list[Check]]]]


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def _rss(name: str, rss: float) -> Check:
    return (f"{name} peak RSS ≤ 200 MB", f"{rss:.0f} MB", rss <= 200)


def replay(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """History replay against read+decode alone and against a naive per-event ORM path."""
    rows = [
        ("replay events/s", f"{f['replay']['rate']:,.0f}", f"{f['replay']['rss_mb']:.0f}"),
        ("read+decode events/s", f"{f['decode']['rate']:,.0f}", f"{f['decode']['rss_mb']:.0f}"),
        (
            f"naive ORM events/s (sample of {f['naive']['events']}, extrapolated)",
            f"{f['naive']['rate']:,.0f}",
            f"{f['naive']['rss_mb']:.0f}",
        ),
    ]
    vs_decode = _ratio(f["replay"]["rate"], f["decode"]["rate"])
    vs_naive = _ratio(f["replay"]["rate"], f["naive"]["rate"])
    checks = [
        ("replay ≥ 50% of read+decode", f"{vs_decode:.0%}", vs_decode >= 0.5),
        ("replay ≥ 50× naive", f"{vs_naive:.0f}×", vs_naive >= 50),
        _rss("replay", f["replay"]["rss_mb"]),
    ]
    return rows, checks


def digest(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """The digest's aggregates in the database against rows loaded into Python."""
    rows = [
        ("digest build_report s", f"{f['digest']['seconds']:.3f}", f"{f['digest']['rss_mb']:.0f}"),
        (
            "digest naive (rows into Python) s",
            f"{f['digest_naive']['seconds']:.3f}",
            f"{f['digest_naive']['rss_mb']:.0f}",
        ),
    ]
    speedup = _ratio(f["digest_naive"]["seconds"], f["digest"]["seconds"])
    checks = [
        ("digest ≥ 20× naive", f"{speedup:.1f}×", speedup >= 20),
        ("digest < 1 s", f"{f['digest']['seconds']:.3f} s", f["digest"]["seconds"] < 1),
        _rss("digest", f["digest"]["rss_mb"]),
    ]
    return rows, checks


def dashboard(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """The Members page and its CSV export."""
    page, export = f["members_page"], f["members_export"]
    rows = [
        (
            f"members page p50/p95/max ms ({page['pages']} pages of {page['members']:,} members)",
            f"{page['p50_ms']:.1f} / {page['p95_ms']:.1f} / {page['max_ms']:.1f}",
            f"{page['rss_mb']:.0f}",
        ),
        (
            f"members CSV export rows/s ({export['rows']:,} rows, {export['mb']:.1f} MB)",
            f"{export['rate']:,.0f}",
            f"{export['rss_mb']:.0f}",
        ),
    ]
    checks = [
        ("members page p95 ≤ 200 ms", f"{page['p95_ms']:.1f} ms", page["p95_ms"] <= 200),
        _rss("members_page", page["rss_mb"]),
        _rss("members_export", export["rss_mb"]),
    ]
    return rows, checks


def live_slack(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """The Slack help channel: Ladder (durable acks) beside a bare Bolt app, paced and saturated."""
    live = f["live_slack"]
    bare, ladder = live["bare"], live["ladder"]
    paced, sat, bare_paced, bare_sat = (
        ladder["paced"],
        ladder["saturation"],
        bare["paced"],
        bare["saturation"],
    )
    rate = f["sizes"]["live_rate"]
    history = f"{live['questions']:,} answered questions"
    rows = [
        (
            f"bare Bolt at {rate:.0f}/s: ack p50/p99 ms, acks/s",
            f"{bare_paced['p50_ms']:.1f} / {bare_paced['p99_ms']:.1f}, {bare_paced['ack_rate']:.0f}",
            "",
        ),
        (
            f"Ladder help channel at {rate:.0f}/s ({history}): ack p50/p99 ms, acks/s, refused",
            f"{paced['p50_ms']:.1f} / {paced['p99_ms']:.1f}, {paced['ack_rate']:.0f}, {paced['refused']}",
            "",
        ),
        (
            f"Ladder at {rate:.0f}/s: work committed ms after load, largest backlog / limit, work/s",
            f"{paced['drain_ms']:.0f}, {paced['most_held']:,} / {paced['limit']:,}, {paced['work_rate']:.0f}",
            "",
        ),
        ("bare Bolt at saturation: acks/s", f"{bare_sat['ack_rate']:.0f}", f"{bare['rss_mb']:.0f}"),
        (
            "Ladder at saturation: acks/s, work/s, work committed ms after load, refused",
            f"{sat['ack_rate']:.0f}, {sat['work_rate']:.0f}, {sat['drain_ms']:.0f}, {sat['refused']}",
            f"{ladder['rss_mb']:.0f}",
        ),
        (
            "Ladder server CPU while working, paced / saturated (share of one core)",
            f"{paced['cpu_share']:.0%} / {sat['cpu_share']:.0%}",
            "",
        ),
    ]
    share = _ratio(sat["work_rate"], bare_sat["ack_rate"])
    most_held = max(paced["most_held"], sat["most_held"])
    errors = paced["errors"] + sat["errors"]
    checks = [
        (
            f"Slack at {rate:.0f}/s: ack p99 ≤ 50 ms (durable)",
            f"{paced['p99_ms']:.1f} ms",
            paced["p99_ms"] <= 50,
        ),
        (
            f"Slack at {rate:.0f}/s: all work committed ≤ 2 s after load",
            f"{paced['drain_ms'] / 1000:.1f} s",
            paced["drain_ms"] <= 2000,
        ),
        (
            "Slack: backlog ≤ LADDER_INBOX_BACKLOG",
            f"{most_held:,} ≤ {paced['limit']:,}",
            most_held <= paced["limit"],
        ),
        ("Slack saturation (work done/s) ≥ 50% of bare Bolt", f"{share:.0%}", share >= 0.5),
        ("Slack: no acknowledged work failed (errors logged)", f"{errors:,}", errors == 0),
        _rss("Slack app", ladder["rss_mb"]),
    ]
    return rows, checks


def live_discord(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """The Discord help channel through discord.py and the fake gateway."""
    d = f["live_discord"]
    rows = [
        (
            f"Discord gateway events/s ({d['gateway_events']:,} events, {d['questions']:,} answered qs)",
            f"{d['rate']:,.0f}",
            f"{d['rss_mb']:.0f}",
        ),
        ("Discord gateway events per client CPU second", f"{d['events_per_cpu_s']:,.0f}", ""),
        ("Discord: every notice sent (s after the first event)", f"{d['delivered_s']:.1f}", ""),
    ]
    checks = [
        ("Discord ≥ 1,000 gateway events/s", f"{d['rate']:,.0f}/s", d["rate"] >= 1000),
        _rss("Discord client", d["rss_mb"]),
    ]
    return rows, checks


def search(f: dict[str, Any]) -> tuple[list[Row], list[Check]]:
    """The earlier-answer search: the full-text index beside the scorer it replaced."""
    s = f["search"]
    old, new = s["old"], s["new"]
    size = f"{f['sizes']['search_questions']:,} solved questions, load {s['load_average']:.1f}"
    cpu = f"{old['cpu_p50_ms']:.1f}/{old['cpu_p99_ms']:.1f} | {new['cpu_p50_ms']:.1f}/{new['cpu_p99_ms']:.1f}"
    rows = [
        (
            f"search recall@3, old scorer / index ({size})",
            f"{old['recall_at_3']:.2f} / {new['recall_at_3']:.2f}",
            f"{s['rss_mb']:.0f}",
        ),
        (
            "search wall p50/p99 ms, old scorer | index",
            f"{old['p50_ms']:.1f}/{old['p99_ms']:.1f} | {new['p50_ms']:.1f}/{new['p99_ms']:.1f}",
            "",
        ),
        (
            "search CPU p50/p99 ms, old scorer | index",
            cpu,
            "",
        ),
    ]
    checks = [
        (
            "search recall@3 ≥ the old scorer's",
            f"{new['recall_at_3']:.2f} vs {old['recall_at_3']:.2f}",
            new["recall_at_3"] >= old["recall_at_3"],
        ),
        ("search p99 ≤ 20 ms (wall clock)", f"{new['p99_ms']:.1f} ms", new["p99_ms"] <= 20),
        (
            f"search finds the answer from {s['oldest_years']:.0f} years ago",
            "found" if new["oldest_found"] else "not found",
            bool(new["oldest_found"]),
        ),
    ]
    return rows, checks


SECTIONS: list[Section] = [
    (("replay", "decode", "naive"), replay),
    (("digest", "digest_naive"), digest),
    (("members_page", "members_export"), dashboard),
    (("live_slack",), live_slack),
    (("live_discord",), live_discord),
    (("search",), search),
]


def checks(f: dict[str, Any]) -> list[Check]:
    """Every target of the sections this run measured."""
    return [c for needs, section in SECTIONS if all(n in f for n in needs) for c in section(f)[1]]


def table(f: dict[str, Any]) -> str:
    """The figures as a plain-text table, then the targets and whether each is met."""
    rows: list[Row] = []
    for needs, section in SECTIONS:
        if all(n in f for n in needs):
            rows += section(f)[0]
    found = checks(f)
    width = max(len(r[0]) for r in rows + [(c[0], "", "") for c in found]) + 2
    lines = [f"{'measure':<{width}}{'value':<34}RSS MB", "-" * (width + 42)]
    lines += [f"{a:<{width}}{b:<34}{c}" for a, b, c in rows]
    lines += ["", f"{'target':<{width}}{'got':<34}met", "-" * (width + 42)]
    lines += [f"{a:<{width}}{b:<34}{'met' if ok else 'MISSED'}" for a, b, ok in found]
    return "\n".join(lines)
