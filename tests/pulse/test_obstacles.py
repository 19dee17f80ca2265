"""Obstacles raised by staff or prompted by the pulse, acted on, and "you said, we did"."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from compassion.pulse.models import Obstacle, ObstacleStatus
from tests.pulse.conftest import Team, answered_by, close, good_answers, invite, open_cycle


def test_staff_raise_an_obstacle_anonymously_and_no_name_is_kept(
    client: Client, team: Team
) -> None:
    client.force_login(team.cast.caseworker)
    client.post(
        "/team/obstacles/",
        {
            "title": "The shared inbox rules hide urgent mail",
            "detail": "Twice this week",
            "anonymous": "on",
        },
    )
    obstacle = Obstacle.objects.get()
    assert obstacle.raised_by is None and obstacle.is_anonymous
    assert obstacle.raised_on == timezone.localdate()
    page = client.get("/team/obstacles/").content.decode()
    assert "Anonymous" in page and "Charlie" not in page.split("All obstacles")[1]


def test_an_anonymous_obstacle_does_not_show_when_it_was_raised_among_named_ones(
    client: Client, team: Team
) -> None:
    """Sequential numbers would place it between two named ones raised the same day."""
    client.force_login(team.cast.caseworker)
    client.post("/team/obstacles/", {"title": "Named first"})
    client.post("/team/obstacles/", {"title": "Anonymous middle", "anonymous": "on"})
    client.post("/team/obstacles/", {"title": "Named last"})
    page = client.get("/team/obstacles/").content.decode()
    links = re.findall(r'href="/team/obstacles/([^/"]+)/"', page)
    by_address = [str(o.ref) for o in sorted(Obstacle.objects.all(), key=lambda o: str(o.ref))]
    assert links == by_address
    assert not any(link.isdigit() for link in links)
    assert client.get(f"/team/obstacles/{links[0]}/").status_code == 200
    assert client.get("/team/obstacles/1/").status_code == 404


def test_the_manager_commits_an_action_and_the_team_sees_it_done(
    client: Client, team: Team
) -> None:
    client.force_login(team.cast.caseworker)
    client.post("/team/obstacles/", {"title": "No quiet room for hard phone calls"})
    obstacle = Obstacle.objects.get()
    assert obstacle.raised_by == team.cast.caseworker

    client.force_login(team.cast.manager)
    url = f"/team/obstacles/{obstacle.ref}/"
    refused = client.post(url, {"status": ObstacleStatus.COMMITTED, "action": "Book room 2"})
    assert "say what it is and by when" in refused.content.decode()
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    client.post(
        url,
        {
            "status": ObstacleStatus.COMMITTED,
            "action": "Keep room 2 free 2-4pm",
            "action_due": due,
            "action_owner": team.cast.manager.pk,
            "response": "You are right.",
        },
    )
    assert "Keep room 2 free" in client.get("/team/you-said-we-did/").content.decode()
    client.post(
        url,
        {
            "status": ObstacleStatus.DONE,
            "action": "Keep room 2 free 2-4pm",
            "action_due": due,
            "we_did": "Room 2 is now kept free every afternoon for calls.",
        },
    )
    obstacle.refresh_from_db()
    assert obstacle.done_on == timezone.localdate()
    client.force_login(team.cast.volunteer)
    page = client.get("/team/you-said-we-did/").content.decode()
    assert "Room 2 is now kept free" in page


def test_only_leaders_and_managers_respond(client: Client, team: Team) -> None:
    obstacle = Obstacle.objects.create(office=team.cast.office, title="Printer")
    client.force_login(team.cast.caseworker)
    response = client.post(f"/team/obstacles/{obstacle.ref}/", {"status": ObstacleStatus.DONE})
    assert response.status_code == 404
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.RAISED


def test_a_volunteer_can_raise_an_obstacle_too_anonymously_if_they_wish(
    client: Client, team: Team
) -> None:
    """Volunteers are part of the team the leader looks after: their view of casework is
    read-only, but what gets in their way is theirs to say, without going through staff."""
    client.force_login(team.cast.volunteer)
    page = client.get("/team/obstacles/").content.decode()
    assert "Raise it" in page and "ask a member of staff" not in page
    client.post(
        "/team/obstacles/", {"title": "No one tells us when the rota changes", "anonymous": "on"}
    )
    obstacle = Obstacle.objects.get()
    assert obstacle.office == team.cast.office and obstacle.raised_by is None


def test_a_low_score_becomes_an_action_on_you_said_we_did(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    for user in team.staff[:5]:
        client.post(f"/team/answer/{links[user.email]}/", good_answers(2))
    close(cycle)
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    assert "Act on this" in page
    action = {
        "title": "Protected lunch hour for everyone",
        "from_scale": "burnout",
        "from_result": "Work-related burnout: 75.0 of 100 (this month)",
    }
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    refused = client.post(
        f"/team/pulses/{cycle.pk}/act/", action | {"action_due": yesterday}, follow=True
    )
    assert refused.status_code == 400
    assert "not saved yet: Choose a date from today on." in refused.content.decode()
    assert 'value="Protected lunch hour for everyone"' in refused.content.decode()
    assert not Obstacle.objects.exists()
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        f"/team/pulses/{cycle.pk}/act/",
        {
            "title": "Protected lunch hour for everyone",
            "action_due": due,
            "from_scale": "burnout",
            "from_result": "Work-related burnout: 75.0 of 100 (this month)",
        },
    )
    obstacle = Obstacle.objects.get()
    assert response.url == f"/team/obstacles/{obstacle.ref}/"
    assert obstacle.from_cycle == cycle and obstacle.status == ObstacleStatus.COMMITTED
    said = client.get("/team/you-said-we-did/").content.decode()
    assert "Work-related burnout: 75.0 of 100" in said
    assert "Protected lunch hour" in said and "prompted by the pulse" in said


def test_other_offices_cannot_see_or_touch_obstacles(client: Client, team: Team) -> None:
    obstacle = Obstacle.objects.create(office=team.cast.office, title="Broken chair in the back")
    client.force_login(team.cast.outsider)
    assert client.get(f"/team/obstacles/{obstacle.ref}/").status_code == 404
    assert client.post(f"/team/obstacles/{obstacle.ref}/", {"status": "done"}).status_code == 404
    assert "Broken chair" not in client.get("/team/obstacles/").content.decode()
    assert "Broken chair" not in client.get("/team/you-said-we-did/").content.decode()


def test_you_said_we_did_links_to_the_months_that_prompted_it(client: Client, team: Team) -> None:
    from compassion.pulse.models import Group, Response

    today = timezone.localdate()
    cycles = []
    for days_ago in (70, 40):
        cycle = open_cycle(team.cast.office, team.cast.manager, days_ago=days_ago)
        for _ in range(5):
            Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9i": 2})
        answered_by(cycle, 5)
        cycles.append(cycle)
    Obstacle.objects.create(
        office=team.cast.office,
        title="Act on helping",
        from_cycle=cycles[0],
        from_scale="compassionate_leadership",
        from_result="Helping 2.5",
        status=ObstacleStatus.DONE,
        done_on=today,
        we_did="Weekly surgery debriefs",
    )
    client.force_login(team.cast.caseworker)
    said = client.get("/team/you-said-we-did/").content.decode()
    link = f"/team/results/?cycle={cycles[0].pk}#compassionate_leadership"
    assert link in said
    page = client.get(link.split("#")[0]).content.decode()
    assert f"{cycles[0].label}: <strong>5</strong>" in page


def test_the_detail_box_says_optional_once(client: Client, team: Team) -> None:
    client.force_login(team.cast.caseworker)
    page = client.get("/team/obstacles/").content.decode()
    assert 'More detail <span class="optional">(optional)</span>' in page
    assert "(optional) <span" not in page


def test_an_obstacle_reopened_and_done_again_shows_the_day_it_was_really_done(
    client: Client, team: Team
) -> None:
    long_ago = timezone.localdate() - timedelta(days=90)
    obstacle = Obstacle.objects.create(
        office=team.cast.office,
        title="No quiet room",
        status=ObstacleStatus.DONE,
        done_on=long_ago,
        we_did="Room 2 kept free",
    )
    client.force_login(team.cast.manager)
    url = f"/team/obstacles/{obstacle.ref}/"
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    client.post(
        url, {"status": ObstacleStatus.COMMITTED, "action": "Book room 2", "action_due": due}
    )
    obstacle.refresh_from_db()
    assert obstacle.done_on is None
    client.post(
        url,
        {
            "status": ObstacleStatus.DONE,
            "action": "Book room 2",
            "action_due": due,
            "we_did": "Room 2 is booked every afternoon",
        },
    )
    obstacle.refresh_from_db()
    assert obstacle.done_on == timezone.localdate()


def test_an_action_cannot_be_committed_to_by_a_day_already_past(client: Client, team: Team) -> None:
    """As on the results page: a date already past makes the promise overdue at once. A date
    given before, which has since passed, still stands when the action is marked done."""
    obstacle = Obstacle.objects.create(office=team.cast.office, title="No quiet room")
    client.force_login(team.cast.manager)
    url = f"/team/obstacles/{obstacle.ref}/"
    yesterday = timezone.localdate() - timedelta(days=1)
    committed = {"status": ObstacleStatus.COMMITTED, "action": "Book room 2"}
    refused = client.post(url, committed | {"action_due": yesterday.isoformat()})
    assert "Choose a date from today on." in refused.content.decode()
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.RAISED

    Obstacle.objects.filter(pk=obstacle.pk).update(
        status=ObstacleStatus.COMMITTED, action="Book room 2", action_due=yesterday
    )
    done = {"status": ObstacleStatus.DONE, "action": "Book room 2", "we_did": "Room 2 is booked"}
    client.post(url, done | {"action_due": yesterday.isoformat()})
    obstacle.refresh_from_db()
    assert obstacle.status == ObstacleStatus.DONE
