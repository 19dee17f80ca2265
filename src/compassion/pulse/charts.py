"""Server-rendered SVG charts for pulse results. Plain Python; no JavaScript, prints in PDF.

Each chart has a <title> and <desc>; the page always shows the same figures in a table too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK = "#1d2430"
MUTED = "#4a5566"
LINE = "#d9dde3"
ACCENT = "#1f5f8b"
BAND = "#cfe0ee"
REFERENCE = "#7a4b00"
SELF = "#a4262c"
# Diverging colours from the worst option to the best, readable on white.
DIVERGING = {
    5: ["#a4262c", "#e39a9d", "#d9dde3", "#8fb8d6", "#1f5f8b"],
    7: ["#a4262c", "#d2686d", "#efc4c6", "#d9dde3", "#b5d0e4", "#6c9fc4", "#1f5f8b"],
}


@dataclass
class Point:
    label: str
    mean: float | None
    low: float | None = None
    high: float | None = None


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", fill: str = MUTED):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-family="system-ui, sans-serif">{escape(text)}</text>'
    )


def trend(
    points: Sequence[Point],
    low: float,
    high: float,
    title: str,
    reference: float | None = None,
    reference_label: str = "",
    benchmark: float | None = None,
) -> str:
    """Means over time with their 95% intervals, and reference lines where there are any."""
    width, height, left, right, top, bottom = 640, 250, 44, 40, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    def x(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(points) - 1)

    body = []
    for tick in range(5):
        value = low + (high - low) * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, y(value) + 4, f"{value:g}", 11, "end"))
    band = [(x(i), p) for i, p in enumerate(points) if p.low is not None and p.high is not None]
    if len(band) > 1:
        upper = " ".join(f"{bx:.1f},{y(p.high):.1f}" for bx, p in band)
        lower = " ".join(f"{bx:.1f},{y(p.low):.1f}" for bx, p in reversed(band))
        body.append(f'<polygon points="{upper} {lower}" fill="{BAND}" opacity="0.8"/>')
    for bx, p in band:
        body.append(
            f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{y(p.low):.1f}" y2="{y(p.high):.1f}" '
            f'stroke="{ACCENT}" stroke-width="1.5"/>'
        )
    for value, label, colour, dash in [
        (reference, reference_label, REFERENCE, "6 4"),
        (benchmark, "Offices of this installation", MUTED, "2 3"),
    ]:
        if value is None:
            continue
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
        )
        body.append(_text(width - right, y(value) - 5, f"{label}: {value:.1f}", 11, "end", colour))
    line = [(x(i), p.mean) for i, p in enumerate(points) if p.mean is not None]
    if len(line) > 1:
        path = " ".join(f"{lx:.1f},{y(m):.1f}" for lx, m in line)
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>')
    for lx, m in line:
        body.append(f'<circle cx="{lx:.1f}" cy="{y(m):.1f}" r="4" fill="{ACCENT}"/>')
    crowded = len(points) > 6
    for index, p in enumerate(points):
        # Labels alternate between two rows when there are many, so they never overlap.
        row = 1 if crowded and index % 2 else 0
        body.append(_text(x(index), height - 26 + 14 * row, p.label, 11, "middle"))
    desc = "; ".join(
        f"{p.label}: {p.mean:.2f}" if p.mean is not None else f"{p.label}: no score" for p in points
    )
    return _svg(width, height, title, desc, body)


def stacked_items(
    rows: Sequence[tuple[str, Sequence[int], bool]], options: Sequence[str], title: str
) -> str:
    """How the answers to each item spread over the options (not only the mean).

    Each row is (label, counts per option, reversed). Colours run from the least favourable
    answer (red) to the most favourable (blue), so a reversed item's colours are flipped.
    """
    width, row_h, left, top = 640, 26, 60, 8
    colours = DIVERGING.get(len(options), DIVERGING[5])
    legend_h = 22 * ((len(options) + 2) // 3)
    height = top + row_h * len(rows) + 12 + legend_h
    plot_w = width - left - 10
    body = []
    for index, (label, counts, reverse) in enumerate(rows):
        total = sum(counts) or 1
        shades = list(reversed(colours)) if reverse else colours
        y = top + index * row_h
        body.append(_text(left - 6, y + 16, label, 12, "end", INK))
        start = left
        for option, count in enumerate(counts):
            w = plot_w * count / total
            if w <= 0:
                continue
            body.append(
                f'<rect x="{start:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                f'fill="{shades[option]}"/>'
            )
            if w > 18:
                colour = "#ffffff" if option in (0, len(options) - 1) else INK
                body.append(_text(start + w / 2, y + 17, str(count), 11, "middle", colour))
            start += w
    legend_top = top + row_h * len(rows) + 12
    for option, label in enumerate(options):
        lx = left + (option % 3) * 200
        ly = legend_top + (option // 3) * 22
        body.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colours[option]}"/>')
        body.append(_text(lx + 18, ly + 11, label, 11))
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{o} {c}" for o, c in zip(options, counts, strict=True))
        for label, counts, _ in rows
    )
    return _svg(width, height, title, desc, body)


def gap(
    rows: Sequence[tuple[str, float | None, Point]],
    title: str,
    self_label: str = "Your self-view",
) -> str:
    """The leader's self-view (red diamond) beside the team's view (blue dot with interval)."""
    width, row_h, left, right, top = 640, 36, 120, 20, 24
    height = top + row_h * len(rows) + 28
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + plot_w * value / 10

    body = []
    for tick in range(0, 11, 2):
        body.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" '
            f'y2="{top + row_h * len(rows)}" stroke="{LINE}"/>'
        )
        body.append(_text(x(tick), top - 10, str(tick), 11, "middle"))
    for index, (label, self_score, team) in enumerate(rows):
        cy = top + index * row_h + row_h / 2
        body.append(_text(left - 8, cy + 4, label, 12, "end", INK))
        if team.low is not None and team.high is not None:
            body.append(
                f'<line x1="{x(team.low):.1f}" x2="{x(team.high):.1f}" y1="{cy:.1f}" '
                f'y2="{cy:.1f}" stroke="{ACCENT}" stroke-width="3" opacity="0.5"/>'
            )
        if team.mean is not None:
            body.append(f'<circle cx="{x(team.mean):.1f}" cy="{cy:.1f}" r="6" fill="{ACCENT}"/>')
        if self_score is not None:
            sx = x(self_score)
            body.append(
                f'<path d="M{sx:.1f},{cy - 7:.1f} L{sx + 7:.1f},{cy:.1f} L{sx:.1f},{cy + 7:.1f} '
                f'L{sx - 7:.1f},{cy:.1f} Z" fill="{SELF}"/>'
            )
    legend_y = top + row_h * len(rows) + 18
    body.append(f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="5" fill="{ACCENT}"/>')
    body.append(_text(left + 16, legend_y, "Team's view (with 95% interval)", 11))
    mx, my = left + 256, legend_y - 4
    body.append(
        f'<path d="M{mx},{my - 6} L{mx + 6},{my} L{mx},{my + 6} L{mx - 6},{my} Z" fill="{SELF}"/>'
    )
    body.append(_text(left + 266, legend_y, self_label, 11))
    desc = "; ".join(
        f"{label}: self {'none' if s is None else f'{s:.1f}'}, team "
        f"{'none' if t.mean is None else f'{t.mean:.1f}'}"
        for label, s, t in rows
    )
    return _svg(width, height, title, desc, body)


def bands(rows: Sequence[tuple[str, int]], title: str) -> str:
    """How many people's scale scores fall in each band: the spread behind the mean."""
    width, height, left, bottom, top = 320, 150, 10, 36, 10
    most = max((count for _, count in rows), default=0) or 1
    slot = (width - 2 * left) / max(1, len(rows))
    body = []
    for index, (label, count) in enumerate(rows):
        h = (height - top - bottom) * count / most
        bx = left + index * slot
        by = height - bottom - h
        body.append(
            f'<rect x="{bx + 4:.1f}" y="{by:.1f}" width="{slot - 8:.1f}" height="{h:.1f}" '
            f'fill="{ACCENT}"/>'
        )
        body.append(_text(bx + slot / 2, by - 3, str(count), 11, "middle", INK))
        body.append(_text(bx + slot / 2, height - bottom + 14, label, 10, "middle"))
    desc = "; ".join(f"{label}: {count}" for label, count in rows)
    return _svg(width, height, title, desc, body)
