"""The weekly briefing as a page and a PDF: urgent cases, words, campaigns, suggestions."""

from django.test import Client

from compassion.core.models import Consent, ConsentPurpose
from compassion.insights.models import AreaDeprivation
from tests.conftest import Cast
from tests.insights import factories


def test_it_briefs_the_leader_with_suggestions_and_their_evidence(
    client: Client, cast: Cast
) -> None:
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Eastfield", decile=1)
    for index in range(30):
        who = factories.person(cast.office, ward="Eastfield")
        factories.case(
            cast.office,
            who,
            channel="letter",
            days_ago=20 + index,
            ack_hours=150 if index % 3 else 4,
        )
    for index in range(30):
        factories.case(
            cast.office,
            factories.person(cast.office, ward="Hollins"),
            days_ago=20 + index,
            ack_hours=3,
        )
    urgent = factories.case(cast.office, cast.person, days_ago=1, urgent=True)
    urgent.urgency_reasons = ["Eviction or homelessness imminent"]
    urgent.save()
    client.force_login(cast.leader)

    response = client.get("/insights/briefing/")

    briefing = response.context["briefing"]
    gap = briefing.suggestions[0]
    assert gap.title == (
        "Close the gap for Eastfield (decile 1): acknowledged within the service standard"
    )
    assert "33% for Eastfield" in gap.evidence and "confidence interval" in gap.evidence
    assert len(briefing.suggestions) <= 3
    html = response.content.decode()
    assert "Eviction or homelessness imminent" in html and urgent.reference in html
    assert "Joan" not in html  # urgent cases are listed without names
    assert "Turn into an action" in html


def test_it_quotes_only_people_who_agreed_and_redacts_them(client: Client, cast: Cast) -> None:
    yes, no, changed = (factories.person(cast.office) for _ in range(3))
    Consent.objects.create(person=yes, purpose=ConsentPurpose.QUOTE, given=True)
    Consent.objects.create(person=no, purpose=ConsentPurpose.QUOTE, given=False)
    Consent.objects.create(
        person=changed, purpose=ConsentPurpose.QUOTE, given=True, recorded_at=factories.moment(20)
    )
    Consent.objects.create(
        person=changed, purpose=ConsentPurpose.QUOTE, given=False, recorded_at=factories.moment(2)
    )
    factories.case(
        cast.office, yes, days_ago=3, heard="Mould everywhere, call me on 07700 900123 please"
    )
    factories.case(cast.office, no, days_ago=3, heard="Do not quote this sentence")
    factories.case(cast.office, changed, days_ago=3, heard="I changed my mind about quoting")
    client.force_login(cast.leader)

    html = client.get("/insights/briefing/").content.decode()

    assert "Mould everywhere" in html
    assert "07700 900123" not in html
    assert "Do not quote" not in html and "changed my mind" not in html


def test_it_downloads_the_briefing_as_a_pdf(client: Client, cast: Cast) -> None:
    factories.case(cast.office, cast.person, days_ago=2)
    client.force_login(cast.manager)
    response = client.get("/insights/briefing.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_it_is_not_for_caseworkers(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    assert client.get("/insights/briefing/").status_code == 403
    assert client.get("/insights/briefing.pdf").status_code == 403


def test_it_downloads_the_briefings_tables_and_chart(client: Client, cast: Cast) -> None:
    factories.case(cast.office, cast.person, days_ago=1, theme="benefits")
    client.force_login(cast.leader)
    themes = client.get("/insights/tables/briefing-themes.csv").content.decode("utf-8-sig")
    assert "Benefits and Universal Credit,1,0" in themes
    weekly = client.get("/insights/charts/briefing-weekly.svg")
    assert weekly["Content-Type"] == "image/svg+xml" and b"Messages received per week" in (
        weekly.content
    )
    assert client.get("/insights/tables/briefing-nothing.csv").status_code == 404
