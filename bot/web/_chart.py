"""The ladder's shape week by week as an SVG drawn by the template: one small chart per level.

Each level gets its own row and its own scale, so a level of three members is as readable as
one of three hundred (no slivers on a shared axis); the exact counts are in the table beside it.
"""

from dataclasses import dataclass
from datetime import datetime

ROW_HEIGHT = 40
BAR_AREA = 30
BAR_WIDTH = 22
BAR_GAP = 6
LABEL_WIDTH = 112
VALUE_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    """One week's bar in one level's row."""

    x: int
    y: float
    height: float
    count: int
    week: datetime


@dataclass(frozen=True)
class Row:
    """One level's row: its label, its weekly bars, and the latest count."""

    level: int
    label: str
    y: int
    bars: tuple[Bar, ...]
    latest: int


@dataclass(frozen=True)
class ShapeChart:
    """Everything the SVG needs, in pixels."""

    width: int
    height: int
    rows: tuple[Row, ...]
    weeks: tuple[datetime, ...]
    bars_x: int
    value_x: int


def shape_chart(weeks: list[datetime], counts: dict[int, list[int]], names: dict[int, str]) -> ShapeChart:
    """Lay out one row per level (top level first), each scaled to its own largest week."""
    rows = []
    for index, level in enumerate(sorted(counts, reverse=True)):
        series = counts[level]
        peak = max(series) or 1
        top = index * ROW_HEIGHT
        bars = tuple(
            Bar(
                x=LABEL_WIDTH + week * (BAR_WIDTH + BAR_GAP),
                y=top + BAR_AREA - max(count / peak * BAR_AREA, 1.5 if count else 0),
                height=max(count / peak * BAR_AREA, 1.5 if count else 0),
                count=count,
                week=weeks[week],
            )
            for week, count in enumerate(series)
        )
        rows.append(Row(level, f"{level} {names.get(level, f'Level {level}')}", top, bars, series[-1]))
    bars_end = LABEL_WIDTH + len(weeks) * (BAR_WIDTH + BAR_GAP)
    return ShapeChart(
        width=bars_end + VALUE_WIDTH,
        height=len(rows) * ROW_HEIGHT + 18,
        rows=tuple(rows),
        weeks=tuple(weeks),
        bars_x=LABEL_WIDTH,
        value_x=bars_end + 6,
    )
