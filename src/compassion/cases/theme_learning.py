"""Staff theme corrections: recorded, learned by each office's own theme model, and reported.

A caseworker who changes a message's theme records a `ThemeCorrection`. The office's
`ThemeModel` is refitted from its corrections (about 3 seconds) in the analysis run and by
`compassion themes refit`, never inside a web request, and saved under
`DATA_DIR/models/office-<id>/` as npz + JSON. Loading it, the corrected messages are read
from the database again, so an erased message stops steering the model at once.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.signals import request_finished, request_started
from django.db.models import Count, Max
from django.dispatch import receiver
from django.utils import timezone

from compassion.cases.models import ThemeCorrection
from compassion.core.models import Office
from compassion.core.themes import Theme
from compassion.lens.analyse import Lens
from compassion.lens.features import featurize
from compassion.lens.linear import LinearModel
from compassion.lens.themes import CorrectionReport, ThemeModel, correction_rate
from compassion.voices.models import Voice

REPORT_DAYS = 90
STATE_FILE = "office.json"
MODEL_NAME = "themes"
LENS_CACHE_SIZE = 8

_LENSES: OrderedDict[int, tuple[tuple[Any, ...], Lens]] = OrderedDict()

_web = threading.local()


@receiver(request_started)
def _request_started(**kwargs: Any) -> None:
    _web.in_request = True


@receiver(request_finished)
def _request_finished(**kwargs: Any) -> None:
    _web.in_request = False


def in_web_request() -> bool:
    """True while this thread serves a web request: a refit would keep a person waiting."""
    return getattr(_web, "in_request", False)


# ---------------------------------------------------------------------------
# Recording


def record_correction(voice: Voice, theme: str, user: AbstractBaseUser | None) -> ThemeCorrection:
    """Give the message the theme a person chose, remembering the lens's original theme."""
    first = voice.theme_corrections.order_by("corrected_at", "pk").first()
    correction = ThemeCorrection.objects.create(
        office_id=voice.office_id,
        voice=voice,
        lens_theme=first.lens_theme if first else voice.theme,
        staff_theme=theme,
        corrected_by=user,
    )
    voice.theme = theme
    voice.theme_confidence = None  # a person's choice, not a probability
    Voice.objects.filter(pk=voice.pk).update(theme=theme, theme_confidence=None)
    return correction


# ---------------------------------------------------------------------------
# Learning


def model_dir(office: Office) -> Path:
    return Path(settings.DATA_DIR) / "models" / f"office-{office.pk}"


def latest_corrections(office: Office) -> list[ThemeCorrection]:
    """Each corrected message's latest correction (a person may change their mind)."""
    latest: dict[int, ThemeCorrection] = {}
    corrections = ThemeCorrection.objects.filter(office=office).select_related("voice")
    for correction in corrections.order_by("corrected_at", "pk"):
        latest[correction.voice_id] = correction
    return list(latest.values())


def training_pairs(office: Office) -> list[tuple[str, str]]:
    """(message text as the analysis reads it, the theme staff chose)."""
    from compassion.voices.analysis import voice_text

    return [(voice_text(c.voice), c.staff_theme) for c in latest_corrections(office)]


def corrections_signature(office: Office) -> dict[str, int]:
    """What a fitted model learned from: a new, changed or erased correction changes it."""
    figures = ThemeCorrection.objects.filter(office=office).aggregate(
        count=Count("pk"), last=Max("pk")
    )
    return {"corrections": figures["count"], "last_correction_id": figures["last"] or 0}


def saved_state(office: Office) -> dict[str, Any] | None:
    path = model_dir(office) / STATE_FILE
    return json.loads(path.read_text()) if path.exists() else None


def needs_refit(office: Office) -> bool:
    return is_stale(saved_state(office), corrections_signature(office))


def is_stale(state: dict[str, Any] | None, signature: dict[str, int]) -> bool:
    """True when the saved fit (if any) learned from other corrections than there are now."""
    state = state or {"corrections": 0, "last_correction_id": 0}
    return {key: state.get(key) for key in signature} != signature


def refit(office: Office) -> int:
    """Fit the office's theme model on its corrections and save it; returns how many
    messages it learned from. With no corrections left, the saved model is removed."""
    signature = corrections_signature(office)
    pairs = training_pairs(office)
    directory = model_dir(office)
    if not pairs:
        shutil.rmtree(directory, ignore_errors=True)
        return 0
    model = ThemeModel().fit(pairs).model_
    # Each fit is saved under a new name and announced by replacing the state file in one
    # step, so another process reading the model meanwhile never sees half a file.
    model.name = f"{MODEL_NAME}-{signature['last_correction_id']}-{time.time_ns()}"
    directory.mkdir(parents=True, exist_ok=True)
    model.save(directory)
    state = {
        **signature,
        "learned_from": len(pairs),
        "refitted_at": timezone.now().isoformat(),
        "model": model.name,
    }
    written = directory / f"{STATE_FILE}.{model.name}"
    written.write_text(json.dumps(state, indent=2))
    written.replace(directory / STATE_FILE)
    for stale in directory.glob(f"{MODEL_NAME}-*"):
        if stale.stem != model.name:
            stale.unlink(missing_ok=True)
    return len(pairs)


