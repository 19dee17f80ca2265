from datetime import timedelta

from django.test import Client
from django.utils import timezone

from compassion.cases.models import Case, CaseworkPolicy
from compassion.cases.team import suggest_assignee, team_loads
from compassion.core.workdays import working_days_between
from compassion.voices.models import Campaign
from tests.cases.conftest import make_case
from tests.conftest import Cast


def test_it_shows_caseload_distress_and_response_times(client: Client, cast: Cast) -> None:
    now = timezone.now()
    make_case(
        cast.office,
        cast.person,
        assigned_to=cast.caseworker,
        assigned_at=now,
        distress_load=0.8,
        urgent=True,
    )
    make_case(
        cast.office, cast.person, assigned_to=cast.caseworker, assigned_at=now, distress_load=0.2
    )
    make_case(
        cast.office,
        cast.person,
        assigned_to=cast.caseworker,
        assigned_at=now - timedelta(days=20),
        distress_load=0.9,
    )
    make_case(
        cast.office,
        cast.person,
        assigned_to=cast.manager,
        opened_at=now - timedelta(days=14),
        first_reply_at=now - timedelta(days=7),
    )
    make_case(
        cast.other_office,
        cast.other_person,
        assigned_to=cast.caseworker,
        assigned_at=now,
        distress_load=1.0,
    )
    campaign = Campaign.objects.create(office=cast.office, title="Save the library")
    for _ in range(2):
        make_case(cast.office, cast.person, assigned_to=cast.caseworker, campaign=campaign)
    loads = {load.user.username: load for load in team_loads(cast.office)}
    charlie = loads["charlie"]
    assert (charlie.open_cases, charlie.urgent_open, charlie.distressing_this_week) == (3, 1, 1)
    assert charlie.campaign_open == 2  # counted apart: the list behind the name shows all 5
    assert charlie.exposure_this_week == 1.0
    replied_in = working_days_between(
        timezone.localdate(now - timedelta(days=14)),
        timezone.localdate(now - timedelta(days=7)),
        cast.office.holiday_region,
    )
    assert loads["mandy"].median_reply_days == replied_in  # 5, bank holidays aside
    assert "alice" not in loads and "vic" not in loads

    client.force_login(cast.manager)
    html = client.get("/cases/team/").content.decode()
    assert "Mandy has had the least distressing casework this week" in html
    client.force_login(cast.caseworker)
    assert client.get("/cases/team/").status_code == 403


def test_a_campaign_counts_once_towards_exposure_by_its_heaviest_letter(cast: Cast) -> None:
    """Forty copies of one letter are read once and answered once: not forty loads."""
    now = timezone.now()
    library = Campaign.objects.create(office=cast.office, title="Save the library")
    buses = Campaign.objects.create(office=cast.office, title="Keep the 42 bus")
    for campaign, load in [(library, 0.6)] * 39 + [(library, 0.7), (buses, 0.1)]:
        make_case(
            cast.office,
            cast.person,
            assigned_to=cast.caseworker,
            assigned_at=now,
            campaign=campaign,
            distress_load=load,
        )
    make_case(
        cast.office, cast.person, assigned_to=cast.manager, assigned_at=now, distress_load=0.9
    )
    loads = {load.user.username: load for load in team_loads(cast.office)}
    assert loads["charlie"].exposure_this_week == 0.8  # 0.7 for the library, 0.1 for the bus
    assert loads["charlie"].distressing_this_week == 1
    suggestion = suggest_assignee(list(loads.values()))
    assert suggestion is not None and suggestion.load.user == cast.caseworker


def test_exposure_is_written_to_one_place_like_its_neighbours(client: Client, cast: Cast) -> None:
    """The caseload page set 12.49 beside 6.4."""
    now = timezone.now()
    for load in (0.47, 0.46):
        make_case(
            cast.office,
            cast.person,
            assigned_to=cast.caseworker,
            assigned_at=now,
            distress_load=load,
        )
    loads = {load.user.username: load for load in team_loads(cast.office)}
    assert loads["charlie"].exposure_this_week == 0.9
    client.force_login(cast.manager)
    assert 'aria-label="Exposure 0.9"' in client.get("/cases/team/").content.decode()


def test_it_never_suggests_someone_at_capacity(cast: Cast) -> None:
    policy = CaseworkPolicy.for_office(cast.office)
    policy.capacity = 1
    policy.save()
    make_case(cast.office, cast.person, assigned_to=cast.manager)
    make_case(
        cast.office,
        cast.person,
        assigned_to=cast.caseworker,
        distress_load=0.9,
        assigned_at=timezone.now(),
    )
    assert suggest_assignee(team_loads(cast.office)) is None
    policy.capacity = 2
    policy.save()
    suggestion = suggest_assignee(team_loads(cast.office))
    assert suggestion is not None and suggestion.load.user == cast.manager


