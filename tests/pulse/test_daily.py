"""The daily run (`compassion pulse send`): links as a pulse opens, a reminder before it closes."""

from datetime import timedelta

from click.testing import CliRunner
from django.core import mail
from django.utils import timezone

from compassion.cli import main
from compassion.pulse import cycles
from compassion.pulse.models import Cycle
from tests.conftest import NO_MAIL_SERVER
from tests.pulse.conftest import Team, good_answers, links_by_email


def test_it_invites_on_the_opening_day_and_reminds_two_days_before_closing(
    client, team: Team
) -> None:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        office=team.cast.office, opens_on=today, closes_on=today + timedelta(days=6)
    )
    assert cycles.run_daily(today - timedelta(days=1)).invited == 0
    assert cycles.run_daily(today).invited == 6
    assert cycles.run_daily(today).invited == 0  # never twice
    links = links_by_email()
    client.post(f"/team/answer/{links[team.cast.caseworker.email]}/", good_answers())
    mail.outbox.clear()
    assert cycles.run_daily(today + timedelta(days=3)).reminded == 0
    # Two days before closing: only the five who have not answered, once that day.
    assert cycles.run_daily(today + timedelta(days=4)).reminded == 5
    assert team.cast.caseworker.email not in [m.to[0] for m in mail.outbox]
    cycle.refresh_from_db()
    assert cycle.last_reminder_on == today + timedelta(days=4)
    assert cycles.run_daily(today + timedelta(days=4)).reminded == 0


def test_the_command_runs_and_reports(team: Team) -> None:
    result = CliRunner().invoke(main, ["pulse", "send", "--today", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert "2 March 2026: 0 pulse invitation(s)" in result.output


def test_the_command_says_when_the_mail_server_refuses_and_a_rerun_sends_them(
    team: Team,
) -> None:

    today = timezone.localdate()
    Cycle.objects.create(
        office=team.cast.office, opens_on=today, closes_on=today + timedelta(days=6)
    )
    with NO_MAIL_SERVER:
        refused = CliRunner().invoke(main, ["pulse", "send"])
    assert refused.exit_code == 1
    assert "The mail server did not accept the invitations (0 sent)" in refused.output
    assert "Traceback" not in refused.output
    again = CliRunner().invoke(main, ["pulse", "send"])
    assert "6 pulse invitation(s)" in again.output
