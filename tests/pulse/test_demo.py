"""The demo team's year tells its story: a dip, actions, recovery; nothing shown below k."""

import random

from compassion.core import demo
from compassion.pulse import demo as pulse_demo
from compassion.pulse import results
from compassion.pulse.instruments import BURNOUT, COMPASSIONATE_LEADERSHIP
from compassion.pulse.models import CheckIn, LearningEntry, Obstacle, ObstacleStatus


def test_the_demo_year_dips_and_recovers(db) -> None:
    office = demo.create_office()
    demo.create_staff(office)
    pulse_demo.generate(office, random.Random(2026))

    windows = results.windows(office, 5)
    complete = [w for w in windows if w.complete]
    assert any(w.pooled for w in complete)  # small months are pooled
    assert not windows[-1].complete  # the current pulse is still open
    leadership = [p.mean for p in results.trend(complete, COMPASSIONATE_LEADERSHIP, 5)]
    burnout = [p.mean for p in results.trend(complete, BURNOUT, 5)]
    assert min(leadership) < leadership[0] - 2 and leadership[-1] > min(leadership) + 2
    assert max(burnout) >= 50 and burnout[-1] < 50
    assert (
        Obstacle.objects.filter(
            office=office, status=ObstacleStatus.DONE, from_cycle__isnull=False
        ).count()
        == 2
    )
    assert CheckIn.objects.filter(office=office).count() > 10
    assert LearningEntry.objects.filter(office=office, leaders_own=True).exists()


def test_what_the_demo_quotes_from_the_pulse_is_a_result_the_pages_show(db) -> None:
    """'Burnout rose to 74 of 100 in March to May 2026' pooled three months no page shows:
    set beside March's and April's results it gave away May's four answers alone."""
    office = demo.create_office()
    demo.create_staff(office)
    pulse_demo.generate(office, random.Random(2026))

    shown = {w.label: w for w in results.windows(office, 5) if w.complete}
    from_pulse = Obstacle.objects.filter(office=office, from_cycle__isnull=False)
    assert from_pulse.count() == 2
    for obstacle in from_pulse:
        window = next(w for label, w in shown.items() if obstacle.from_result.endswith(label))
        assert obstacle.from_cycle in window.cycles
        summary = results.results_for(window, 5).scales
        figures = {s.instrument.code: s for s in summary}
        if obstacle.from_scale == "burnout":
            assert f" {figures['burnout'].mean:.0f} of 100 " in obstacle.from_result
        else:
            helping = figures["compassionate_leadership"].items[3].mean
            assert f" {helping:.1f} of 10," in obstacle.from_result
