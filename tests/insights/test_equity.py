"""The equity audit finds a real gap, suppresses small groups, and turns a gap into an action."""

from django.test import Client

from compassion.insights.equity import (
    Comparison,
    Group,
    ValueIn,
    compared_values,
    difference_text,
    run_audit,
    verdict,
)
from compassion.insights.models import Action, AreaDeprivation
from compassion.insights.stats import Estimate
from tests.conftest import Cast
from tests.insights import factories


def build_slow_post(cast: Cast) -> None:
    """Letters from Eastfield are acknowledged late; emails from elsewhere are not."""
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Hollins", decile=8)
    for index in range(30):
        who = factories.person(cast.office, ward="Eastfield")
        late = index % 3 != 0
        factories.case(
            cast.office,
            who,
            channel="letter",
            days_ago=20 + index,
            ack_hours=150 if late else 4,
            outcome="helped",
        )
    for index in range(40):
        who = factories.person(cast.office, ward="Hollins")
        factories.case(
            cast.office,
            who,
            channel="email",
            days_ago=20 + index,
            ack_hours=3 + index % 5,
            outcome="helped",
        )
    for _ in range(4):
        factories.case(
            cast.office,
            factories.person(cast.office, ward="Tiny", age_band="65_plus"),
            channel="surgery",
            ack_hours=2,
        )


def test_it_flags_a_gap_with_its_interval(client: Client, cast: Cast) -> None:
    build_slow_post(cast)
    client.force_login(cast.leader)

    response = client.get("/insights/equity/?by=area")

    audit = response.context["audit"]
    flagged = {(m.key, c.group.label) for m, c in audit.flagged}
    assert ("acknowledged", "Eastfield (decile 1)") in flagged
    assert ("ack_hours", "Eastfield (decile 1)") in flagged
    html = response.content.decode()
    assert "Gaps that are statistically clear" in html
    assert "-67 points" in html  # 33% against 100%
    assert "How this is worked out" in html
    assert "/commitments/new/?title=Close%20the%20gap%20for%20Eastfield%20%28decile%201%29" in html


def test_it_suppresses_groups_under_ten_people(client: Client, cast: Cast) -> None:
    build_slow_post(cast)
    audit = run_audit(cast.office, "channel")
    surgery = [c for m in audit.measures for c in m.comparisons if c.group.key == "surgery"]
    assert surgery and all(c.suppressed and c.estimate is None for c in surgery)
    client.force_login(cast.leader)
    html = client.get("/insights/equity/?by=channel").content.decode()
    assert "Fewer than 10 people" in html
    csv = client.get("/insights/tables/equity-channel.csv").content.decode("utf-8-sig")
    surgery_row = [line for line in csv.splitlines() if ",Surgery visit," in line][0]
    assert ",4," not in surgery_row and "Fewer than 10 people" in surgery_row


def test_it_compares_letters_and_phone_calls_with_the_rest(cast: Cast) -> None:
    build_slow_post(cast)
    for _ in range(12):
        who = factories.person(cast.office, ward="Hollins")
        factories.case(cast.office, who, channel="phone", ack_hours=200)
    audit = run_audit(cast.office, "channel")
    acknowledged = audit.measures[0]
    both = [c for c in acknowledged.comparisons if c.group.key == "letter_phone"][0]
    assert (both.n, both.people) == (42, 42)
    assert both.worse and both.clear_adjusted


def test_letters_and_phone_calls_are_not_listed_when_they_are_only_letters(cast: Cast) -> None:
    """With no phone calls (or too few to show), the pair is the letters again."""
    build_slow_post(cast)
    audit = run_audit(cast.office, "channel")
    keys = [c.group.key for c in audit.measures[0].comparisons]
    assert "letter" in keys and "letter_phone" not in keys


def test_it_finds_no_gap_where_there_is_none(cast: Cast) -> None:
    for index in range(40):
        who = factories.person(cast.office, ward="Eastfield" if index % 2 else "Hollins")
        factories.case(cast.office, who, ack_hours=3 + index % 4, outcome="helped")
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    assert run_audit(cast.office, "area").flagged == []


