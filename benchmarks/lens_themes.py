"""Theme discovery and mapping on ThemeFinder's gambling consultation (question part 1).

100 synthetic consultation responses, each coded with one or more of the human-style
themes in themes.json (i.AI ThemeFinder evaluation data, MIT licence).

- Discovery: `discover_themes` is asked for as many themes as were coded. Each coded
  theme is matched with the discovered theme whose members overlap it best (F1 of the two
  member sets); the mean of those F1s says how well discovery recovers the coded themes.
- Mapping: `map_to_themes` maps each response to the coded themes from their labels and
  descriptions alone; micro precision and recall against the coded mapping. A baseline
  that maps every response to the most frequent theme is printed alongside.

Run: .venv/bin/python benchmarks/lens_themes.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from compassion.lens import discover_themes
from compassion.lens.themes import map_to_themes

PART = "question_part_1"


def load(data: Path) -> tuple[list[str], list[set[str]], list[dict]]:
    root = data / "themefinder_gambling_xs"
    responses = [
        json.loads(line)
        for line in (root / "inputs" / PART / "responses.jsonl").read_text().splitlines()
    ]
    outputs = next((root / "outputs" / "mapping").iterdir()) / PART
    mapping = {
        row["response_id"]: set(row["labels"])
        for row in map(json.loads, (outputs / "mapping.jsonl").read_text().splitlines())
    }
    themes = json.loads((outputs / "themes.json").read_text())
    texts = [r["response"] for r in responses]
    labels = [mapping.get(r["response_id"], set()) for r in responses]
    return texts, labels, themes


def f1(first: set[int], second: set[int]) -> float:
    overlap = len(first & second)
    return 2 * overlap / (len(first) + len(second)) if overlap else 0.0


def micro(predicted: list[set[str]], gold: list[set[str]]) -> tuple[float, float]:
    right = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    return right / max(1, sum(map(len, predicted))), right / max(1, sum(map(len, gold)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    texts, labels, themes = load(args.data)
    used = {label for row in labels for label in row}
    themes = [theme for theme in themes if theme["topic_id"] in used]
    ids = [theme["topic_id"] for theme in themes]
    coded = {i: {n for n, row in enumerate(labels) if i in row} for i in ids}
    print(
        f"{len(texts)} responses, {len(ids)} coded themes, "
        f"{sum(map(len, labels)) / len(texts):.1f} themes per response"
    )

    discovered = discover_themes(texts, n_themes=len(ids), random_state=0)
    print("Discovery: best-matching discovered theme for each coded theme")
    scores = []
    for theme in themes:
        members = coded[theme["topic_id"]]
        best = max(discovered, key=lambda d: f1(members, set(d.members)))
        scores.append(f1(members, set(best.members)))
        print(
            f"  {theme['topic_label'][:40]:40} ({len(members):3}) -> "
            f"{best.label[:40]:40} F1 {scores[-1]:.2f}"
        )
    print(f"  mean F1 {sum(scores) / len(scores):.3f}")
    for theme in discovered[:3]:
        print(
            f"  e.g. [{theme.label}] {len(theme.members)} responses; quote: "
            f"{theme.quotes[0][:90]!r}"
        )

    descriptions = [theme["topic"] for theme in themes]
    mapped = [{ids[i] for i in row} for row in map_to_themes(texts, descriptions)]
    precision, recall = micro(mapped, labels)
    print(f"Mapping to coded themes: micro precision {precision:.3f}, recall {recall:.3f}")
    top = Counter(label for row in labels for label in row).most_common(1)[0][0]
    precision, recall = micro([{top} for _ in texts], labels)
    print(
        f"  baseline (most frequent theme for all): precision {precision:.3f}, recall {recall:.3f}"
    )


if __name__ == "__main__":
    main()
