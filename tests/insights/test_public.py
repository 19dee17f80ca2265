"""The public "you said, we did" page: themes and what was done, never personal data."""

from django.test import Client

from compassion.commitments.models import Commitment
from compassion.core.models import Person
from compassion.voices.models import Campaign
from tests.conftest import Cast
from tests.insights import factories


def test_it_shows_themes_and_promises_without_personal_data(client: Client, cast: Cast) -> None:
    for index in range(12):
        who = Person.objects.create(
            office=cast.office,
            first_name="Zebedee",
            last_name=f"Quartermain{index}",
            email=f"z{index}@example.com",
            postcode="NB1 4ZZ",
            ward="Eastfield",
        )
        made = factories.case(
            cast.office,
            who,
            theme="housing",
            outcome="helped",
            heard="My secret story about Flat 4",
        )
        made.subject = "Damp at 12 Secret Street"
        made.help_given = "Called Zebedee's landlord"
        made.save()
    for _ in range(3):
        factories.case(cast.office, cast.person, theme="immigration")
    Commitment.objects.create(
        office=cast.office, title="Fix damp in council homes", topic="housing", is_public=True
    )
    Commitment.objects.create(
        office=cast.office, title="A private plan", topic="housing", is_public=False
    )

    response = client.get(f"/you-said-we-did/{cast.office.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Housing and repairs" in html and "about 10" in html
    assert "Fix damp in council homes" in html and "A private plan" not in html
    assert "Immigration" not in html  # fewer than 10 cases: not shown
    for secret in (
        "Zebedee",
        "Quartermain",
        "example.com",
        "NB1",
        "Eastfield",
        "Secret Street",
        "secret story",
        "Joan",
        "landlord",
    ):
        assert secret not in html


def test_it_is_a_404_for_an_unknown_office(client: Client, cast: Cast) -> None:
    assert client.get("/you-said-we-did/nobody/").status_code == 404


def test_campaign_letters_are_not_counted_as_cases_the_office_did_not_help(
    client: Client, cast: Cast
) -> None:
    for _ in range(12):
        factories.case(cast.office, cast.person, theme="housing", outcome="helped")
    campaign = Campaign.objects.create(office=cast.office, title="Save the bus", theme="housing")
    for _ in range(40):
        letter = factories.case(cast.office, cast.person, theme="housing")
        letter.campaign = campaign
        letter.save(update_fields=["campaign"])
        letter.voices.update(campaign=campaign)

    html = client.get(f"/you-said-we-did/{cast.office.slug}/").content.decode()

    # 12 cases, all helped; the 40 campaign letters show as the campaign, not as 40 more cases.
    row = html.split("Housing and repairs</th>")[1].split("</tr>")[0]
    assert row.count("about 10") == 2 and "about 50" not in row
    assert "Save the bus (Housing and repairs): about 40 messages" in html


def test_it_names_the_office_as_it_reads_in_a_sentence(client: Client, cast: Cast) -> None:
    html = client.get(f"/you-said-we-did/{cast.office.slug}/").content.decode()
    assert "raised with the Office of Alice MP," in html
