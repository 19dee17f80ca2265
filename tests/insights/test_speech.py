"""Voices for a speech: one theme over a period, with counts, a trend and consented quotes."""

import re

from django.test import Client

from compassion.core.models import Consent, ConsentPurpose
from tests.conftest import Cast
from tests.insights import factories


def test_it_counts_a_theme_over_the_period_and_quotes_with_consent(
    client: Client, cast: Cast
) -> None:
    words = ["My payments stopped", "The sanction was wrong", "PIP was refused", "No money"]
    for index in range(4):
        who = factories.person(cast.office)
        Consent.objects.create(person=who, purpose=ConsentPurpose.QUOTE, given=True)
        factories.case(
            cast.office,
            who,
            theme="benefits",
            days_ago=10 + index,
            heard=f"{words[index]} and I cannot eat",
        )
    factories.case(cast.office, factories.person(cast.office), theme="housing", days_ago=5)
    factories.case(cast.office, factories.person(cast.office), theme="benefits", days_ago=400)
    factories.case(cast.other_office, None, theme="benefits", days_ago=5)
    client.force_login(cast.leader)

    response = client.get(
        "/insights/voices/", {"theme": "benefits", "start": "2000-01-01", "end": "2100-01-01"}
    )
    report = response.context["report"]
    assert (report.cases, report.people, report.messages) == (5, 5, 5)
    recent = client.get(
        "/insights/voices/",
        {
            "theme": "benefits",
            "start": str(factories.moment(60).date()),
            "end": str(factories.moment(0).date()),
        },
    )
    report = recent.context["report"]
    assert (report.cases, report.messages) == (4, 4)
    assert len(report.quotes) == 4
    factories.case(
        cast.office,
        factories.person(cast.office),
        theme="benefits",
        days_ago=3,
        heard="My payments stopped and I cannot eat!",
    )  # a near-repeat, no consent
    assert "I cannot eat" in recent.content.decode()


def test_it_explains_a_period_back_to_front(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    response = client.get(
        "/insights/voices/", {"theme": "benefits", "start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.context["report"] is None
    assert "The start date must come before the end date." in response.content.decode()
    forged = client.get("/insights/voices/", {"theme": "<script>", "start": "x", "end": ""})
    assert forged.status_code == 200 and forged.context["report"] is None


def test_a_period_to_the_last_day_of_the_calendar_is_read_to_today(
    client: Client, cast: Cast
) -> None:
    """A period to 31/12/9999, for "until now", was a server error."""
    factories.case(cast.office, factories.person(cast.office), theme="housing", days_ago=5)
    client.force_login(cast.leader)
    response = client.get(
        "/insights/voices/", {"theme": "housing", "start": "2026-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 200
    assert response.context["report"].cases == 1


def test_a_period_of_more_than_thirty_years_is_refused(client: Client, cast: Cast) -> None:
    """A period from the year 1000 drew a chart of 12,000 months."""
    client.force_login(cast.leader)
    response = client.get(
        "/insights/voices/", {"theme": "housing", "start": "1000-01-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Choose a period of thirty years or less." in response.content.decode()
    assert response.context["report"] is None


def test_a_period_that_starts_in_the_future_is_explained(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    response = client.get(
        "/insights/voices/", {"theme": "housing", "start": "2099-01-01", "end": "2099-12-31"}
    )
    assert response.status_code == 200
    assert "The period starts after today, so nothing has been heard in it yet." in (
        response.content.decode()
    )
    assert response.context["report"] is None


def test_it_downloads_the_themes_chart_for_the_chosen_period(client: Client, cast: Cast) -> None:
    factories.case(cast.office, factories.person(cast.office), theme="health", days_ago=5)
    client.force_login(cast.leader)
    query = {"theme": "health", "start": "2000-01-01", "end": "2100-01-01"}
    page = client.get("/insights/voices/", query)
    assert "/insights/charts/speech-health.png?theme=health" in page.content.decode()
    assert "Messages about health and NHS per month" in page.content.decode()
    csv = client.get("/insights/tables/speech-health.csv", query).content.decode("utf-8-sig")
    assert csv.startswith("Month or group,Messages") or ",Messages" in csv.splitlines()[0]
    assert sum(int(line.rsplit(",", 1)[1]) for line in csv.splitlines()[1:]) == 1
    assert client.get("/insights/charts/speech-health.svg", query).status_code == 200
    assert client.get("/insights/charts/speech-health.svg").status_code == 404


def test_a_link_with_only_a_theme_shows_the_last_year(client: Client, cast: Cast) -> None:
    factories.case(cast.office, factories.person(cast.office), theme="housing", days_ago=30)
    factories.case(cast.office, factories.person(cast.office), theme="housing", days_ago=400)
    client.force_login(cast.leader)

    response = client.get("/insights/voices/", {"theme": "housing"})

    assert "This field is required" not in response.content.decode()
    assert response.context["form"].is_valid()
    assert response.context["report"].cases == 1  # the one of 400 days ago is left out


def test_it_quotes_words_that_differ_only_in_an_address_once(client: Client, cast: Cast) -> None:
    heard = [
        "I rent from Northby Homes at 12 Mill Lane.",
        "I rent from Northby Homes at 40 Canal Street.",
        "The damp has made my daughter ill.",
    ]
    for index, words in enumerate(heard):
        who = factories.person(cast.office)
        Consent.objects.create(person=who, purpose=ConsentPurpose.QUOTE, given=True)
        factories.case(cast.office, who, theme="housing", days_ago=10 + index, heard=words)
    client.force_login(cast.leader)

    response = client.get("/insights/voices/", {"theme": "housing"})

    quoted = [quote.text for quote in response.context["report"].quotes]
    assert sorted(quoted) == [
        "I rent from Northby Homes at [ADDRESS].",
        "The damp has made my daughter ill.",
    ]


def test_it_opens_on_the_most_raised_theme_of_the_last_year(client: Client, cast: Cast) -> None:
    for theme, days_ago in [("transport", 20), ("transport", 40), ("housing", 60)]:
        factories.case(cast.office, factories.person(cast.office), theme=theme, days_ago=days_ago)
    for _ in range(3):  # more, but over a year ago
        factories.case(cast.office, factories.person(cast.office), theme="housing", days_ago=500)
    for _ in range(3):  # more, but another office's
        factories.case(cast.other_office, None, theme="health", days_ago=5)
    client.force_login(cast.leader)

    response = client.get("/insights/voices/")

    assert response.context["form"]["theme"].value() == "transport"
    assert response.context["report"] is not None
    html = response.content.decode()
    assert "Messages about transport per month" in html
    link = re.search(r'href="(/insights/tables/speech-transport\.csv\?[^"]+)"', html).group(1)
    download = client.get(link.replace("&amp;", "&"))
    assert download.status_code == 200 and "Messages" in download.content.decode("utf-8-sig")
