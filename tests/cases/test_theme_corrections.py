"""Staff correct the lens's themes; each office's theme model learns from them; the
correction rate is reported to managers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from compassion.cases import theme_learning
from compassion.cases.models import Case, ThemeCorrection
from compassion.cli import main
from compassion.core.models import AuditEntry, Office
from compassion.lens import ThemeModel
from compassion.voices import analysis
from compassion.voices.models import Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast

# This office files neighbour noise under Environment (its environmental health team
# handles it); the shipped model reads it as antisocial behaviour.
NOISE = [
    "My neighbours play loud music until 3am every weekend and environmental health have not "
    "come out to record it.",
    "The noise from the flat upstairs, banging and shouting late every night, means my "
    "children cannot sleep before school.",
    "A dog next door barks all day while the owners are at work and the noise team says it is "
    "not their problem.",
    "The extractor fan from the takeaway below my flat hums all night and the noise keeps me "
    "awake.",
    "Music and shouting from the flat next door every night until the early hours; I am exhausted.",
]
HELD_OUT = (
    "The pub on our corner has live bands outside until midnight and the noise carries "
    "straight into my bedroom."
)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def lens_read(office: Office, body: str, theme: str = "crime", **fields: Any) -> Voice:
    """A message the lens has read, in a case of its own."""
    case = make_case(office, theme=theme, subject="Noise at night", body=body)
    voice = case.voices.get()
    Voice.objects.filter(pk=voice.pk).update(
        theme=theme, theme_confidence=0.53, analysed_at=timezone.now(), **fields
    )
    voice.refresh_from_db()
    return voice


def correct_all(cast: Cast, theme: str = "environment") -> list[Voice]:
    voices = [lens_read(cast.office, body) for body in NOISE]
    for voice in voices:
        theme_learning.record_correction(voice, theme, cast.caseworker)
    return voices


# ---------------------------------------------------------------------------
# Recording


def test_a_caseworker_corrects_a_messages_theme(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[0])
    client.force_login(cast.caseworker)
    response = client.post(reverse("voices:theme", args=[voice.pk]), {"theme": "environment"})
    assert response.status_code == 302
    voice.refresh_from_db()
    assert (voice.theme, voice.theme_confidence) == ("environment", None)
    correction = ThemeCorrection.objects.get(voice=voice)
    assert (correction.office, correction.lens_theme, correction.staff_theme) == (
        cast.office,
        "crime",
        "environment",
    )
    assert correction.corrected_by == cast.caseworker
    entry = AuditEntry.objects.get(object_type="voice", object_id=str(voice.pk), action="change")
    assert entry.summary == "Theme corrected: Crime and antisocial behaviour → Environment"
    assert entry.user == cast.caseworker
    # The message opened its case, so the case follows.
    assert Case.objects.get(pk=voice.case_id).theme == "environment"
    page = client.get(reverse("voices:voice", args=[voice.pk])).content.decode()
    assert "(chosen by staff)" in page
    assert '<option value="environment" selected>' in page


def test_correcting_a_first_message_moves_the_case_and_its_filed_follow_ups(
    client: Any, cast: Cast
) -> None:
    voice = lens_read(cast.office, NOISE[0])
    Case.objects.filter(pk=voice.case_id).update(theme="crime")
    follow_up = Voice.objects.create(
        office=cast.office,
        case=voice.case,
        body="Any news?",
        theme="crime",
        received_at=voice.received_at + timedelta(days=2),
    )
    client.force_login(cast.caseworker)
    client.post(reverse("voices:theme", args=[voice.pk]), {"theme": "environment"})
    follow_up.refresh_from_db()
    assert follow_up.theme == Case.objects.get(pk=voice.case_id).theme == "environment"
    assert not ThemeCorrection.objects.filter(voice=follow_up).exists()


def test_a_second_change_still_remembers_the_lens_theme(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[0])
    client.force_login(cast.caseworker)
    url = reverse("voices:theme", args=[voice.pk])
    client.post(url, {"theme": "environment"})
    client.post(url, {"theme": "housing"})
    themes = ThemeCorrection.objects.order_by("pk").values_list("lens_theme", "staff_theme")
    assert list(themes) == [("crime", "environment"), ("crime", "housing")]


def test_changing_the_case_theme_corrects_its_first_message(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[1])
    filed = Voice.objects.create(
        office=cast.office,
        case=voice.case,
        body="Any news? It happened again last night.",
        theme="crime",
        received_at=voice.received_at + timedelta(days=2),
    )
    read_afresh = Voice.objects.create(
        office=cast.office,
        case=voice.case,
        body="Also, the bus stop outside has been smashed.",
        theme="crime",
        theme_confidence=0.61,
        received_at=voice.received_at + timedelta(days=3),
    )
    client.force_login(cast.caseworker)
    response = client.post(reverse("cases:theme", args=[voice.case_id]), {"theme": "environment"})
    assert response.status_code == 302
    assert Case.objects.get(pk=voice.case_id).theme == "environment"
    filed.refresh_from_db()
    read_afresh.refresh_from_db()
    assert (filed.theme, read_afresh.theme) == ("environment", "crime")
    correction = ThemeCorrection.objects.get()
    assert (correction.voice, correction.lens_theme, correction.staff_theme) == (
        voice,
        "crime",
        "environment",
    )
    summaries = set(AuditEntry.objects.filter(action="change").values_list("summary", flat=True))
    assert summaries == {
        "Theme: Crime and antisocial behaviour → Environment",
        "Theme corrected: Crime and antisocial behaviour → Environment",
    }


def test_only_staff_who_may_edit_change_a_theme(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[0])
    client.force_login(cast.volunteer)
    page = client.get(reverse("voices:voice", args=[voice.pk])).content.decode()
    assert "Change the theme" not in page
    response = client.post(reverse("voices:theme", args=[voice.pk]), {"theme": "environment"})
    assert response.status_code == 403
    response = client.post(reverse("cases:theme", args=[voice.case_id]), {"theme": "environment"})
    assert response.status_code == 403
    assert not ThemeCorrection.objects.exists()


def test_another_offices_message_is_not_found(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[0])
    client.force_login(cast.outsider)
    response = client.post(reverse("voices:theme", args=[voice.pk]), {"theme": "environment"})
    assert response.status_code == 404
    response = client.post(reverse("cases:theme", args=[voice.case_id]), {"theme": "environment"})
    assert response.status_code == 404
    voice.refresh_from_db()
    assert voice.theme == "crime"
    assert not ThemeCorrection.objects.exists()


def test_an_unknown_theme_changes_nothing(client: Any, cast: Cast) -> None:
    voice = lens_read(cast.office, NOISE[0])
    client.force_login(cast.caseworker)
    response = client.post(
        reverse("voices:theme", args=[voice.pk]), {"theme": "aliens"}, follow=True
    )
    assert "Nothing was changed" in response.content.decode()
    voice.refresh_from_db()
    assert voice.theme == "crime"
    assert not ThemeCorrection.objects.exists()


def test_erasing_a_message_erases_its_corrections_and_what_the_model_learned(
    cast: Cast,
) -> None:
    voices = correct_all(cast)
    theme_learning.refit(cast.office)
    for voice in voices:
        voice.delete()
    assert not ThemeCorrection.objects.exists()
    assert theme_learning.load_office_model(cast.office).corrected_features_ is None
    assert theme_learning.needs_refit(cast.office)
    assert theme_learning.refit(cast.office) == 0
    assert not theme_learning.model_dir(cast.office).exists()
    assert theme_learning.load_office_model(cast.office) is None


def test_a_theme_set_by_a_person_survives_analysis(cast: Cast) -> None:
    voice = lens_read(cast.office, "Our landlord will not fix the damp and mould in the flat.")
    theme_learning.record_correction(voice, "health", cast.caseworker)
    analysis.analyse([Voice.objects.get(pk=voice.pk)], notify=False)
    voice.refresh_from_db()
    assert voice.theme == "health"
    assert voice.analysed_at is not None


# ---------------------------------------------------------------------------
# Learning


def test_the_office_model_learns_from_its_corrections(cast: Cast, data_dir: Path) -> None:
    correct_all(cast)
    shipped = ThemeModel().fit()
    assert shipped.predict([HELD_OUT])[0][0] == "crime"
    assert theme_learning.refit(cast.office) == 5
    directory = data_dir / "models" / f"office-{cast.office.pk}"
    state = json.loads((directory / "office.json").read_text())
    assert state["learned_from"] == 5
    assert sorted(path.name for path in directory.iterdir()) == [
        "office.json",
        f"{state['model']}.json",
        f"{state['model']}.npz",
    ]
    office_model = theme_learning.load_office_model(cast.office)
    assert office_model.predict([HELD_OUT])[0][0] == "environment"
    # The learned weights alone, without the nearest-correction rule, make the change.
    office_model.corrected_features_ = None
    assert office_model.predict([HELD_OUT])[0][0] == "environment"
    assert not theme_learning.needs_refit(cast.office)


def test_the_analysis_run_refits_and_reads_with_the_office_model(cast: Cast) -> None:
    correct_all(cast)
    ours = Voice.objects.create(office=cast.office, body=HELD_OUT)
    theirs = Voice.objects.create(office=cast.other_office, body=HELD_OUT)
    assert analysis.analyse([ours, theirs], notify=False, campaigns=False) == 2
    assert theme_learning.saved_state(cast.office)["learned_from"] == 5
    assert Voice.objects.get(pk=ours.pk).theme == "environment"
    assert Voice.objects.get(pk=theirs.pk).theme == "crime"  # the shipped lens
    assert theme_learning.saved_state(cast.other_office) is None
    assert theme_learning.office_lens(cast.other_office) is None
    # The office's lens is built once and kept until a correction changes what it knows.
    office_lens = theme_learning.office_lens(cast.office)
    assert theme_learning.office_lens(cast.office) is office_lens
    theme_learning.record_correction(Voice.objects.get(pk=ours.pk), "housing", cast.manager)
    assert theme_learning.office_lens(cast.office) is not office_lens


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    """Django closes old database connections when a request starts or finishes, which
    would end the test's transaction in the middle of the pretend request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("connections_kept_open")