def office_lens(office: Office) -> Lens | None:
    """A lens reading with the office's theme model, or None to use the shipped lens.

    The model is refitted first when corrections changed since the last fit, but never
    during a web request. Building a lens loads every model (a few tenths of a second), so
    the last few are kept while neither the saved model nor the office's corrections change.
    """
    state = saved_state(office)
    signature = corrections_signature(office)
    if is_stale(state, signature) and not in_web_request():
        refit(office)
        state = saved_state(office)
    if state is None:
        return None
    key = (state.get("refitted_at"), *signature.values())
    cached = _LENSES.get(office.pk)
    if cached and cached[0] == key:
        _LENSES.move_to_end(office.pk)
        return cached[1]
    lens = Lens(theme_model=model_from_state(office, state))
    _LENSES[office.pk] = (key, lens)
    while len(_LENSES) > LENS_CACHE_SIZE:
        _LENSES.popitem(last=False)
    return lens


def load_office_model(office: Office) -> ThemeModel | None:
    """The office's fitted theme model, or None to use the shipped one."""
    state = saved_state(office)
    return None if state is None else model_from_state(office, state)


def model_from_state(office: Office, state: dict[str, Any]) -> ThemeModel:
    """The fitted model the state file names, with the corrected messages read afresh."""
    pairs = training_pairs(office)
    model = ThemeModel()
    model.model_ = LinearModel.load(state["model"], model_dir(office))
    model.n_corrections_ = len(pairs)
    model.corrected_features_ = featurize([text for text, _ in pairs]) if pairs else None
    model.corrected_themes_ = [theme for _, theme in pairs]
    return model


# ---------------------------------------------------------------------------
# Reporting


@dataclass
class ThemeReport:
    days: int
    figures: CorrectionReport
    most_common_change: tuple[str, str] | None
    learned_from: int
    refitted_at: datetime | None
    waiting: int  # theme changes made since the last refit

    @property
    def percent(self) -> float:
        return round(self.figures.rate * 100, 1)

    @property
    def change_labels(self) -> tuple[str, str] | None:
        """The most common change in words, e.g. ("Housing and repairs", "Benefits ...")."""
        if self.most_common_change is None:
            return None
        before, after = self.most_common_change
        return Theme(before).label, Theme(after).label


def theme_report(office: Office, now: datetime | None = None) -> ThemeReport:
    """How often staff changed the lens's theme on messages they reviewed (read or
    corrected) in the last `REPORT_DAYS` days, and what the office model has learned.

    A theme without a confidence was chosen by a person (a phone note filed under a theme,
    a campaign's theme), so it is not one of the lens's decisions."""
    now = now or timezone.now()
    since = now - timedelta(days=REPORT_DAYS)
    corrected = {c.voice_id: c for c in first_corrections(office, since)}
    reviewed = (
        Voice.objects.filter(office=office, read_at__gte=since, theme_confidence__isnull=False)
        .exclude(theme="")
        .exclude(pk__in=corrected)
        .values_list("theme", flat=True)
    )
    decisions = [(theme, theme) for theme in reviewed]
    decisions += [(c.lens_theme, c.voice.theme) for c in corrected.values()]
    changes = Counter(pair for pair in decisions if pair[0] != pair[1]).most_common(1)
    state = saved_state(office) or {}
    refitted = state.get("refitted_at")
    waiting = ThemeCorrection.objects.filter(
        office=office, pk__gt=state.get("last_correction_id", 0)
    ).count()
    return ThemeReport(
        days=REPORT_DAYS,
        figures=correction_rate(decisions),
        most_common_change=changes[0][0] if changes else None,
        learned_from=state.get("learned_from", 0),
        refitted_at=datetime.fromisoformat(refitted) if refitted else None,
        waiting=waiting,
    )


def first_corrections(office: Office, since: datetime) -> list[ThemeCorrection]:
    """The first correction of each message corrected in the window (it holds the lens's
    theme), for messages the lens had themed."""
    voices = ThemeCorrection.objects.filter(office=office, corrected_at__gte=since).values("voice")
    first: dict[int, ThemeCorrection] = {}
    rows = (
        ThemeCorrection.objects.filter(voice__in=voices, office=office)
        .exclude(lens_theme="")
        .select_related("voice")
        .order_by("-corrected_at", "-pk")
    )
    for correction in rows:
        first[correction.voice_id] = correction
    return list(first.values())
