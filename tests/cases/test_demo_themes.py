"""The demo office shows theme learning at work: the lens themes each first message,
caseworkers correct most of the themes it got wrong, and the office's model learns."""

from compassion.cases.models import Case, ThemeCorrection
from compassion.cases.theme_learning import saved_state, theme_report
from compassion.core import demo
from compassion.voices.models import Voice


def test_its_caseworkers_correct_the_lens_and_the_office_model_learns(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    corrections = list(ThemeCorrection.objects.filter(office=office).select_related("voice__case"))
    assert len(corrections) >= 10
    for correction in corrections:
        case = correction.voice.case
        assert correction.lens_theme != correction.staff_theme == case.theme
        assert correction.voice.theme == case.theme and correction.voice.theme_confidence is None
        assert correction.corrected_by_id == case.assigned_to_id
        assert correction.corrected_at > correction.voice.read_at
    lens_read = Voice.objects.filter(office=office, theme_confidence__isnull=False)
    assert lens_read.count() > 100  # first messages carry the lens's theme and confidence
    assert lens_read.filter(case__in=Case.objects.filter(office=office)).exists()
    report = theme_report(office)
    assert 0 < report.figures.corrected < report.figures.total
    assert report.learned_from == len(corrections) == saved_state(office)["learned_from"]
    assert report.waiting == 0