def test_no_refit_inside_a_web_request(cast: Cast) -> None:
    correct_all(cast)
    request_started.send(sender=None)
    try:
        assert theme_learning.in_web_request()
        assert theme_learning.office_lens(cast.office) is None
    finally:
        request_finished.send(sender=None)
    assert theme_learning.saved_state(cast.office) is None
    assert not theme_learning.in_web_request()


def test_the_refit_command(cast: Cast) -> None:
    correct_all(cast)
    runner = CliRunner()
    result = runner.invoke(main, ["themes", "refit", "--office", "alice"])
    assert result.exit_code == 0, result.output
    assert "Office of Alice MP: the theme model learned from 5 correction(s)." in result.output
    result = runner.invoke(main, ["themes", "refit"])
    assert "Office of Alice MP: up to date, no new corrections." in result.output
    assert "Office of Bob MP: up to date" in result.output
    result = runner.invoke(main, ["themes", "refit", "--office", "nobody"])
    assert result.exit_code != 0
    assert "There is no office with the slug 'nobody'." in result.output


# ---------------------------------------------------------------------------
# Reporting


def make_reviewed(cast: Cast) -> None:
    """8 messages read in the last 90 days: 2 noise letters moved to Environment, a housing
    letter moved to Benefits, one changed and changed back; one read long ago."""
    now = timezone.now()
    read = {"read_at": now - timedelta(days=3)}
    noise = [lens_read(cast.office, body, **read) for body in NOISE[:2]]
    housing = lens_read(cast.office, "My housing benefit stopped.", theme="housing", **read)
    undecided = lens_read(cast.office, "Repairs to my flat.", theme="housing", **read)
    for body in ["Bins missed.", "Pothole on Mill Lane.", "School place.", "GP waiting list."]:
        lens_read(cast.office, body, theme="local_services", **read)
    lens_read(cast.office, "Old letter.", theme="transport", read_at=now - timedelta(days=200))
    for voice in noise:
        theme_learning.record_correction(voice, "environment", cast.caseworker)
    theme_learning.record_correction(housing, "benefits", cast.caseworker)
    theme_learning.record_correction(undecided, "crime", cast.caseworker)
    theme_learning.record_correction(undecided, "housing", cast.caseworker)


