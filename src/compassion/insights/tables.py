"""The shapes every figure takes: a table (shown, exported as CSV and XLSX) and a chart."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    note: str = ""


@dataclass
class Series:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    """A chart of one or more series over labelled points (months, themes, channels)."""

    slug: str
    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""  # "%" for shares in 0..1, otherwise a word such as "hours"
    kind: str = "line"  # "line" or "bar"

    def as_table(self) -> Table:
        """The chart's text alternative, also what its CSV and XLSX downloads hold."""
        columns = ["", *[s.label for s in self.series]]
        rows = []
        for index, label in enumerate(self.labels):
            row: list[object] = [label]
            for s in self.series:
                value = s.values[index]
                if value is not None and self.unit == "%":
                    value = round(value * 100, 1)
                elif isinstance(value, float):
                    value = round(value, 1)
                row.append(value)
            rows.append(row)
        if self.unit == "%":
            columns = ["", *[f"{s.label} (%)" for s in self.series]]
        elif self.unit:
            columns = ["", *[f"{s.label} ({self.unit})" for s in self.series]]
        return Table(self.slug, self.title, columns, rows)


@dataclass
class Figure:
    value: str
    label: str
    key: str = ""
    tone: str = ""  # "", "warn" or "alert"

    @property
    def in_words(self) -> bool:
        """A figure given in words (a theme's name) is set smaller than a number."""
        return not any(character.isdigit() for character in self.value)


@dataclass
class Panel:
    slug: str
    title: str
    question: str
    sentences: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
