"""The learning log: blameless reviews and successes, team-only or shared with the office."""

from django.test import Client
from django.utils import timezone

from compassion.pulse.models import LearningEntry
from tests.pulse.conftest import Team


def write(client: Client, visibility: str, title: str, leaders_own: bool = False) -> None:
    data = {
        "kind": "mistake",
        "title": title,
        "happened_on": timezone.localdate().isoformat(),
        "what_happened": "A reply went to the wrong constituent with the same surname.",
        "what_we_learned": "Autocomplete on names is risky.",
        "what_we_change": "Check the postcode before sending.",
        "visibility": visibility,
    }
    if leaders_own:
        data["leaders_own"] = "on"
    assert client.post("/team/learning/", data).status_code == 302


def test_anyone_can_log_a_mistake_including_the_leader(client: Client, team: Team) -> None:
    client.force_login(team.cast.leader)
    write(client, "team", "I promised a date I could not keep", leaders_own=True)
    entry = LearningEntry.objects.get()
    assert entry.leaders_own and entry.written_by == team.cast.leader
    client.force_login(team.cast.caseworker)
    page = client.get("/team/learning/").content.decode()
    assert "I promised a date" in page and "badge-warn\">the leader's own</span>" in page


def test_team_only_entries_are_hidden_from_volunteers(client: Client, team: Team) -> None:
    client.force_login(team.cast.caseworker)
    write(client, "team", "Wrong surname reply")
    write(client, "office", "Near miss on the data export")
    team_only = LearningEntry.objects.get(visibility="team")
    client.force_login(team.cast.volunteer)
    page = client.get("/team/learning/").content.decode()
    assert "Near miss on the data export" in page
    assert "Wrong surname reply" not in page
    assert client.get(f"/team/learning/{team_only.pk}/").status_code == 404
    assert client.post("/team/learning/", {"kind": "success"}).status_code == 403


def test_other_offices_never_see_the_log(client: Client, team: Team) -> None:
    client.force_login(team.cast.caseworker)
    write(client, "office", "Shared lesson")
    entry = LearningEntry.objects.get()
    client.force_login(team.cast.outsider)
    assert client.get(f"/team/learning/{entry.pk}/").status_code == 404
    assert "Shared lesson" not in client.get("/team/learning/").content.decode()


def test_only_the_leader_can_mark_a_mistake_as_the_leaders_own(client: Client, team: Team) -> None:
    """A blameless log: nobody else labels a mistake, shown to the whole office, as hers."""
    client.force_login(team.cast.caseworker)
    assert "This was the leader" not in client.get("/team/learning/").content.decode()
    write(client, "office", "The surgery overran", leaders_own=True)  # a forged tick
    assert not LearningEntry.objects.get().leaders_own
    client.force_login(team.cast.manager)
    assert "This was the leader" not in client.get("/team/learning/").content.decode()
    client.force_login(team.cast.leader)
    assert "This was the leader" in client.get("/team/learning/").content.decode()


def test_an_entry_cannot_be_dated_in_the_future(client: Client, team: Team) -> None:
    from datetime import timedelta

    client.force_login(team.cast.caseworker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/team/learning/",
        {
            "kind": "mistake",
            "title": "Wrong surname on a reply",
            "happened_on": tomorrow.isoformat(),
            "what_happened": "A reply went to the wrong constituent.",
            "visibility": "team",
        },
    )
    assert "Record what happened once it has happened." in response.content.decode()
    assert not LearningEntry.objects.exists()
