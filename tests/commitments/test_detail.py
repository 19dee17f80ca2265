from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from compassion.commitments.models import Commitment, Milestone, Stocktake, TrajectoryPoint
from compassion.core.models import AuditAction, AuditEntry
from compassion.voices.models import Campaign
from tests.commitments.conftest import new_commitment
from tests.conftest import Cast


def test_it_plans_milestones_and_a_trajectory(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    commitment.metric_label = "homes repaired"
    commitment.metric_target = 400
    commitment.save()
    client.force_login(cast.caseworker)
    url = f"/commitments/{commitment.pk}/"
    client.post(url + "milestones/", {"title": "Meet the council leader", "due_on": "2026-05-01"})
    client.post(url + "trajectory/", {"on": "2026-06-01", "planned": "100", "actual": ""})
    client.post(url + "trajectory/", {"on": "2026-06-01", "planned": "", "actual": "82"})
    point = TrajectoryPoint.objects.get()
    assert (point.planned, point.actual) == (100, 82)  # the second entry keeps the plan
    milestone = Milestone.objects.get()
    client.post(f"/commitments/milestones/{milestone.pk}/done/")
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    page = client.get(url).content.decode()
    assert "<svg" in page and "<title" in page and "Latest actual: 82 homes repaired" in page
    assert commitment.progress() == 82 / 400


def test_it_explains_a_bad_milestone_or_point(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    url = f"/commitments/{commitment.pk}/"
    response = client.post(url + "milestones/", {"title": "", "due_on": "31/02/2026"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    commitment.metric_label = "homes"
    commitment.save()
    response = client.post(url + "trajectory/", {"on": "2026-06-01", "planned": "", "actual": ""})
    assert "Give a planned value, an actual value, or both." in response.content.decode()
    assert not Milestone.objects.exists() and not TrajectoryPoint.objects.exists()


def test_it_keeps_every_stocktake(client: Client, cast: Cast, commitment: Commitment) -> None:
    client.force_login(cast.caseworker)
    url = f"/commitments/{commitment.pk}/stocktake/"
    client.post(
        url,
        {
            "held_on": "2026-06-01",
            "likelihood": "amber_red",
            "progress": "Council undecided.",
            "reason": "Budget vote not yet held.",
        },
    )
    client.post(
        url,
        {
            "held_on": "2026-09-01",
            "likelihood": "green",
            "progress": "Budget agreed.",
            "reason": "The money is in the budget.",
        },
    )
    assert list(Stocktake.objects.values_list("likelihood", flat=True)) == ["green", "amber_red"]
    commitment.refresh_from_db()
    assert commitment.next_stocktake_on and commitment.next_stocktake_on > date(2026, 9, 1)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "Council undecided." in page and "Budget agreed." in page
    response = client.post(
        url, {"held_on": "2026-09-01", "likelihood": "purple", "progress": "x", "reason": "y"}
    )
    assert response.status_code == 200 and Stocktake.objects.count() == 2


def test_a_stocktake_cannot_be_dated_in_the_future(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """The newest stocktake is the judgement shown in public: one mistyped as 2062 would
    hide every later one for decades."""
    client.force_login(cast.caseworker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/commitments/{commitment.pk}/stocktake/",
        {
            "held_on": tomorrow.isoformat(),
            "likelihood": "green",
            "progress": "Budget agreed.",
            "reason": "The money is in the budget.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A stocktake cannot be held in the future." in html
    assert "Budget agreed." in html  # what was typed is kept
    assert not Stocktake.objects.exists()


def test_it_never_overwrites_the_original_wording(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    original = commitment.wording
    client.force_login(cast.leader)
    client.post(
        f"/commitments/{commitment.pk}/reword/",
        {
            "wording": "I will keep the library open four days a week.",
            "reason": "The council's budget allows four.",
        },
    )
    data = {
        "title": "Library",
        "wording": "Something else entirely",
        "topic": "other",
        "source": "speech",
        "made_on": "2026-03-01",
        "metric_baseline": "0",
        "stocktake_every_days": "90",
        "is_public": "on",
    }
    client.post(f"/commitments/{commitment.pk}/plan/", data)
    commitment.refresh_from_db()
    assert commitment.wording == original
    assert commitment.title == "Library"
    assert commitment.current_wording() == "I will keep the library open four days a week."
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, user=cast.leader)
    assert "four days a week" in entry.summary  # a public wording: who gave it is on record
    page = client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    assert original in page and "four days a week" in page


def test_the_plan_asks_in_plain_words_which_bigger_promise_it_is_part_of(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.leader)
    page = client.get(f"/commitments/{commitment.pk}/plan/").content.decode()
    assert '<label for="id_parent">Part of a bigger promise' in page
    assert "Parent" not in page


def test_it_rolls_progress_up_from_the_parts(cast: Cast) -> None:
    parent = new_commitment(cast, title="Save the library")
    first = new_commitment(cast, title="Open hours", parent=parent, status="kept")
    second = new_commitment(
        cast, title="Computers", parent=parent, metric_label="£k", metric_target=20
    )
    TrajectoryPoint.objects.create(commitment=second, on=date(2026, 5, 1), actual=5)
    assert first.progress() == 1.0
    assert second.progress() == 0.25
    assert Commitment.objects.get(pk=parent.pk).progress() == 0.625


def test_it_never_shows_another_office_a_commitment(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.outsider)
    url = f"/commitments/{commitment.pk}/"
    for path in ["", "plan/", "stocktake/", "status/", "reword/", "notify/"]:
        assert client.get(url + path).status_code == 404, path
    assert (
        client.post(url + "milestones/", {"title": "x", "due_on": "2026-01-01"}).status_code == 404
    )
    milestone = Milestone.objects.create(commitment=commitment, title="m", due_on=date(2026, 1, 1))
    assert client.post(f"/commitments/milestones/{milestone.pk}/done/").status_code == 404
    assert b"Keep Eastfield" not in client.get("/commitments/overdue/").content


def test_it_shows_volunteers_the_plan_but_no_way_to_change_it(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.volunteer)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "Keep Eastfield Library open" in page
    assert "Take stock" not in page and "Add the milestone" not in page
    url = f"/commitments/{commitment.pk}/"
    assert (
        client.post(url + "milestones/", {"title": "x", "due_on": "2026-01-01"}).status_code == 403
    )
    assert client.get(url + "stocktake/").status_code == 403
    assert client.get(url + "status/").status_code == 403
    assert not Milestone.objects.exists()


def test_volunteers_do_not_see_a_campaign_whose_theme_is_sensitive(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """As on the campaigns page: a campaign about NHS waits tells of its writers' health."""
    clinic = Campaign.objects.create(
        office=cast.office, title="Reopen the mental health crisis clinic", theme="health"
    )
    commitment.campaigns.add(clinic)
    client.force_login(cast.volunteer)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "Save Eastfield Library" in page
    assert "crisis clinic" not in page
    client.force_login(cast.caseworker)
    assert "crisis clinic" in client.get(f"/commitments/{commitment.pk}/").content.decode()


def test_an_actual_value_cannot_be_dated_after_today(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """A year typed wrong ("2027" for "2026") made a future 'actual' the latest one, and the
    progress bar read it as done."""
    commitment.metric_label = "homes repaired"
    commitment.metric_target = 400
    commitment.save()
    client.force_login(cast.caseworker)
    url = f"/commitments/{commitment.pk}/trajectory/"
    later = timezone.localdate() + timedelta(days=300)
    response = client.post(url, {"on": later.isoformat(), "planned": "", "actual": "350"})
    assert response.status_code == 400
    assert "An actual value is what has happened" in response.content.decode()
    assert 'value="350"' in response.content.decode()  # what was typed is kept
    assert not TrajectoryPoint.objects.exists()
    # A planned value for a later day is what a plan is for.
    client.post(url, {"on": later.isoformat(), "planned": "400", "actual": ""})
    assert TrajectoryPoint.objects.get().planned == 400


def test_only_the_leader_or_the_manager_rewords_a_promise(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """A new wording shows in public at once, beside the leader's own words, with no review."""
    client.force_login(cast.caseworker)
    url = f"/commitments/{commitment.pk}/reword/"
    assert client.get(url).status_code == 403
    posted = {"wording": "I will try to keep the library open.", "reason": "budget cuts"}
    assert client.post(url, posted).status_code == 403
    assert not commitment.rewordings.exists()
    client.force_login(cast.manager)
    assert client.post(url, posted).status_code == 302
    assert commitment.rewordings.count() == 1
