import pytest
from django.test import Client

from compassion.commitments.models import Commitment, PublicStatus, Stocktake
from compassion.core import demo


@pytest.mark.django_db
def test_it_gives_the_demo_office_a_year_of_commitments(client: Client) -> None:
    office = demo.build_demo_office(seed=11, people=150, messages=400)
    commitments = Commitment.objects.for_office(office)
    assert 24 <= commitments.count() <= 30
    statuses = set(commitments.values_list("status", flat=True))
    assert {PublicStatus.KEPT, PublicStatus.STALLED, PublicStatus.BROKEN} <= statuses
    broken = commitments.get(status=PublicStatus.BROKEN)
    assert broken.explanation and broken.rewordings.exists()
    linked = {c.title for c in commitments.filter(campaigns__isnull=False)}
    assert {"Save Eastfield Library", "Fund SEND support in Northby schools"} <= linked
    assert commitments.filter(cases__isnull=False).distinct().count() >= 5
    assert commitments.filter(parent__isnull=False).count() >= 4
    stocktakes = Stocktake.objects.filter(commitment__office=office)
    assert stocktakes.count() >= 60  # a year of quarterly judgements
    assert stocktakes.filter(likelihood="red").exists()
    assert commitments.filter(points__actual__isnull=False).distinct().count() >= 8
    page = client.get(f"/promises/{office.slug}/")
    assert page.status_code == 200
    assert "Restore the number 14 bus" in page.content.decode()
    assert "Protected lunch breaks" not in page.content.decode()  # the team's own, not public


def test_where_a_demo_promise_was_made_does_not_say_the_same_thing_twice() -> None:
    """The page reads "Letter to a constituent: Letter to a constituent" otherwise."""
    from compassion.commitments.demo import SPECS
    from compassion.commitments.models import Source

    for spec in SPECS:
        label = Source(spec.source).label if spec.source else ""
        assert spec.source_detail.lower() != label.lower(), spec.title
