"""The SVG charts are well-formed, described in words, and colour reversed items truly."""

import xml.etree.ElementTree as ET

from compassion.pulse import charts
from compassion.pulse.instruments import AGREEMENT_5

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    return root


def test_trend_draws_points_intervals_and_reference_lines() -> None:
    points = [charts.Point("Jan", 6.0, 5.0, 7.0), charts.Point("Feb–Mar", 4.5, 3.0, 6.0)]
    root = parse(
        charts.trend(points, 0, 10, "Trend <&>", reference=7.02, reference_label="NHS", benchmark=5)
    )
    assert root.find(f"{SVG}title").text == "Trend <&>"
    assert len(root.findall(f"{SVG}circle")) == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "NHS: 7.0" in texts and "Offices of this installation: 5.0" in texts
    assert root.find(f"{SVG}desc").text == "Jan: 6.00; Feb–Mar: 4.50"


def test_stacked_items_flip_colours_for_reversed_items() -> None:
    root = parse(
        charts.stacked_items(
            [("A", [5, 0, 0, 0, 0], False), ("B", [5, 0, 0, 0, 0], True)], AGREEMENT_5, "Spread"
        )
    )
    fills = [r.get("fill") for r in root.findall(f"{SVG}rect")][:2]
    assert fills == [charts.DIVERGING[5][0], charts.DIVERGING[5][-1]]


def test_gap_and_bands_render_with_missing_values() -> None:
    parse(charts.gap([("Helping", None, charts.Point("", 5.0, 3.0, 7.0))], "Gap"))
    parse(charts.gap([("Helping", 10.0, charts.Point("", None))], "Gap"))
    root = parse(charts.bands([("0–2", 0), ("2–4", 3)], "Bands"))
    assert root.find(f"{SVG}desc").text == "0–2: 0; 2–4: 3"