def test_the_manager_sets_the_offices_casework_policy(client: Client, cast: Cast) -> None:
    client.force_login(cast.manager)
    data = {
        "anonymise_after_years": 3,
        "capacity": 80,
        "distressing_load": 0.6,
        "chase_after_days": 10,
        "chase_urgent_after_days": 1,
        "ask_satisfaction": "",
    }
    client.post("/cases/settings/", data)
    policy = CaseworkPolicy.for_office(cast.office)
    assert (policy.anonymise_after_years, policy.capacity) == (3, 80)
    assert (policy.chase_after_days, policy.chase_urgent_after_days) == (10, 1)
    assert policy.ask_satisfaction is False
    refused = client.post("/cases/settings/", data | {"distressing_load": 7})
    assert "above 0 and up to 1" in refused.content.decode()
    assert CaseworkPolicy.for_office(cast.office).distressing_load == 0.6
    assert CaseworkPolicy.for_office(cast.other_office).capacity == 45
    client.force_login(cast.caseworker)
    assert client.get("/cases/settings/").status_code == 403


def test_managers_keep_the_exploration_checklists(client: Client, cast: Cast) -> None:
    from compassion.cases.models import ChecklistQuestion

    client.force_login(cast.manager)
    client.post("/cases/checklists/", {"theme": "housing", "text": "Is there a deadline?\x00"})
    client.post("/cases/checklists/", {"theme": "not-a-theme", "text": "Lost?"})
    added = ChecklistQuestion.objects.get(office=cast.office)
    assert (added.theme, added.text) == ("housing", "Is there a deadline?")
    theirs = ChecklistQuestion.objects.create(office=cast.other_office, theme="housing", text="B")
    client.post("/cases/checklists/", {"remove": theirs.pk})
    assert ChecklistQuestion.objects.filter(pk=theirs.pk).exists()
    client.force_login(cast.caseworker)
    assert "Is there a deadline?" in client.get("/cases/checklists/").content.decode()
    assert client.post("/cases/checklists/", {"remove": added.pk}).status_code == 403
    client.force_login(cast.manager)
    client.post("/cases/checklists/", {"remove": added.pk, "theme": "housing"})
    assert not ChecklistQuestion.objects.filter(office=cast.office).exists()


def test_a_checklist_question_already_asked_is_not_added_twice(client: Client, cast: Cast) -> None:
    from compassion.cases.models import ChecklistQuestion

    client.force_login(cast.manager)
    client.post("/cases/checklists/", {"theme": "housing", "text": "Who is the landlord?"})
    again = client.post(
        "/cases/checklists/", {"theme": "housing", "text": "who is the landlord? "}, follow=True
    )
    assert ChecklistQuestion.objects.filter(office=cast.office).count() == 1
    assert "That question is already on the Housing and repairs checklist" in again.content.decode()
    client.post("/cases/checklists/", {"theme": "benefits", "text": "Who is the landlord?"})
    assert ChecklistQuestion.objects.filter(office=cast.office).count() == 2


def test_it_shows_how_the_office_met_its_service_standard(client: Client, cast: Cast) -> None:
    from compassion.cases.team import service_figures

    today = timezone.localdate()
    now = timezone.now()
    make_case(
        cast.office,
        cast.person,
        opened_at=now - timedelta(days=20),
        acknowledge_by=today - timedelta(days=18),
        acknowledged_at=now - timedelta(days=19),
        reply_by=today - timedelta(days=8),
        first_reply_at=now - timedelta(days=2),
    )
    make_case(
        cast.office,
        cast.person,
        opened_at=now - timedelta(days=10),
        acknowledge_by=today - timedelta(days=8),
        acknowledged_at=now - timedelta(days=3),
    )
    make_case(
        cast.office,
        cast.person,
        opened_at=now - timedelta(days=200),
        acknowledged_at=now - timedelta(days=199),
    )
    make_case(  # never acknowledged: it counts against the standard, not out of it
        cast.office, cast.person, opened_at=now - timedelta(days=9), acknowledge_by=today
    )
    service = service_figures(cast.office)
    assert (service.opened, service.acknowledgements_due, service.acknowledged_share) == (3, 2, 50)
    Case.objects.filter(acknowledge_by=today).update(acknowledge_by=today - timedelta(days=7))
    service = service_figures(cast.office)
    assert (service.acknowledged_in_time, service.acknowledgements_due) == (1, 3)
    assert service.acknowledged_share == 33
    assert (service.replies_due, service.replied_share) == (1, 0)
    client.force_login(cast.leader)
    html = client.get("/cases/team/").content.decode()
    assert 'data-figure="acknowledged_share">33%' in html
    assert "(1 of the 3 due, of 3 cases opened in the last 90 days)" in html
