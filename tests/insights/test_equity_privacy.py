"""The equity audit's figures never let a group too small to show be worked out by
subtraction, and count each person in one area."""

from compassion.insights.equity import run_audit
from compassion.insights.models import AreaDeprivation
from tests.conftest import Cast
from tests.insights import factories


def by_group(audit, measure_key: str) -> dict:
    measure = next(m for m in audit.measures if m.key == measure_key)
    return {c.group.key: c for c in measure.comparisons}


def cases_for(cast: Cast, count: int, late_every: int = 0, **person_fields) -> None:
    for index in range(count):
        late = late_every and index % late_every == 0
        factories.case(
            cast.office,
            factories.person(cast.office, **person_fields),
            ack_hours=150 if late else 4,
            days_ago=20 + index,
            outcome="helped",
        )


def test_a_small_age_band_cannot_be_worked_out_from_the_others(cast: Cast) -> None:
    """Five people under 25, all answered late. If 'everyone else' for the other
    bands held them, their total minus the shown bands would give the five away."""
    cases_for(cast, 5, late_every=1, age_band="under_25")
    cases_for(cast, 20, age_band="25_44")
    cases_for(cast, 20, late_every=4, age_band="45_64")
    cases_for(cast, 4, age_band="")  # of unknown age: too few to be 'everyone else' either
    audit = run_audit(cast.office, "age")
    groups = by_group(audit, "acknowledged")
    assert groups["under_25"].suppressed
    shown = [c for c in groups.values() if not c.suppressed and c.people]
    assert {c.group.key for c in shown} == {"25_44", "45_64"}
    for comparison in shown:  # each shown band plus its 'everyone else' is the shown bands
        assert comparison.n + comparison.n_rest == 40
    assert groups["25_44"].rest_value == 15 / 20
    assert audit.population == 40


def test_each_person_counts_in_one_area_and_a_postcode_is_read_however_written(
    cast: Cast,
) -> None:
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    AreaDeprivation.objects.create(office=cast.office, kind="district", area="NB1", decile=9)
    AreaDeprivation.objects.create(office=cast.office, kind="district", area="NB2", decile=5)
    cases_for(cast, 12, ward="Eastfield", postcode="NB1 2AB")  # ward first: Eastfield only
    cases_for(cast, 6, postcode="nb1 3cd")
    cases_for(cast, 6, postcode="NB13CD")
    cases_for(cast, 11, postcode="NB2 7XY")
    groups = by_group(run_audit(cast.office, "area"), "acknowledged")
    eastfield = next(c for c in groups.values() if c.group.label.startswith("Eastfield"))
    nb1 = next(c for c in groups.values() if c.group.label.startswith("NB1"))
    assert (eastfield.people, eastfield.n_rest) == (12, 23)
    assert (nb1.people, nb1.n_rest) == (12, 23)


def test_a_band_of_one_area_is_not_listed_twice(cast: Cast) -> None:
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Hollins", decile=8)
    cases_for(cast, 12, ward="Eastfield")
    cases_for(cast, 12, ward="Hollins")
    groups = by_group(run_audit(cast.office, "area"), "acknowledged")
    labels = sorted(c.group.label for c in groups.values())
    assert labels == ["Eastfield (decile 1)", "Hollins (decile 8)"]


def test_a_combined_group_is_withheld_when_it_differs_from_a_shown_one_by_a_few(
    cast: Cast,
) -> None:
    """Language needs recorded for 12; a preferred language, with no need recorded, for 3
    more: 'language needs (recorded or a preferred language)' minus 'language needs'
    would single out the three."""
    cases_for(cast, 12, vulnerabilities=["language"])
    cases_for(cast, 3, preferred_language="Polish")
    cases_for(cast, 30)
    groups = by_group(run_audit(cast.office, "vulnerability"), "acknowledged")
    assert not groups["language"].suppressed
    assert groups["any_language"].suppressed and groups["any_language"].estimate is None
