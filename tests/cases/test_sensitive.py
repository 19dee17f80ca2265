"""A read-only volunteer does not see sensitive casework: a person with special-category
data or a sensitive vulnerability (disability, mental health, domestic abuse), and a case or
message of such a person, with a safeguarding risk (self-harm, threat to life, domestic
abuse, a child at risk) or with a theme that reveals special-category data (health,
immigration). It is left out of every list and search and its page answers "not found", as
a record of another office does. Caseworkers, office managers and the leader see
everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from compassion.cases.models import (
    Agency,
    AgencyKind,
    Case,
    Obstacle,
    ObstacleKind,
    Referral,
    Reply,
)
from compassion.core.models import Person, Vulnerability
from compassion.core.themes import Theme
from compassion.voices.models import Attachment, Campaign, QuarantinedMessage, Voice
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


def needs_and_themes(cast: Cast) -> dict[str, object]:
    """People whose only sensitive detail is a vulnerability, cases whose only sensitive
    detail is their theme, and one harmless case and person that stay in view."""
    owen = Person.objects.create(
        office=cast.office,
        first_name="Owen",
        last_name="Price",
        phone="07700 900461",
        address_line1="14 Mill Lane",
        postcode="NB1 4QT",
        vulnerabilities=[Vulnerability.MENTAL_HEALTH],
    )
    dana = Person.objects.create(
        office=cast.office,
        first_name="Dana",
        last_name="Reeve",
        postcode="NB2 1XP",
        vulnerabilities=[Vulnerability.DOMESTIC_ABUSE, Vulnerability.CARER],
    )
    tomasz = Person.objects.create(
        office=cast.office,
        first_name="Tomasz",
        last_name="Nowak",
        postcode="NB2 8LR",
        vulnerabilities=[Vulnerability.LANGUAGE],
    )
    return {
        "owen": owen,
        "dana": dana,
        "tomasz": tomasz,
        "pip": make_case(
            cast.office,
            owen,
            subject="PIP reassessment letter",
            body="I have had another letter about my PIP and I do not understand it.",
            theme=Theme.BENEFITS,
        ),
        "school": make_case(
            cast.office,
            dana,
            subject="School place after moving",
            body="We had to move in a hurry and my son has no school place yet.",
            theme=Theme.EDUCATION,
        ),
        "permit": make_case(
            cast.office,
            tomasz,
            subject="Biometric residence permit lost",
            body="I lost my biometric residence permit and the Home Office will not answer.",
            theme=Theme.IMMIGRATION,
        ),
        "hip": make_case(
            cast.office,
            cast.person,
            subject="Hip operation cancelled twice",
            body="The hospital cancelled my hip operation again; I am in pain every day.",
            theme=Theme.HEALTH,
        ),
        "bins": make_case(
            cast.office,
            tomasz,
            subject="Bins not collected",
            body="Our street has had no bin collection for three weeks.",
            theme=Theme.LOCAL_SERVICES,
        ),
        "autism": Voice.objects.create(
            office=cast.office,
            subject="Waiting list for an autism assessment",
            body="My daughter has waited two years for an autism assessment.",
            theme=Theme.HEALTH,
        ),
    }


HIDDEN_SUBJECTS = (
    "PIP reassessment letter",
    "School place after moving",
    "Biometric residence permit lost",
    "Hip operation cancelled twice",
    "Waiting list for an autism assessment",
)
SENSITIVE_NEEDS = ("Mental health", "Domestic abuse survivor")


def test_a_volunteer_sees_no_health_immigration_or_abuse_details(
    client: Client, cast: Cast
) -> None:
    made = needs_and_themes(cast)
    client.force_login(cast.volunteer)

    people = client.get("/people/").content.decode()
    assert "Joan Smith" in people and "Tomasz Nowak" in people and "Language needs" in people
    assert "People and casework with health, immigration or other special-category" in people
    for hidden in ("Owen Price", "Dana Reeve", *SENSITIVE_NEEDS):
        assert hidden not in people
    for query in ("Price", "07700 900461", "Reeve", "NB2 1XP"):
        found = client.get("/people/", {"q": query}).content.decode()
        assert "No one matches that search." in found, query
    assert client.get(f"/people/{made['owen'].pk}/").status_code == 404
    assert client.get(f"/people/{made['dana'].pk}/").status_code == 404
    tomasz = client.get(f"/people/{made['tomasz'].pk}/").content.decode()
    assert "Bins not collected" in tomasz and "Biometric" not in tomasz
    joan = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert "Hip operation" not in joan

    cases = client.get("/cases/", {"status": ""}).content.decode()
    assert "Bins not collected" in cases
    for words in ("", "biometric", "hip operation", "PIP", "Owen Price", "school place"):
        found = client.get("/cases/", {"status": "", "q": words}).content.decode()
        assert not any(subject in found for subject in HIDDEN_SUBJECTS), words
    bins = client.get("/cases/", {"status": "", "q": "bin"}).content.decode()
    assert "Bins not collected" in bins
    for name in ("pip", "school", "permit", "hip"):
        assert client.get(f"/cases/{made[name].pk}/").status_code == 404, name
    assert client.get(f"/cases/{made['bins'].pk}/").status_code == 200

    inbox = client.get("/inbox/").content.decode()
    assert "Bins not collected" in inbox
    assert not any(subject in inbox for subject in HIDDEN_SUBJECTS)
    for voice in Voice.objects.exclude(case=made["bins"]):
        assert client.get(f"/inbox/{voice.pk}/").status_code == 404, voice.subject
    assert client.get(f"/inbox/{made['bins'].voices.get().pk}/").status_code == 200

    home = client.get("/").content.decode()
    assert not any(subject in home for subject in HIDDEN_SUBJECTS)
    shown = client.get("/cases/", {"status": "open", "unacknowledged": "on"})
    waiting = client.get("/inbox/").context["figures"]["to_acknowledge"]
    assert waiting == shown.context["page"].paginator.count == 1  # the figure opens as many
    assert client.get("/").context["figures"]["open_cases"] == 1


def test_a_caseworker_still_sees_health_immigration_and_abuse_details(
    client: Client, cast: Cast
) -> None:
    made = needs_and_themes(cast)
    client.force_login(cast.caseworker)
    people = client.get("/people/").content.decode()
    assert all(need in people for need in SENSITIVE_NEEDS)
    cases = client.get("/cases/", {"status": ""}).content.decode()
    assert all(subject in cases for subject in HIDDEN_SUBJECTS[:4])
    assert "Biometric" in client.get("/cases/", {"status": "", "q": "biometric"}).content.decode()
    assert "Waiting list for an autism" in client.get("/inbox/").content.decode()
    for name in ("owen", "dana"):
        assert client.get(f"/people/{made[name].pk}/").status_code == 200
    for name in ("pip", "school", "permit", "hip", "bins"):
        assert client.get(f"/cases/{made[name].pk}/").status_code == 200
    assert client.get(f"/inbox/{made['autism'].pk}/").status_code == 200


def papers(cast: Cast, case: Case) -> dict[str, str]:
    """A letter to an agency, a printed reply and an attachment of the case's message."""
    agency = Agency.objects.create(office=cast.office, kind=AgencyKind.HOME_OFFICE, name="UKVI")
    referral = Referral.objects.create(
        office=cast.office,
        case=case,
        agency=agency,
        subject=f"About {case.subject}",
        body="Please look into this for our constituent.",
        chase_on=timezone.localdate(),
    )
    reply = Reply.objects.create(
        office=cast.office, case=case, subject="Your letter", body="We have written to them."
    )
    attachment = Attachment(voice=case.voices.get(), filename="scan.pdf", size=12)
    attachment.file.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    return {
        "letter": f"/cases/letters/{referral.pk}.pdf",
        "reply": f"/cases/replies/{reply.pk}.pdf",
        "attachment": f"/inbox/attachments/{attachment.pk}/",
    }


