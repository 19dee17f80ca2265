"""The demo office's obstacles read as real casework: each agency is blocked in a way that
agency can block people."""

from compassion.cases.models import AgencyKind, Obstacle, ObstacleKind
from compassion.core import demo

DECIDING = ("Decision taking months", "Refused after a short phone assessment")


def test_each_obstacle_fits_its_agency(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    obstacles = list(Obstacle.objects.filter(office=office).select_related("agency"))
    assert len(obstacles) > 30
    for obstacle in obstacles:
        if obstacle.agency.kind in (AgencyKind.CHARITY, AgencyKind.POLICE, AgencyKind.NHS):
            assert not obstacle.description.startswith(DECIDING), obstacle.description
    policies = {o.description for o in obstacles if o.kind == ObstacleKind.POLICY}
    assert len(policies) >= 4  # each agency's own policy, not one sentence for all


def test_an_obstacle_comes_after_the_wait_it_describes(db: None) -> None:
    """A letter sent yesterday is not yet unanswered: an obstacle is recorded three weeks
    after the letter at the earliest, and never in the future."""
    from datetime import timedelta

    from django.utils import timezone

    office = demo.build_demo_office(seed=7, people=200, messages=600)
    now = timezone.now()
    blocked = Obstacle.objects.filter(office=office, kind=ObstacleKind.NO_ANSWER)
    assert blocked.count() >= 3
    for obstacle in Obstacle.objects.filter(office=office):
        assert obstacle.recorded_at <= now, obstacle.description
    for obstacle in blocked.select_related("case"):
        letters = obstacle.case.referrals.filter(agency=obstacle.agency)
        assert any(
            obstacle.recorded_at - letter.sent_at >= timedelta(days=21) for letter in letters
        )
