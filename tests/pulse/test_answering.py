"""Scheduling a pulse, single-use links, answering and reminders."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from compassion.pulse.models import Comment, Cycle, Invitation, Response
from tests.conftest import NO_MAIL_SERVER
from tests.pulse.conftest import Team, good_answers, invite, links_by_email, open_cycle


def test_it_schedules_monthly_pulses_and_invites_everyone_but_the_leader(
    client: Client, team: Team
) -> None:
    client.force_login(team.cast.manager)
    today = timezone.localdate()
    response = client.post(
        "/team/pulses/", {"first_opens_on": today.isoformat(), "days_open": 7, "months": 3}
    )
    assert response.status_code == 302
    scheduled = list(Cycle.objects.filter(office=team.cast.office).order_by("opens_on"))
    assert len(scheduled) == 3
    assert scheduled[1].opens_on.month == (today.month % 12) + 1
    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == sorted(u.email for u in team.staff)
    assert team.cast.leader.email not in invited
    assert team.cast.outsider.email not in invited
    assert "anonymous" in mail.outbox[0].body


def test_invitations_the_mail_server_refuses_are_sent_when_asked_again(
    client: Client, team: Team
) -> None:
    """Nobody is left invited without a link: an invitation is kept only once it is sent."""

    client.force_login(team.cast.manager)
    client.raise_request_exception = False
    today = timezone.localdate().isoformat()
    with NO_MAIL_SERVER:
        response = client.post(
            "/team/pulses/", {"first_opens_on": today, "days_open": 7, "months": 1}, follow=True
        )
    assert response.status_code == 200
    assert "the mail server did not accept the invitations" in response.content.decode()
    cycle = Cycle.objects.get()
    assert not Invitation.objects.exists()
    client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "invite"})
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in team.staff
    )


def test_a_reminder_the_mail_server_refuses_leaves_the_earlier_link_working(
    client: Client, team: Team
) -> None:
    """A reminder brings a fresh link and retires the earlier one: unless it is sent, the
    earlier one must go on working, or that person could no longer answer."""

    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    client.force_login(team.cast.manager)
    client.raise_request_exception = False
    with NO_MAIL_SERVER:
        response = client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "remind"})
    assert response.status_code == 302
    client.logout()
    token = links[team.cast.caseworker.email]
    answered = client.post(f"/team/answer/{token}/", good_answers())
    assert "Your answers are in" in answered.content.decode()
    assert Response.objects.count() == 1


def test_it_refuses_a_schedule_in_the_past_with_a_plain_message(client: Client, team: Team) -> None:
    client.force_login(team.cast.manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/team/pulses/", {"first_opens_on": yesterday.isoformat(), "days_open": 7, "months": 1}
    )
    assert response.status_code == 200
    assert "cannot open in the past" in response.content.decode()
    assert not Cycle.objects.exists()


def test_a_second_pulse_cannot_overlap_one_already_open_so_no_one_answers_twice(
    client: Client, team: Team
) -> None:
    """Two pulses open at once would each send a link: three people answering both would
    count as six answers, and results would show for fewer than five people."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    invite(cycle)
    mail.outbox.clear()
    client.force_login(team.cast.manager)
    today = timezone.localdate()
    response = client.post(
        "/team/pulses/", {"first_opens_on": today.isoformat(), "days_open": 7, "months": 1}
    )
    assert response.status_code == 200
    assert "already open or scheduled" in response.content.decode()
    assert Cycle.objects.count() == 1 and not mail.outbox
    after = cycle.closes_on + timedelta(days=1)
    response = client.post(
        "/team/pulses/", {"first_opens_on": after.isoformat(), "days_open": 7, "months": 2}
    )
    assert response.status_code == 302 and Cycle.objects.count() == 3


def test_a_pulse_scheduled_by_mistake_can_be_cancelled_before_it_opens(
    client: Client, team: Team
) -> None:
    """Without this, a pulse scheduled with the wrong dates blocked any other in its place."""
    client.force_login(team.cast.manager)
    next_week = timezone.localdate() + timedelta(days=7)
    client.post(
        "/team/pulses/", {"first_opens_on": next_week.isoformat(), "days_open": 7, "months": 1}
    )
    cycle = Cycle.objects.get()
    page = client.get(f"/team/pulses/{cycle.pk}/").content.decode()
    assert "Cancel this pulse" in page
    client.force_login(team.cast.caseworker)
    assert client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "cancel"}).status_code == 403
    client.force_login(team.cast.manager)
    response = client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "cancel"})
    assert response["Location"] == "/team/pulses/"
    assert not Cycle.objects.exists()
    response = client.post(
        "/team/pulses/", {"first_opens_on": next_week.isoformat(), "days_open": 14, "months": 1}
    )
    assert response.status_code == 302 and Cycle.objects.get().closes_on > next_week


def test_an_open_pulse_cannot_be_cancelled(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    client.force_login(team.cast.manager)
    assert "Cancel this pulse" not in client.get(f"/team/pulses/{cycle.pk}/").content.decode()
    client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "cancel"})
    assert Cycle.objects.filter(pk=cycle.pk).exists()


