"""Check-ins: private to the two people, commitments kept on the leader's list until done."""

from datetime import timedelta

from click.testing import CliRunner
from django.core import mail
from django.test import Client
from django.utils import timezone

from compassion.cli import main
from compassion.pulse import cycles
from compassion.pulse.models import CheckIn, Commitment
from tests.conftest import NO_MAIL_SERVER
from tests.pulse.conftest import Team


def record(client: Client, team: Team, due_in_days: int = 7) -> CheckIn:
    client.force_login(team.cast.manager)
    due = (timezone.localdate() + timedelta(days=due_in_days)).isoformat()
    response = client.post(
        "/team/check-ins/",
        {
            "staff": team.cast.caseworker.pk,
            "held_on": timezone.localdate().isoformat(),
            "attending": "The benefits backlog; a thank-you letter from Mrs Okafor.",
            "understanding": "Why the appeals pile up on Mondays.",
            "empathizing": "Tired, a bit flat after the tribunal loss.",
            "c-text": "Take two appeals off Charlie's list",
            "c-due_on": due,
        },
    )
    assert response.status_code == 302
    return CheckIn.objects.get()


def test_it_records_a_check_in_by_the_four_behaviours(client: Client, team: Team) -> None:
    check_in = record(client, team)
    page = client.get(f"/team/check-ins/{check_in.pk}/").content.decode()
    for heading in ("Attending", "Understanding", "Empathizing", "Helping"):
        assert heading in page
    assert "Take two appeals off" in page
    home = client.get("/team/").content.decode()
    assert "Take two appeals off" in home  # on the manager's own list until done


def test_it_is_private_to_the_two_people(client: Client, team: Team) -> None:
    check_in = record(client, team)
    client.force_login(team.cast.caseworker)
    assert client.get(f"/team/check-ins/{check_in.pk}/").status_code == 200
    promised = client.get("/team/").content.decode()
    assert "Help promised to you" in promised and "Take two appeals off" in promised
    for outsider in (team.cast.leader, team.staff[3], team.cast.outsider):
        client.force_login(outsider)
        assert client.get(f"/team/check-ins/{check_in.pk}/").status_code == 404
        assert "tribunal" not in client.get("/team/check-ins/").content.decode()


def test_only_the_one_who_committed_marks_it_done(client: Client, team: Team) -> None:
    record(client, team)
    commitment = Commitment.objects.get()
    client.force_login(team.cast.caseworker)
    assert client.post(f"/team/commitments/{commitment.pk}/done/").status_code == 404
    client.force_login(team.cast.manager)
    client.post(f"/team/commitments/{commitment.pk}/done/")
    commitment.refresh_from_db()
    assert commitment.done_on == timezone.localdate()
    mine = client.get("/team/").content.decode().split("mine-heading")[1].split("</section>")[0]
    assert "Take two appeals off" not in mine


def test_it_reminds_of_commitments_due_once_a_week(client: Client, team: Team) -> None:
    record(client, team, due_in_days=0)
    Commitment.objects.update(due_on=timezone.localdate() - timedelta(days=1))  # a day late
    mail.outbox.clear()
    today = timezone.localdate()
    assert cycles.remind_commitments(today) == 1
    assert mail.outbox[0].to == [team.cast.manager.email]
    assert "is overdue" in mail.outbox[0].subject
    assert cycles.remind_commitments(today + timedelta(days=3)) == 0
    assert cycles.remind_commitments(today + timedelta(days=7)) == 1


def test_a_commitment_reminder_the_mail_server_refuses_is_said_in_a_sentence_and_kept_to_send(
    client: Client, team: Team
) -> None:
    record(client, team, due_in_days=1)
    with NO_MAIL_SERVER:
        refused = CliRunner().invoke(main, ["pulse", "send"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "The mail server did not accept the commitment reminders (0 sent)" in refused.output
    assert Commitment.objects.get().last_reminder_on is None  # sent on the next run
    mail.outbox.clear()
    assert "1 commitment reminder(s) sent" in CliRunner().invoke(main, ["pulse", "send"]).output


def test_a_commitment_needs_a_date(client: Client, team: Team) -> None:
    client.force_login(team.cast.manager)
    response = client.post(
        "/team/check-ins/",
        {
            "staff": team.cast.caseworker.pk,
            "held_on": timezone.localdate().isoformat(),
            "c-text": "Sort out the rota",
        },
    )
    page = response.content.decode()
    date_field = page.split('for="id_c-due_on"')[1].split("</div>")[0]
    assert "(needed if you commit to help)" in date_field
    assert '<p class="error" id="id_c-due_on_error">Give the commitment a date.</p>' in date_field
    assert "errorlist" not in page
    assert not CheckIn.objects.exists()


def test_marking_a_commitment_done_never_sends_you_to_another_site(
    client: Client, team: Team
) -> None:
    check_in = record(client, team)
    commitment = Commitment.objects.get()
    response = client.post(
        f"/team/commitments/{commitment.pk}/done/", {"next": "https://evil.example/team/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/team/"
    commitment.done_on = None
    commitment.save()
    back = client.post(
        f"/team/commitments/{commitment.pk}/done/", {"next": f"/team/check-ins/{check_in.pk}/"}
    )
    assert back["Location"] == f"/team/check-ins/{check_in.pk}/"


def test_a_forged_page_to_return_to_is_never_an_error(client: Client, team: Team) -> None:
    """`next` is only ever a path of ours; anything else (a word, a number, a NUL) is not a
    page name to look up: the commitment is marked done and the Team overview opens."""
    record(client, team)
    commitment = Commitment.objects.get()
    for forged in ("home", "-3", "2026-02-31", "team\x00", "//evil.example/"):
        Commitment.objects.update(done_on=None)
        response = client.post(f"/team/commitments/{commitment.pk}/done/", {"next": forged})
        assert response.status_code == 302, forged
        assert response["Location"] == "/team/", forged
        commitment.refresh_from_db()
        assert commitment.done_on == timezone.localdate()


def test_a_check_in_is_not_held_in_the_future_nor_a_commitment_due_in_the_past(
    client: Client, team: Team
) -> None:
    client.force_login(team.cast.manager)
    today = timezone.localdate()
    response = client.post(
        "/team/check-ins/",
        {
            "staff": team.cast.caseworker.pk,
            "held_on": (today + timedelta(days=1)).isoformat(),
            "attending": "The appeals backlog.",
            "c-text": "Sort out the rota",
            "c-due_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    page = response.content.decode()
    assert "Record a check-in once it has been held." in page
    assert "Choose a date from today on." in page
    assert "The appeals backlog." in page  # what was typed is kept
    assert not CheckIn.objects.exists() and not Commitment.objects.exists()