def test_the_correction_rate_report(cast: Cast) -> None:
    make_reviewed(cast)
    report = theme_learning.theme_report(cast.office)
    assert (report.figures.total, report.figures.corrected) == (8, 3)
    assert report.percent == 37.5
    assert report.figures.by_theme["crime"] == 1.0
    assert report.figures.by_theme["housing"] == 0.5
    assert report.most_common_change == ("crime", "environment")
    assert (report.learned_from, report.refitted_at, report.waiting) == (0, None, 5)


def test_the_correction_rate_leaves_out_themes_a_person_chose(cast: Cast) -> None:
    make_reviewed(cast)
    note = lens_read(cast.office, "Phone note: bins missed.", theme="local_services")
    Voice.objects.filter(pk=note.pk).update(
        theme_confidence=None, read_at=timezone.now() - timedelta(days=1)
    )
    report = theme_learning.theme_report(cast.office)
    assert (report.figures.total, report.figures.corrected) == (8, 3)


def test_the_manager_sees_the_correction_rate(client: Any, cast: Cast) -> None:
    make_reviewed(cast)
    client.force_login(cast.manager)
    page = client.get(reverse("cases:team")).content.decode()
    assert (
        "Staff changed the lens's theme on 3 of 8 messages they reviewed in the last 90 "
        "days (37.5%); most often Crime and antisocial behaviour → Environment." in page
    )
    assert "The office's theme model has not learned from any corrections yet." in page
    assert "5 theme changes not learned yet" in page