def test_only_leaders_and_managers_schedule(client: Client, team: Team) -> None:
    client.force_login(team.cast.caseworker)
    assert client.get("/team/pulses/").status_code == 403


def test_it_takes_answers_once_and_keeps_no_link_to_the_person(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    token = links[team.cast.caseworker.email]

    page = client.get(f"/team/answer/{token}/")
    assert page.status_code == 200
    assert "My immediate manager cares about my concerns." in page.content.decode()
    assert "Administrative Science Quarterly" in page.content.decode()

    data = good_answers() | {"comment": "  More time between surgeries.  "}
    thanks = client.post(f"/team/answer/{token}/", data)
    assert "Your answers are in" in thanks.content.decode()

    stored = Response.objects.get()
    assert stored.answers["q9h"] == 4
    assert {f.name for f in Response._meta.get_fields()} == {"id", "cycle", "group", "answers"}
    assert {f.name for f in Comment._meta.get_fields()} == {"id", "cycle", "text"}
    assert Comment.objects.get().text == "More time between surgeries."
    assert Invitation.objects.get(user=team.cast.caseworker).answered

    again = client.post(f"/team/answer/{token}/", data)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert Response.objects.count() == 1


def test_it_refuses_a_forged_answer_and_stores_nothing(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    token = invite(cycle)[team.cast.caseworker.email]
    response = client.post(f"/team/answer/{token}/", good_answers() | {"ps1": "9"})
    assert response.status_code == 400
    assert "is not one of the options" in response.content.decode()
    assert not Response.objects.exists()
    assert not Invitation.objects.get(user=team.cast.caseworker).answered
    # The choices already made are still ticked, and the link still works.
    assert 'value="4" checked' in response.content.decode()
    assert client.post(f"/team/answer/{token}/", good_answers()).status_code == 200


def test_it_refuses_an_empty_answer_and_an_unknown_link(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    token = invite(cycle)[team.cast.caseworker.email]
    assert client.post(f"/team/answer/{token}/", {"comment": "   "}).status_code == 400
    assert client.get("/team/answer/not-a-real-token/").status_code == 410


def test_a_comment_with_a_nul_character_is_kept_without_it(client: Client, team: Team) -> None:
    """Pasted from some programs; PostgreSQL cannot store it, and the answer was lost."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    token = invite(cycle)[team.cast.caseworker.email]
    response = client.post(f"/team/answer/{token}/", {"comment": "More\x00 cover on Fridays"})
    assert response.status_code == 200
    assert Comment.objects.get().text == "More cover on Fridays"


def test_it_refuses_answers_once_the_pulse_has_closed(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    token = invite(cycle)[team.cast.caseworker.email]
    cycle.closed_early_on = timezone.localdate()
    cycle.save()
    response = client.post(f"/team/answer/{token}/", good_answers())
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_it_reminds_only_those_who_have_not_answered_without_naming_anyone(
    client: Client, team: Team
) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    answered = team.staff[:2]
    for user in answered:
        client.post(f"/team/answer/{links[user.email]}/", good_answers())
    mail.outbox.clear()
    client.force_login(team.cast.manager)
    client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "remind"})
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == sorted(u.email for u in team.staff[2:])
    for message in mail.outbox:
        for user in team.staff:
            assert user.first_name not in message.body.replace(
                message.to[0].split("@")[0].title(), ""
            )
    # The reminder carries a fresh link; the old one stops working.
    fresh = links_by_email()
    late = team.staff[3]
    assert fresh[late.email] != links[late.email]
    assert client.get(f"/team/answer/{links[late.email]}/").status_code == 410
    assert client.get(f"/team/answer/{fresh[late.email]}/").status_code == 200

    page = client.get(f"/team/pulses/{cycle.pk}/").content.decode()
    assert 'data-figure="answered">2<' in page
    for user in answered:
        assert user.username not in page.lower().replace("mandy", "")  # no names listed


def test_other_offices_cannot_reach_a_cycle(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    client.force_login(team.cast.outsider)
    assert client.get(f"/team/pulses/{cycle.pk}/").status_code == 404
    assert client.post(f"/team/pulses/{cycle.pk}/action/", {"action": "close"}).status_code == 404
    cycle.refresh_from_db()
    assert cycle.closed_early_on is None


def test_stored_answers_cannot_be_lined_up_with_who_answered_when(
    client: Client, team: Team
) -> None:
    """Ids are random, nothing is timed, and closing rewrites the rows in random order."""
    from compassion.pulse import results

    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    for level, user in enumerate(team.staff[:5], start=1):
        client.post(f"/team/answer/{links[user.email]}/", {"q9f": str(level)})
    assert {f.name for f in Invitation._meta.get_fields()} == {
        "id",
        "cycle",
        "user",
        "token_hash",
        "answered",
    }
    cycle.closed_early_on = timezone.localdate()
    cycle.save()
    before = set(Response.objects.values_list("id", flat=True))
    results.windows(team.cast.office, 5)
    after = list(Response.objects.all())
    assert before.isdisjoint(r.id for r in after)  # new ids
    assert sorted(r.answers["q9f"] for r in after) == [1, 2, 3, 4, 5]  # nothing lost
    cycle.refresh_from_db()
    assert cycle.reshuffled
