"""Trajectory charts drawn on the server as SVG: the planned path against the actual values.

Every chart has a title and a description; pages show the same figures in a table too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from compassion.commitments.models import Commitment, TrajectoryPoint

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36
ROUND_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
PLANNED_COLOUR = "#4a5566"
ACTUAL_COLOUR = "#1f5f8b"


def nice_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, ... 10 times a power of ten) >= `value`."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in ROUND_STEPS if step * magnitude >= value)


class Scale:
    """Maps dates and values to the drawing area."""

    def __init__(self, first: date, last: date, top_value: float, bottom_value: float) -> None:
        self.first = first
        self.days = max(1, (last - first).days)
        self.top_value = top_value
        self.bottom_value = bottom_value

    def x(self, day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first).days / self.days

    def y(self, value: float) -> float:
        span = (self.top_value - self.bottom_value) or 1
        return TOP + (HEIGHT - TOP - BOTTOM) * (self.top_value - value) / span


def polyline(scale: Scale, points: Sequence[tuple[date, float]], colour: str, dashed: bool) -> str:
    coords = " ".join(f"{scale.x(d):.1f},{scale.y(v):.1f}" for d, v in points)
    dash = ' stroke-dasharray="6 5"' if dashed else ""
    return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'


def trajectory_svg(
    commitment: Commitment, points: Sequence[TrajectoryPoint], today: date
) -> SafeString:
    """The chart of one commitment's trajectory, or an empty string when there is nothing."""
    planned = [(p.on, p.planned) for p in points if p.planned is not None]
    actual = [(p.on, p.actual) for p in points if p.actual is not None]
    if not planned and not actual:
        return mark_safe("")
    start = commitment.made_on
    if planned and start and start < planned[0][0]:
        # The planned path starts from the starting value on the day the promise was made.
        planned.insert(0, (start, commitment.metric_baseline))
    days = [d for d, _ in planned + actual]
    days += [d for d in (start, commitment.deadline) if isinstance(d, date)]
    values = [v for _, v in planned + actual] + [commitment.metric_baseline]
    if commitment.metric_target is not None:
        values.append(commitment.metric_target)
    top = nice_ceiling(max(values) * 1.05)
    bottom = min(0.0, min(values))
    scale = Scale(min(days), max(days), top, bottom)
    label = commitment.metric_label or "value"
    title = f"Trajectory of {commitment.title}: {label}"
    description = describe(commitment, planned, actual)
    parts = [
        f'<svg class="trajectory" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="t{commitment.pk} d{commitment.pk}">',
        f'<title id="t{commitment.pk}">{escape(title)}</title>',
        f'<desc id="d{commitment.pk}">{escape(description)}</desc>',
    ]
    parts += axes(scale, min(days), max(days))
    if commitment.metric_target is not None:
        y = scale.y(commitment.metric_target)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#1e6b3a" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y - 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#1e6b3a">Target {nice_number(commitment.metric_target)}</text>'
        )
    if min(days) <= today <= max(days):
        x = scale.x(today)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
            'stroke="#a4262c" stroke-width="1"/>'
            f'<text x="{x + 3:.1f}" y="{TOP + 10}" font-size="11" fill="#a4262c">Today</text>'
        )
    if planned:
        parts.append(polyline(scale, planned, PLANNED_COLOUR, dashed=True))
    if actual:
        parts.append(polyline(scale, actual, ACTUAL_COLOUR, dashed=False))
        parts += [
            f'<circle cx="{scale.x(d):.1f}" cy="{scale.y(v):.1f}" r="3.5" fill="{ACTUAL_COLOUR}"/>'
            for d, v in actual
        ]
    parts.append(legend())
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def axes(scale: Scale, first: date, last: date) -> list[str]:
    bottom_y = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom_y}" y2="{bottom_y}" '
        'stroke="#6b7685"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom_y}" stroke="#6b7685"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = scale.bottom_value + (scale.top_value - scale.bottom_value) * fraction
        y = scale.y(value)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#4a5566">{nice_number(value)}</text>'
        )
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f'<text x="{scale.x(day):.1f}" y="{bottom_y + 18}" text-anchor="{anchor}" '
            f'font-size="11" fill="#4a5566">{day:%b %Y}</text>'
        )
    return parts


def legend() -> str:
    y = HEIGHT - 8
    return (
        f'<line x1="{LEFT + 150}" x2="{LEFT + 180}" y1="{y - 4}" y2="{y - 4}" '
        f'stroke="{PLANNED_COLOUR}" stroke-width="2.5" stroke-dasharray="6 5"/>'
        f'<text x="{LEFT + 186}" y="{y}" font-size="11" fill="#4a5566">Planned</text>'
        f'<line x1="{LEFT + 250}" x2="{LEFT + 280}" y1="{y - 4}" y2="{y - 4}" '
        f'stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>'
        f'<text x="{LEFT + 286}" y="{y}" font-size="11" fill="#4a5566">Actual</text>'
    )


def describe(
    commitment: Commitment,
    planned: Sequence[tuple[date, float]],
    actual: Sequence[tuple[date, float]],
) -> str:
    """One sentence a screen reader can read instead of the chart."""
    label = commitment.metric_label or "value"
    sentences = []
    if actual:
        day, value = actual[-1]
        sentences.append(f"Latest actual: {nice_number(value)} {label} on {day:%-d %B %Y}.")
        due = [v for d, v in planned if d <= day]
        if due:
            sentences.append(f"Planned by then: {nice_number(due[-1])}.")
    else:
        sentences.append("No actual values recorded yet.")
    if commitment.metric_target is not None:
        sentences.append(f"Target: {nice_number(commitment.metric_target)} {label}.")
    return " ".join(sentences)
