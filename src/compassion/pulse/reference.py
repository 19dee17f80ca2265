"""National reference figures: the published results an office compares its pulse with.

No figures are shipped. The NHS Staff Survey publishes its national results each spring
(nhsstaffsurveys.com), and a reference line is only worth showing if it is the published
figure, so an administrator loads them from a small CSV:

    code,value
    q9f,70.2
    compassionate_leadership,7.03

A row whose code is an item (q9f) gives that item's % positive as this product counts it
(agree or strongly agree; for the reversed morale items 24a-c, disagree or strongly
disagree). A row whose code is an instrument gives its scale score on the instrument's own
range (the NHS sub-score, 0 to 10). The figures are stored in the data folder, beside the
database, and apply to every office of the installation.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings

from compassion.pulse.instruments import BY_CODE, INSTRUMENTS, Instrument, all_items

FILE_NAME = "pulse_reference.json"


class ReferenceError(ValueError):
    """A reference file that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Reference:
    label: str
    source: str
    # Instrument code -> item code (or "scale") -> value.
    figures: dict[str, dict[str, float]]


def reference_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def load_reference() -> Reference | None:
    """The loaded figures, or None when none have been loaded."""
    path = reference_path()
    if not path.exists():
        return None
    stored = json.loads(path.read_text(encoding="utf-8"))
    return Reference(stored["label"], stored["source"], stored["figures"])


def save_reference(reference: Reference) -> None:
    """Write the figures whole, through a temporary file, so a failure leaves the old ones."""
    path = reference_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps(
            {"label": reference.label, "source": reference.source, "figures": reference.figures},
            indent=2,
        ),
        encoding="utf-8",
    )
    temporary.replace(path)


def clear_reference() -> None:
    reference_path().unlink(missing_ok=True)


_ITEM_INSTRUMENT = {item.code: instrument for instrument, item in all_items()}


def parse_reference_csv(text: str, label: str, source: str) -> Reference:
    """Read `code,value` rows; refuse the whole file on the first row that cannot be used."""
    if not label.strip() or not source.strip():
        raise ReferenceError(
            "Say what the figures are (label) and where they were published (source)."
        )
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"code", "value"} <= set(rows[0]):
        raise ReferenceError("The file needs a header row with the columns code and value.")
    figures: dict[str, dict[str, float]] = {}
    for line, row in enumerate(rows, start=2):
        instrument, key, value = _parse_row(row, line)
        if key in figures.get(instrument.code, {}):
            raise ReferenceError(f"Line {line}: {row['code']} appears twice.")
        figures.setdefault(instrument.code, {})[key] = value
    return Reference(label.strip(), source.strip(), figures)


def _parse_row(row: dict[str, str], line: int) -> tuple[Instrument, str, float]:
    code = (row.get("code") or "").strip().lower()
    try:
        value = float((row.get("value") or "").strip().rstrip("%"))
    except ValueError:
        raise ReferenceError(f"Line {line}: {row.get('value')!r} is not a number.") from None
    if code in BY_CODE:
        instrument = BY_CODE[code]
        low, high, key = instrument.low, instrument.high, "scale"
    elif code in _ITEM_INSTRUMENT:
        instrument, low, high, key = _ITEM_INSTRUMENT[code], 0.0, 100.0, code
    else:
        known = ", ".join(sorted([*BY_CODE, *_ITEM_INSTRUMENT]))
        raise ReferenceError(
            f"Line {line}: {code!r} is not a question or scale. Use one of: {known}."
        )
    if not low <= value <= high:
        raise ReferenceError(
            f"Line {line}: {code} must be between {low:g} and {high:g}, not {value:g}."
        )
    return instrument, key, value


def with_reference(reference: Reference | None) -> tuple[Instrument, ...]:
    """The instruments, each carrying the loaded figures that concern it."""
    if reference is None:
        return INSTRUMENTS
    return tuple(
        replace(
            instrument,
            reference=reference.figures[instrument.code],
            reference_label=reference.label,
        )
        if instrument.code in reference.figures
        else instrument
        for instrument in INSTRUMENTS
    )
