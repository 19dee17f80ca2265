from datetime import date, timedelta

from click.testing import CliRunner
from django.core import mail

from compassion.commitments.models import Commitment, Milestone
from compassion.commitments.reminders import send_reminders
from tests.conftest import NO_MAIL_SERVER, Cast

TODAY = date(2026, 6, 1)


def test_it_reminds_owners_once_before_milestones_and_stocktakes(
    cast: Cast, commitment: Commitment
) -> None:
    Milestone.objects.create(
        commitment=commitment, title="Council vote", due_on=TODAY + timedelta(5)
    )
    Milestone.objects.create(commitment=commitment, title="Far off", due_on=TODAY + timedelta(60))
    Milestone.objects.create(
        commitment=commitment, title="Already done", due_on=TODAY, done_on=TODAY
    )
    commitment.next_stocktake_on = TODAY - timedelta(days=2)
    commitment.save()

    assert send_reminders(TODAY) == 1
    message = mail.outbox[0]
    assert message.to == ["charlie@example.org"]
    assert "Milestone “Council vote” of “Keep Eastfield Library open” is due on 6 June 2026" in (
        message.body
    )
    assert "stocktake of “Keep Eastfield Library open” was due on 30 May 2026" in message.body
    assert "Far off" not in message.body and "Already done" not in message.body
    assert f"/commitments/{commitment.pk}/stocktake/" in message.body

    assert send_reminders(TODAY + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_it_reminds_no_one_about_closed_or_ownerless_commitments(
    cast: Cast, commitment: Commitment
) -> None:
    commitment.status = "kept"
    commitment.next_stocktake_on = TODAY
    commitment.save()
    Milestone.objects.create(commitment=commitment, title="m", due_on=TODAY)
    other = Commitment.objects.create(
        office=cast.office, title="x", wording="x", owner=None, next_stocktake_on=TODAY
    )
    assert other.owner is None
    assert send_reminders(TODAY) == 0
    assert mail.outbox == []


def test_it_runs_from_the_command_line(cast: Cast, commitment: Commitment) -> None:
    from compassion.cli import main

    commitment.next_stocktake_on = TODAY
    commitment.save()
    commitment.people_asked = 40  # stale: counted before people were erased
    commitment.save()
    result = CliRunner().invoke(main, ["commitments", "remind", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 reminder email" in result.output
    assert "1 changed" in result.output
    commitment.refresh_from_db()
    assert commitment.people_asked == 1
    assert len(mail.outbox) == 1


def test_the_command_says_when_the_mail_server_refuses_and_a_rerun_sends_them(
    cast: Cast, commitment: Commitment
) -> None:
    from compassion.cli import main

    commitment.next_stocktake_on = TODAY
    commitment.save()
    with NO_MAIL_SERVER:
        refused = CliRunner().invoke(main, ["commitments", "remind", "--today", "2026-06-01"])
    assert refused.exit_code == 1
    assert "The mail server did not accept the reminders" in refused.output
    assert "Traceback" not in refused.output
    again = CliRunner().invoke(main, ["commitments", "remind", "--today", "2026-06-01"])
    assert "Sent 1 reminder email" in again.output
