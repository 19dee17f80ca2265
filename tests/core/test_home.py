from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from compassion.cases.models import Action, Case, Status
from compassion.core.views import URGENT_ON_HOME, greeting
from compassion.voices.models import Voice
from tests.conftest import Cast


def test_it_sends_visitors_to_log_in(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_shows_figures_from_the_database(client: Client, cast: Cast) -> None:
    long_ago = timezone.localdate() - timedelta(days=10)
    Case.objects.create(
        office=cast.office, reference="A-1", subject="Damp", acknowledge_by=long_ago
    )
    Case.objects.create(
        office=cast.office,
        reference="A-2",
        subject="Eviction",
        urgent=True,
        urgency_reasons=["Eviction or homelessness imminent"],
        status=Status.ACKNOWLEDGED,
    )
    Case.objects.create(office=cast.office, reference="A-3", subject="Done", status=Status.CLOSED)
    Case.objects.create(office=cast.other_office, reference="B-1", subject="Not ours", urgent=True)
    Voice.objects.create(office=cast.office, subject="unread")
    Voice.objects.create(office=cast.office, subject="No carers", risk_to_life=True, risk_score=0.8)
    Voice.objects.create(office=cast.other_office, subject="Theirs", risk_score=0.9)
    client.force_login(cast.caseworker)

    response = client.get("/")

    figures = response.context["figures"]
    assert figures["open_cases"] == 2
    assert figures["urgent_open"] == 1
    assert figures["overdue_acknowledgements"] == 1
    assert figures["unread_voices"] == 2
    assert figures["unread_possible_risks"] == 1
    assert b"/inbox/?risk=1&amp;unread=1" in response.content
    assert b"Eviction or homelessness imminent" in response.content
    assert b"Not ours" not in response.content


def test_it_tells_a_user_without_an_office(client: Client, db: None) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("loner", password="x"))
    response = client.get("/")
    assert response.status_code == 403
    assert b"not part of an office" in response.content


def test_it_links_only_to_sections_that_exist(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.get("/")
    labels = [label for label, _, _ in response.context["nav_sections"]]
    assert labels[0] == "Home"
    for label, url, _ in response.context["nav_sections"]:
        assert client.get(url).status_code == 200, label


def test_it_shows_each_role_only_the_sections_it_may_open(client: Client, cast: Cast) -> None:
    for user in (cast.leader, cast.manager, cast.caseworker, cast.volunteer):
        client.force_login(user)
        for label, url, _ in client.get("/").context["nav_sections"]:
            assert client.get(url).status_code == 200, (user.username, label)


def test_a_read_only_volunteer_is_not_shown_a_count_of_cases_assigned_to_them(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    assert b"open cases assigned to you" in client.get("/").content
    assert b"something due from you" in client.get("/").content
    client.force_login(cast.volunteer)
    assert b"open cases assigned to you" not in client.get("/").content
    assert b"something due from you" not in client.get("/").content


def test_each_figure_opens_the_list_it_counts(client: Client, cast: Cast) -> None:
    """A figure that says 11 leads to a list of those 11, so no one has to hunt for them."""
    long_ago = timezone.localdate() - timedelta(days=10)
    Case.objects.create(
        office=cast.office, reference="A-1", subject="Late", acknowledge_by=long_ago
    )
    for number in range(URGENT_ON_HOME + 2):
        Case.objects.create(
            office=cast.office,
            reference=f"U-{number}",
            subject=f"Urgent {number}",
            urgent=True,
            assigned_to=cast.caseworker,
        )
    Voice.objects.create(office=cast.office, subject="Unread one")
    due = Case.objects.get(reference="U-0")
    Action.objects.create(
        case=due, description="Ring back", owner=cast.caseworker, due_on=timezone.localdate()
    )
    client.force_login(cast.caseworker)
    response = client.get("/")
    html = response.content.decode()
    figures = response.context["figures"]
    mine = response.context["my_figures"]

    def cases_listed(query: str) -> int:
        assert f'href="/cases/?{query.replace("&", "&amp;")}"' in html
        return client.get(f"/cases/?{query}").context["page"].paginator.count

    assert cases_listed("status=open&urgent=on") == figures["urgent_open"] == URGENT_ON_HOME + 2
    assert cases_listed("status=open&late=on") == figures["overdue_acknowledgements"] == 1
    assert cases_listed("status=open&worker=me") == mine["open_cases"] == URGENT_ON_HOME + 2
    assert cases_listed("status=&due=on") == mine["due"] == 1
    assert "Ring back" in html and 'href="/cases/' + str(due.pk) + '/#actions"' in html
    assert 'href="/inbox/?unread=1"' in html
    assert html.count('class="card urgent-card"') == URGENT_ON_HOME
    assert f"All {URGENT_ON_HOME + 2} urgent cases" in html


def test_it_greets_by_the_time_of_day() -> None:
    at = datetime(2026, 11, 27, 0, 0)
    assert greeting(at.replace(hour=8)) == "Good morning"
    assert greeting(at.replace(hour=14)) == "Good afternoon"
    assert greeting(at.replace(hour=20)) == "Good evening"


def test_urgent_cases_nobody_holds_come_first_then_the_oldest(client: Client, cast: Cast) -> None:
    """A new urgent call nobody has taken must not wait below the list's fold."""
    for number in range(URGENT_ON_HOME):
        Case.objects.create(
            office=cast.office,
            reference=f"OLD-{number}",
            subject="Held",
            urgent=True,
            assigned_to=cast.caseworker,
            opened_at=timezone.now() - timedelta(days=60 - number),
        )
    Case.objects.create(office=cast.office, reference="NEW-1", subject="Nobody's", urgent=True)
    client.force_login(cast.manager)
    html = client.get("/").content.decode()
    cards = html.split('class="card urgent-card"')[1:]
    assert "NEW-1" in cards[0] and "held by nobody yet" in cards[0]
    assert "OLD-0" in cards[1] and "with " in cards[1]


def test_your_open_cases_say_how_many_are_campaign_letters(client: Client, cast: Cast) -> None:
    """The caseload page counts campaign letters apart; the home page's figure opens the
    list of all, so it says how many of them are campaign letters."""
    from compassion.voices.models import Campaign

    campaign = Campaign.objects.create(office=cast.office, title="Save the library")
    for number in range(3):
        Case.objects.create(
            office=cast.office,
            reference=f"L-{number}",
            subject="Library",
            assigned_to=cast.caseworker,
            campaign=campaign if number else None,
        )
    client.force_login(cast.caseworker)
    html = client.get("/").content.decode()
    assert "open cases assigned to you, 2 of them campaign letters" in html