def test_a_volunteer_cannot_open_the_letters_or_files_of_hidden_casework(
    client: Client, cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        }
    }
    made = needs_and_themes(cast)
    hidden, harmless = papers(cast, made["permit"]), papers(cast, made["bins"])
    client.force_login(cast.volunteer)
    for kind, url in hidden.items():
        assert client.get(url).status_code == 404, kind
    for kind, url in harmless.items():
        assert client.get(url).status_code == 200, kind
    client.force_login(cast.caseworker)
    for kind, url in hidden.items():
        assert client.get(url).status_code == 200, kind


def test_a_volunteer_sees_no_hidden_message_on_the_pages_of_casework_they_may_see(
    client: Client, cast: Cast
) -> None:
    """A follow-up read as health in a harmless case, a message released from quarantine
    into hidden casework, and a message that may be from a hidden person."""
    made = needs_and_themes(cast)
    bins = made["bins"]
    first = bins.voices.get()
    Voice.objects.create(
        office=cast.office,
        person=made["tomasz"],
        case=bins,
        subject="Rats by the bins",
        body="The rubbish brings rats and my son's asthma is worse; his GP has written.",
        theme=Theme.HEALTH,
    )
    QuarantinedMessage.objects.create(
        office=cast.office,
        source="mailbox",
        reason="The message was cut short.",
        released_at=timezone.now(),
        voice=made["autism"],
    )
    unsure = Voice.objects.create(
        office=cast.office,
        subject="Street lights out",
        body="The street lights on Mill Lane have been out for a week.",
        sender_name="O. Price",
        suggested_person=made["owen"],
        match_score=82,
    )
    client.force_login(cast.volunteer)
    assert "asthma" not in client.get(f"/cases/{bins.pk}/").content.decode()
    message = client.get(f"/inbox/{first.pk}/").content.decode()
    assert "Our street has had no bin collection" in message and "Rats by the bins" not in message
    quarantine = client.get("/inbox/quarantine/").content.decode()
    assert "autism" not in quarantine
    unsure_page = client.get(f"/inbox/{unsure.pk}/").content.decode()
    assert "Street lights out" in unsure_page
    assert "Owen Price" not in unsure_page and "NB1 4QT" not in unsure_page

    client.force_login(cast.caseworker)
    assert "asthma" in client.get(f"/cases/{bins.pk}/").content.decode()
    assert "Rats by the bins" in client.get(f"/inbox/{first.pk}/").content.decode()
    assert "autism" in client.get("/inbox/quarantine/").content.decode()
    assert "Is this Owen Price?" in client.get(f"/inbox/{unsure.pk}/").content.decode()


