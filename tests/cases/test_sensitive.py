"""A read-only volunteer does not see sensitive casework: a case, message or person that
holds special-category data (the person's special-category flags) or a safeguarding risk
(self-harm, threat to life, domestic abuse, a child at risk). It is left out of every list
and its page answers "not found", as a record of another office does. Caseworkers, office
managers and the leader see everything."""

from __future__ import annotations

from django.test import Client

from compassion.cases.models import Obstacle, ObstacleKind
from compassion.core.models import Person
from compassion.voices.models import Campaign, Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast

ABUSE = "My partner hits me and I am scared to go home."
DAMP = "The damp in the back bedroom is back and the landlord will not answer."


def sensitive_office(cast: Cast) -> dict[str, object]:
    """An ordinary case; a domestic abuse case; a case of a person with health data; and a
    message whose flag is a safeguarding risk, not yet in a case."""
    ill = Person.objects.create(
        office=cast.office, first_name="Ruth", last_name="Hale", special_categories=["health"]
    )
    flagged = Voice.objects.create(
        office=cast.office,
        subject="Worried about my neighbour's children",
        body="The children next door have been left alone for days.",
        flags=[{"kind": "child_at_risk", "label": "A child at risk", "evidence": ["left alone"]}],
        urgent=True,
    )
    return {
        "ordinary": make_case(cast.office, cast.person, subject="Damp again", body=DAMP),
        "abuse": make_case(
            cast.office,
            cast.person,
            subject="Scared at home",
            body=ABUSE,
            urgent=True,
            urgency_reasons=["Domestic abuse"],
        ),
        "health": make_case(cast.office, ill, subject="Wheelchair repairs", body="Two months."),
        "ill": ill,
        "flagged": flagged,
    }


def test_a_volunteer_sees_only_casework_without_sensitive_details(
    client: Client, cast: Cast
) -> None:
    made = sensitive_office(cast)
    ordinary, abuse, health = made["ordinary"], made["abuse"], made["health"]
    client.force_login(cast.volunteer)

    cases = client.get("/cases/", {"status": ""}).content.decode()
    assert "Damp again" in cases
    assert "Scared at home" not in cases and "Wheelchair repairs" not in cases
    assert "not listed here: your role does not see it" in cases
    assert client.get(f"/cases/{ordinary.pk}/").status_code == 200
    assert client.get(f"/cases/{abuse.pk}/").status_code == 404
    assert client.get(f"/cases/{health.pk}/").status_code == 404
    assert "Scared at home" not in client.get(f"/cases/{ordinary.pk}/").content.decode()

    inbox = client.get("/inbox/").content.decode()
    assert "Damp again" in inbox
    for hidden in ("Scared at home", "Wheelchair repairs", "neighbour&#x27;s children"):
        assert hidden not in inbox
    for voice in Voice.objects.exclude(case=ordinary):
        assert client.get(f"/inbox/{voice.pk}/").status_code == 404

    people = client.get("/people/").content.decode()
    assert "Smith" in people and "Hale" not in people
    assert client.get(f"/people/{made['ill'].pk}/").status_code == 404
    person = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert "Damp again" in person and "Scared at home" not in person

    home = client.get("/").content.decode()
    assert "Scared at home" not in home
    assert "1 urgent case is not listed" in home


def test_a_caseworker_sees_all_of_it(client: Client, cast: Cast) -> None:
    made = sensitive_office(cast)
    client.force_login(cast.caseworker)
    cases = client.get("/cases/", {"status": ""}).content.decode()
    for subject in ("Damp again", "Scared at home", "Wheelchair repairs"):
        assert subject in cases
    assert "your role does not see it" not in cases
    assert client.get(f"/cases/{made['abuse'].pk}/").status_code == 200
    assert client.get(f"/inbox/{made['flagged'].pk}/").status_code == 200
    assert client.get(f"/people/{made['ill'].pk}/").status_code == 200
    home = client.get("/").content.decode()
    assert "Scared at home" in home and "not listed" not in home


def test_a_campaign_shows_a_volunteer_only_the_words_of_people_without_sensitive_data(
    client: Client, cast: Cast
) -> None:
    made = sensitive_office(cast)
    campaign = Campaign.objects.create(office=cast.office, title="Save Northby library")
    for person, words in ((cast.person, "I read there every week."), (made["ill"], "My MS")):
        Voice.objects.create(
            office=cast.office,
            person=person,
            campaign=campaign,
            subject="Save the library",
            body="Please save it.",
            personal_lines=words,
        )
    client.force_login(cast.volunteer)
    page = client.get(f"/inbox/campaigns/{campaign.pk}/").content.decode()
    assert 'data-figure="signatories">2<' in page
    assert "I read there every week." in page and "My MS" not in page
    client.force_login(cast.caseworker)
    assert "My MS" in client.get(f"/inbox/campaigns/{campaign.pk}/").content.decode()


def test_the_obstacles_page_gives_a_volunteer_examples_only_from_cases_they_may_see(
    client: Client, cast: Cast
) -> None:
    made = sensitive_office(cast)
    for case, words in ((made["ordinary"], "Landlord ignores us"), (made["abuse"], "Refuge full")):
        Obstacle.objects.create(
            office=cast.office, case=case, kind=ObstacleKind.NO_SERVICE, description=words
        )
    client.force_login(cast.volunteer)
    page = client.get("/cases/obstacles/").content.decode()
    assert "Landlord ignores us" in page and "Refuge full" not in page
    client.force_login(cast.caseworker)
    assert "Refuge full" in client.get("/cases/obstacles/").content.decode()
