from django.test import Client

from compassion.commitments.models import Commitment, PublicStatus
from compassion.core.models import AuditEntry
from compassion.voices.models import Campaign
from tests.conftest import Cast


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "  Keep Eastfield Library open ",
        "wording": "I will fight to keep Eastfield Library open — five days a week, no cuts.",
        "topic": "local_services",
        "source": "speech",
        "source_detail": "Hustings at Eastfield Community Centre",
        "made_on": "2026-03-01",
        "deadline": "2027-03-01",
        "success_measure": "The library is open five days a week.",
        "metric_label": "",
        "metric_baseline": "0",
        "metric_target": "",
        "beneficiaries": "isolated",
        "case_references": "",
        "stocktake_every_days": "90",
        "is_public": "on",
        "review_status_changes": "on",
    }
    data.update(overrides)
    return data


def test_it_records_a_commitment_from_a_campaign(
    client: Client, cast: Cast, campaign, case
) -> None:
    client.force_login(cast.leader)
    response = client.post(
        "/commitments/new/",
        form_data(campaigns=str(campaign.pk), case_references=f" {case.reference.lower()} ,"),
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/commitments/{commitment.pk}/"
    assert commitment.office == cast.office
    assert commitment.title == "Keep Eastfield Library open"
    assert list(commitment.campaigns.all()) == [campaign]
    assert list(commitment.cases.all()) == [case]
    assert commitment.people_asked == 1  # Joan wrote in the campaign and has the case
    assert commitment.status == PublicStatus.NOT_RATED
    assert commitment.status_changes.get().editor_note == "The promise was recorded."
    assert commitment.next_stocktake_on is not None
    entry = AuditEntry.objects.get()
    assert (entry.person, entry.action, entry.object_type) == (cast.person, "change", "case")


def test_it_starts_from_a_campaign_case_or_theme(
    client: Client, cast: Cast, campaign, case
) -> None:
    client.force_login(cast.caseworker)
    page = client.get(f"/commitments/new/?campaign={campaign.pk}").content.decode()
    assert 'value="Save Eastfield Library"' in page
    assert f'value="{campaign.pk}" id="id_campaigns_0" checked' in page
    page = client.get(f"/commitments/new/?case={case.pk}").content.decode()
    assert 'value="NE-26-00042"' in page
    assert "damp flat" not in page  # the case's subject is not copied into the promise
    page = client.get("/commitments/new/?theme=housing&title=Close+the+gap+for+carers").content
    assert '<option value="housing" selected>' in page.decode()
    assert 'value="Close the gap for carers"' in page.decode()
    assert client.get("/commitments/new/?theme=<script>&campaign=abc").status_code == 200


def test_it_never_starts_from_another_offices_campaign(client: Client, cast: Cast) -> None:
    theirs = Campaign.objects.create(office=cast.other_office, title="Bob's bypass")
    client.force_login(cast.leader)
    assert client.get(f"/commitments/new/?campaign={theirs.pk}").status_code == 404
    response = client.post("/commitments/new/", form_data(campaigns=str(theirs.pk)))
    assert response.status_code == 200
    assert Commitment.objects.count() == 0


def test_it_explains_bad_input_and_keeps_nothing(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    response = client.post(
        "/commitments/new/",
        form_data(deadline="2025-01-01", case_references="NE-99-99999", metric_target="400"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The deadline is before the date the promise was made." in page
    assert "No case in this office has the reference NE-99-99999." in page
    assert "Say what is counted" in page
    assert Commitment.objects.count() == 0


def test_it_refuses_a_promise_made_in_the_future_or_stocktakes_every_day(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.leader)
    response = client.post(
        "/commitments/new/", form_data(made_on="2099-01-01", stocktake_every_days="0")
    )
    page = response.content.decode()
    assert "A promise cannot have been made in the future." in page
    assert "Hold a stocktake at most once a week: choose 7 days or more." in page
    assert Commitment.objects.count() == 0


def test_it_refuses_cases_of_another_office(client: Client, cast: Cast) -> None:
    from compassion.cases.models import Case

    Case.objects.create(office=cast.other_office, reference="BOB-1", subject="x")
    client.force_login(cast.leader)
    response = client.post("/commitments/new/", form_data(case_references="BOB-1"))
    assert "No case in this office has the reference BOB-1." in response.content.decode()


def test_it_lets_volunteers_read_but_not_record(client: Client, cast: Cast) -> None:
    client.force_login(cast.volunteer)
    assert client.get("/commitments/new/").status_code == 403
    assert client.post("/commitments/new/", form_data()).status_code == 403
    assert Commitment.objects.count() == 0


def test_it_asks_anonymous_visitors_to_log_in(client: Client, cast: Cast) -> None:
    response = client.get("/commitments/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_form_says_who_reviews_a_change_of_status(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    page = client.get("/commitments/new/").content.decode()
    assert "The leader or the office manager approves each change of public status" in page
