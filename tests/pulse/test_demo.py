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
