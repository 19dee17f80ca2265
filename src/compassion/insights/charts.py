"""Server-rendered SVG charts with a title and description; PNG copies drawn from the SVG."""

from __future__ import annotations

import math
from html import escape

from compassion.insights.tables import Chart

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 20, 44
# Colours with at least 3:1 contrast against white, distinguishable in greyscale by dash.
COLOURS = ["#1f5f8b", "#a4262c", "#1e6b3a", "#7a4b00", "#5b3f8c", "#3d4a5c"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]
FONT = "DejaVu Sans, Arial, sans-serif"


def format_tick(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f}%"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def nice_ceiling(value: float, unit: str) -> float:
    if unit == "%":
        return 1.0
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (also valid inline in HTML)."""
    height = HEIGHT + 16 * (legend_rows(chart) - 1)
    values = [v for s in chart.series for v in s.values if v is not None]
    top = nice_ceiling(max(values, default=0), chart.unit)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    chart_id = escape(chart.slug)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" font-size="12">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(chart))}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d9dde3" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5566">'
            f"{format_tick(value, chart.unit)}</text>"
        )
    count = max(len(chart.labels), 1)
    slot = plot_w / count
    ticks = tick_labels(chart.labels)
    widest = max((len(t) for t in ticks), default=1) * 7 + 6
    every = max(1, math.ceil(widest / slot))
    for index, label in enumerate(ticks):
        if index % every:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#4a5566">'
            f"{escape(label)}</text>"
        )
    if chart.kind == "bar":
        parts += bars(chart, top, slot, plot_h)
    else:
        parts += lines(chart, top, slot, plot_h)
    parts += legend(chart)
    parts.append("</svg>")
    return "".join(parts)


def tick_labels(labels: list[str]) -> list[str]:
    """Month labels ('Dec 2025') shortened to 'Dec', with the year where it changes."""
    ticks, year = [], ""
    for label in labels:
        parts = label.split(" ")
        if len(parts) == 2 and len(parts[0]) == 3 and parts[1].isdigit():
            ticks.append(parts[0] if parts[1] == year else f"{parts[0]} {parts[1][2:]}")
            year = parts[1]
        else:
            ticks.append(label if len(label) <= 14 else label[:13] + "…")
    return ticks


def y_of(value: float, top: float, plot_h: float) -> float:
    return TOP + plot_h - plot_h * (value / top if top else 0)


def lines(chart: Chart, top: float, slot: float, plot_h: float) -> list[str]:
    parts = []
    for number, series in enumerate(chart.series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        points = [
            (LEFT + slot * (i + 0.5), y_of(v, top, plot_h))
            for i, v in enumerate(series.values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
    return parts


def bars(chart: Chart, top: float, slot: float, plot_h: float) -> list[str]:
    parts = []
    groups = max(len(chart.series), 1)
    width = slot * 0.7 / groups
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        for index, value in enumerate(series.values):
            if value is None:
                continue
            x = LEFT + slot * index + slot * 0.15 + width * number
            y = y_of(value, top, plot_h)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{TOP + plot_h - y:.1f}" fill="{colour}"/>'
            )
    return parts


def legend(chart: Chart) -> list[str]:
    if len(chart.series) < 2:
        return []
    parts = []
    x, y = LEFT, HEIGHT - 16
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        width = 24 + 7 * len(series.label)
        if x + width > WIDTH and x > LEFT:
            x, y = LEFT, y + 16
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y + 10}" fill="#1d2430">{escape(series.label)}</text>'
        )
        x += width
    return parts


def legend_rows(chart: Chart) -> int:
    if len(chart.series) < 2:
        return 1
    rows, x = 1, LEFT
    for series in chart.series:
        width = 24 + 7 * len(series.label)
        if x + width > WIDTH and x > LEFT:
            rows, x = rows + 1, LEFT
        x += width
    return rows


def describe(chart: Chart) -> str:
    """A one-sentence text alternative: the latest and the first value of each series."""
    sentences = []
    for series in chart.series:
        known = [
            (label, v)
            for label, v in zip(chart.labels, series.values, strict=True)
            if v is not None
        ]
        if not known:
            continue
        (first_label, first), (last_label, last) = known[0], known[-1]
        sentences.append(
            f"{series.label}: {format_value(first, chart.unit)} in {first_label}, "
            f"{format_value(last, chart.unit)} in {last_label}."
        )
    return " ".join(sentences) or "No data yet."


def format_value(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f}%"
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def render_png(chart: Chart) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=render_svg(chart).encode(), output_width=WIDTH * 2)
