"""The digest chart: the ladder pyramid (now vs an earlier date) and this period's promotions.

The chart is titled with the community and the period, each panel with its own time frame, and
the pyramid's axis is logarithmic above one member (every bar labelled with its count) so a level
of 1 beside a level of 200 is a bar, not a sliver.

Drawn on a :class:`matplotlib.figure.Figure` with the Agg canvas directly: no pyplot, so no global
figure registry to leak into and nothing to close; safe in a long-running bot.
"""

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.health._dates import local_day, local_span
from handlers.kernel import defuse

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from handlers.health._figures import HealthReport

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10.0, 4.5, 100
NOW_COLOUR, BEFORE_COLOUR, FLOW_COLOUR = "#2b6cb0", "#a0aec0", "#38a169"
BAR_HEIGHT = 0.38


def render_chart(report: "HealthReport", level_names: Sequence[str]) -> bytes:
    """Return the digest chart as a PNG of a fixed size (1000 × 450 px).

    matplotlib is imported here, not at module load: it costs ~40 MB that processes which never
    draw (the importer, most workers) should not pay.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = chart_figure(report, level_names)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def chart_figure(report: "HealthReport", level_names: Sequence[str]) -> "Figure":
    """The chart as a matplotlib figure (not yet drawn), its titles and labels as a reader sees them."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    zone = report.timezone
    figure.suptitle(
        f"{_literal(defuse(report.community_name))}: ladder health, "
        f"{local_span(report.period_start, report.period_end, zone)} ({zone})",
        fontsize=12,
    )
    pyramid, flow = figure.subplots(1, 2, width_ratios=(3, 2))
    levels = sorted(set(report.shape_now) | set(report.shape_before))
    names = [_name(level, level_names) for level in levels]
    positions = list(range(len(levels)))
    now = [report.shape_now.get(level, 0) for level in levels]
    before = [report.shape_before.get(level, 0) for level in levels]
    bars_now = pyramid.barh(
        [p + BAR_HEIGHT / 2 for p in positions], now, BAR_HEIGHT, color=NOW_COLOUR, label="now"
    )
    bars_before = pyramid.barh(
        [p - BAR_HEIGHT / 2 for p in positions],
        before,
        BAR_HEIGHT,
        color=BEFORE_COLOUR,
        label=f"on {local_day(report.shape_before_at, zone)}",
    )
    pyramid.bar_label(bars_now, padding=2, fontsize=8)
    pyramid.bar_label(bars_before, padding=2, fontsize=8)
    pyramid.set_yticks(positions, names)
    pyramid.set_xscale("symlog", linthresh=1, linscale=0.5)
    pyramid.set_xlim(0, max([*now, *before, 1]) * 3)
    pyramid.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    pyramid.set_xlabel("members (log scale above 1)")
    pyramid.set_title(
        f"Members per level\nnow ({local_day(report.period_end, zone)}) "
        f"and on {local_day(report.shape_before_at, zone)}",
        fontsize=10,
    )
    pyramid.legend(loc="upper right", fontsize=8, frameon=False)
    _plain(pyramid)

    promoted = [level for level in sorted(report.promotions) if level > 0]
    counts = [report.promotions[level] for level in promoted]
    bars_flow = flow.bar(range(len(promoted)), counts, color=FLOW_COLOUR)
    flow.bar_label(bars_flow, padding=2, fontsize=8)
    flow.set_xticks(
        range(len(promoted)),
        [_name(level, level_names) for level in promoted],
        rotation=30,
        ha="right",
    )
    flow.set_ylim(0, max([*counts, 1]) * 1.2)
    flow.yaxis.get_major_locator().set_params(integer=True)
    flow.set_ylabel("promotions")
    period = local_span(report.period_start, report.period_end, zone)
    flow.set_title(
        f"Promotions by level reached\nthis period, {period}",
        fontsize=10,
    )
    _plain(flow)

    return figure


def _literal(text: str) -> str:
    """Text shown as typed: a ``$`` would otherwise start matplotlib's maths notation."""
    return text.replace("$", r"\$")


def _name(level: int, level_names: Sequence[str]) -> str:
    return level_names[level] if 0 <= level < len(level_names) else f"Level {level}"


def _plain(axes: "Axes") -> None:
    """Drop the top and right frame lines: less ink, same information."""
    axes.spines[["top", "right"]].set_visible(False)