def test_a_volunteer_sees_only_casework_without_sensitive_details(
    client: Client, cast: Cast
) -> None:
    made = sensitive_office(cast)
    ordinary, abuse, health = made["ordinary"], made["abuse"], made["health"]
    client.force_login(cast.volunteer)

    cases = client.get("/cases/", {"status": ""}).content.decode()
    assert "Damp again" in cases
    assert "Scared at home" not in cases and "Wheelchair repairs" not in cases
    assert "not listed here: your role does not see them" in cases
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
    assert "your role does not see them" not in cases
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


def test_a_volunteer_sees_no_campaign_about_health_or_immigration(
    client: Client, cast: Cast
) -> None:
    waits = Campaign.objects.create(
        office=cast.office,
        title="Waiting for an operation",
        theme=Theme.HEALTH,
        template_text="The pain is constant and the hospital will not give a date.",
    )
    library = Campaign.objects.create(office=cast.office, title="Save Northby library")
    Voice.objects.create(
        office=cast.office, person=made_ill(cast), campaign=library, personal_lines="My MS"
    )
    client.force_login(cast.volunteer)
    listed = client.get("/inbox/campaigns/").content.decode()
    assert "Save Northby library" in listed and "Waiting for an operation" not in listed
    assert client.get(f"/inbox/campaigns/{waits.pk}/").status_code == 404
    page = client.get(f"/inbox/campaigns/{library.pk}/").content.decode()
    assert "What they added is in messages your role does not see." in page
    client.force_login(cast.caseworker)
    assert "Waiting for an operation" in client.get("/inbox/campaigns/").content.decode()


def made_ill(cast: Cast) -> Person:
    return Person.objects.create(
        office=cast.office, first_name="Iris", vulnerabilities=[Vulnerability.MENTAL_HEALTH]
    )


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
