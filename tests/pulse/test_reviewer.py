"""The trusted reviewer sees single months from 3 people; the leader does not."""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from compassion.pulse.models import Group, PulseSettings, Response
from tests.conftest import NO_MAIL_SERVER
from tests.pulse.conftest import Team, close, open_cycle


def test_the_reviewer_sees_a_month_of_three_the_leader_cannot(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    for _ in range(3):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 2, "q9g": 2})
    cycle.comments.create(text="Please stop the late-night texts")
    close(cycle)

    client.force_login(team.cast.manager)
    client.post(
        "/team/settings/",
        {"min_respondents": 5, "reviewer_name": "Helen", "reviewer_email": "helen@hr.example.org"},
    )
    token = re.search(r"/team/reviewer/([\w-]+)/", mail.outbox[-1].body).group(1)

    client.force_login(team.cast.leader)
    assert "late-night texts" not in client.get("/team/results/").content.decode()

    client.logout()
    page = client.get(f"/team/reviewer/{token}/").content.decode()
    assert "late-night texts" in page
    assert "2.5" in page  # the compassionate leadership mean of the three
    assert client.get("/team/reviewer/not-the-token/").status_code == 404


def test_a_new_reviewer_email_stops_the_old_link(client: Client, team: Team) -> None:
    client.force_login(team.cast.manager)
    client.post("/team/settings/", {"min_respondents": 5, "reviewer_email": "a@hr.example.org"})
    old = re.search(r"/team/reviewer/([\w-]+)/", mail.outbox[-1].body).group(1)
    client.post("/team/settings/", {"min_respondents": 5, "reviewer_email": "b@hr.example.org"})
    client.logout()
    assert client.get(f"/team/reviewer/{old}/").status_code == 404


def test_the_reviewer_sees_nothing_of_a_month_with_two(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    for _ in range(2):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 1})
    close(cycle)
    token = PulseSettings.for_office(team.cast.office).new_reviewer_token()
    page = client.get(f"/team/reviewer/{token}/").content.decode()
    assert "Fewer than 3 answers" in page


def test_removing_the_reviewer_stops_their_link(client: Client, team: Team) -> None:
    client.force_login(team.cast.manager)
    client.post("/team/settings/", {"min_respondents": 5, "reviewer_email": "a@hr.example.org"})
    token = re.search(r"/team/reviewer/([\w-]+)/", mail.outbox[-1].body).group(1)
    response = client.post(
        "/team/settings/", {"min_respondents": 5, "reviewer_email": ""}, follow=True
    )
    assert "link no longer works" in response.content.decode()
    client.logout()
    assert client.get(f"/team/reviewer/{token}/").status_code == 404


def test_the_survey_tells_staff_that_a_trusted_reviewer_sees_months_of_three(
    client: Client, team: Team
) -> None:
    """The survey promised 'no result for fewer than 5' and comments for 'the team's leaders
    only', while the named reviewer reads single months from 3 people, comments included."""
    from tests.pulse.conftest import invite

    cycle = open_cycle(team.cast.office, team.cast.manager)
    token = invite(cycle)[team.cast.caseworker.email]
    assert "trusted reviewer" not in client.get(f"/team/answer/{token}/").content.decode()
    PulseSettings.objects.filter(office=team.cast.office).update(
        reviewer_name="Helen Price", reviewer_email="helen@hr.example.org"
    )
    page = client.get(f"/team/answer/{token}/").content.decode()
    assert "Helen Price, the office's trusted reviewer from outside the office" in page
    assert "from 3 people" in page


@pytest.mark.parametrize("spelling", [str.upper, lambda email: email.replace("@", "+hr@")])
def test_the_reviewer_cannot_be_someone_in_the_office(
    client: Client, team: Team, spelling: Callable[[str], str]
) -> None:
    """Otherwise the manager could name herself (in capitals, or with a +tag that reaches
    the same mailbox) and read single months from 3 people."""
    client.force_login(team.cast.manager)
    mail.outbox.clear()
    response = client.post(
        "/team/settings/",
        {"min_respondents": 5, "reviewer_email": spelling(team.cast.manager.email)},
    )
    assert response.status_code == 200
    assert "someone outside the office" in response.content.decode()
    assert not mail.outbox
    assert PulseSettings.for_office(team.cast.office).reviewer_email == ""


def test_the_reviewer_reads_a_comment_with_its_line_breaks(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    for _ in range(3):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 3})
    cycle.comments.create(text="Two things.\nFirst, the rota.\nSecond, <b>breaks</b>.")
    close(cycle)
    token = PulseSettings.for_office(team.cast.office).new_reviewer_token()
    page = client.get(f"/team/reviewer/{token}/").content.decode()
    assert "Two things.<br>First, the rota.<br>Second, &lt;b&gt;breaks&lt;/b&gt;." in page


def test_a_reviewer_link_the_mail_server_refuses_saves_nothing_and_can_be_sent_again(
    client: Client, team: Team
) -> None:

    client.force_login(team.cast.manager)
    client.raise_request_exception = False
    data = {"min_respondents": 5, "reviewer_name": "Helen", "reviewer_email": "helen@hr.example"}
    with NO_MAIL_SERVER:
        refused = client.post("/team/settings/", data)
    assert refused.status_code == 200
    assert "The mail server did not accept the email" in refused.content.decode()
    assert PulseSettings.for_office(team.cast.office).reviewer_email == ""
    client.post("/team/settings/", data)
    assert mail.outbox[-1].to == ["helen@hr.example"]