def test_it_turns_a_gap_into_an_action(client: Client, cast: Cast) -> None:
    build_slow_post(cast)
    client.force_login(cast.leader)
    links = client.get("/insights/equity/?by=area").context["action_links"]
    link = links["acknowledged:area-" + str(AreaDeprivation.objects.get(area="Eastfield").pk)]

    form = client.get(link)
    initial = form.context["form"].initial
    assert initial["title"].startswith("Close the gap: acknowledged within")
    assert "Eastfield (decile 1)" in initial["evidence"]
    response = client.post(
        "/insights/actions/new/",
        {
            "title": initial["title"],
            "evidence": initial["evidence"],
            "theme": "",
            "owner": cast.manager.pk,
            "due": "2030-01-31",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(office=cast.office)
    assert action.owner == cast.manager and "confidence interval" in action.evidence
    assert "Close the gap" in client.get("/insights/actions/").content.decode()


def test_it_keeps_actions_within_the_office(client: Client, cast: Cast) -> None:
    theirs = Action.objects.create(office=cast.other_office, title="Their secret plan")
    client.force_login(cast.leader)
    assert "Their secret plan" not in client.get("/insights/actions/").content.decode()
    assert client.post(f"/insights/actions/{theirs.pk}/done/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_it_offers_only_the_offices_staff_as_owners(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    response = client.post(
        "/insights/actions/new/",
        {
            "title": "Fix it",
            "owner": cast.outsider.pk,
            "due": "2030-01-31",
        },
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Action.objects.exists()
    html = response.content.decode()  # laid out like every other form
    assert 'Evidence behind it <span class="optional">(optional)</span></label>' in html
    owner = html.split('for="id_owner"')[1].split("</div>")[0]
    assert owner.index('class="error"') < owner.index("<select")


def test_it_keeps_the_audit_for_an_hour_unless_asked_again(client: Client, cast: Cast) -> None:
    build_slow_post(cast)
    client.force_login(cast.leader)
    before = client.get("/insights/equity/?by=channel").context["audit"].population
    factories.case(cast.office, factories.person(cast.office), channel="email")
    assert client.get("/insights/equity/?by=channel").context["audit"].population == before
    response = client.post("/insights/equity/refresh/", {"by": "channel"})
    assert response["Location"] == "/insights/equity/?by=channel"
    assert client.get("/insights/equity/?by=channel").context["audit"].population == before + 1


def test_it_writes_an_interval_that_only_just_misses_zero_with_a_tenth() -> None:
    clear = Comparison(Group("x", "X", ValueIn(frozenset())), 50, 50, 500, 0.8, 0.76)
    clear.estimate = Estimate(0.04, 0.003, 0.081)
    assert difference_text(clear, "points") == "+4 points (+0.3 to +8)"
    clear.estimate = Estimate(0.001, -0.002, 0.05)
    assert difference_text(clear, "points") == "+0.1 points (-0.2 to +5)"
    clear.estimate = Estimate(0.2, -0.04, 7.6)
    assert difference_text(clear, "hours") == "+0.2 hours (0 to +8)"


def test_a_case_never_acknowledged_counts_as_waiting_until_now(cast: Cast) -> None:
    """Two thirds of the letters from Eastfield were never acknowledged: leaving them out made
    Eastfield's median wait 4 hours, as good as everyone else's."""
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    for index in range(24):
        who = factories.person(cast.office, ward="Eastfield" if index < 12 else "Hollins")
        never = index < 12 and index % 3 != 0  # 8 of the 12
        factories.case(cast.office, who, days_ago=20, ack_hours=None if never else 4)
    audit = run_audit(cast.office, "area")
    waited = next(m for m in audit.measures if m.key == "ack_hours")
    eastfield = next(c for c in waited.comparisons if c.group.label.startswith("Eastfield"))
    assert eastfield.value > 20 * 24 / 2  # between 4 hours and the 20 days still waiting
    assert eastfield.rest_value == 4


def test_two_groups_that_make_up_everyone_are_one_comparison_not_two(cast: Cast) -> None:
    """Letters against the rest and emails against the rest are then the same test, seen
    from each side: the Bonferroni correction counts it once."""
    for _ in range(30):
        who = factories.person(cast.office, ward="Eastfield")
        factories.case(cast.office, who, channel="letter", ack_hours=150, outcome="helped")
    for index in range(40):
        who = factories.person(cast.office, ward="Hollins")
        factories.case(cast.office, who, channel="email", ack_hours=3 + index % 5, outcome="helped")
    audit = run_audit(cast.office, "channel")
    shown = [c for m in audit.measures for c in m.comparisons if c.estimate]
    assert len(shown) == 6  # three measures, each letters and emails
    assert audit.comparisons_made == 3


def test_the_figures_beside_a_difference_add_up_to_it() -> None:
    """70% against 82% beside "difference -11 points" reads as an error in a figure that
    the leader may quote; with a tenth, 70.4% against 81.5% adds up."""
    shares = Comparison(Group("x", "X", ValueIn(frozenset())), 80, 82, 500, 0.704, 0.815)
    shares.estimate = Estimate(0.704 - 0.815, -0.2, -0.03)
    assert compared_values(shares, "points") == ("70.4%", "81.5%")
    assert difference_text(shares, "points").startswith("-11 points")
    waits = Comparison(Group("x", "X", ValueIn(frozenset())), 80, 82, 500, 35.4, 23.6)
    waits.estimate = Estimate(11.8, 2.0, 20.0)
    assert compared_values(waits, "hours") == ("35.4 hours", "23.6 hours")
    even = Comparison(Group("x", "X", ValueIn(frozenset())), 80, 82, 500, 0.70, 0.82)
    even.estimate = Estimate(-0.12, -0.2, -0.03)
    assert compared_values(even, "points") == ("70%", "82%")


def test_it_writes_a_difference_of_one_in_the_singular() -> None:
    """The demo's audit read '+1 points (-4 to +5)'."""
    one = Comparison(Group("x", "X", ValueIn(frozenset())), 50, 50, 500, 0.76, 0.75)
    one.estimate = Estimate(0.01, -0.04, 0.05)
    assert difference_text(one, "points") == "+1 point (-4 to +5)"
    one.estimate = Estimate(-1.2, -3.4, 0.5)
    assert difference_text(one, "hours") == "-1 hour (-3 to +0.5)"
    one.estimate = Estimate(1.0, 0.2, 1.4)
    assert difference_text(one, "hours") == "+1 hour (+0.2 to +1)"


def test_a_gap_clear_only_on_its_own_says_so_without_contradicting_itself() -> None:
    """'Clearly better (could be chance among many comparisons)' said two things at once."""
    gap = Comparison(Group("x", "X", ValueIn(frozenset())), 50, 50, 500, 0.60, 0.75)
    gap.estimate = Estimate(-0.15, -0.28, -0.02)
    gap.clear = True
    assert verdict(gap) == (
        "Possibly worse: clear on its own, but among this many comparisons it could be chance"
    )
    gap.clear_adjusted = True
    assert verdict(gap) == "Clearly worse, even allowing for the number of comparisons"
