"""`compassion commitments ...`: reminders to the owners of commitments."""

from __future__ import annotations

from datetime import datetime

import click

from compassion.core.mail import MAIL_FAILURES


@click.group("commitments")
def commitments() -> None:
    """Commitments: promises tracked to delivery."""


@commitments.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if it were this day (YYYY-MM-DD); for catching up after a pause.",
)
def remind(today: datetime | None) -> None:
    """Email owners about milestones and stocktakes due within a week (each reminder once),
    and recount the people behind each open commitment.

    Run it daily, e.g. from cron: `compassion commitments remind`.
    """
    from compassion.cli import setup_django

    setup_django()
    from django.utils import timezone

    from compassion.commitments.models import OPEN_STATUSES, Commitment
    from compassion.commitments.reminders import REMIND_DAYS_AHEAD, send_reminders

    day = today.date() if today else timezone.localdate()
    try:
        sent = send_reminders(day)
    except MAIL_FAILURES:
        raise click.ClickException(
            "The mail server did not accept the reminders, so none was recorded as sent. "
            "Run it again later (check EMAIL_HOST and EMAIL_PORT)."
        ) from None
    recounted = Commitment.objects.filter(status__in=OPEN_STATUSES).recount_people_asked()
    click.echo(
        f"Sent {sent} reminder email{'s' if sent != 1 else ''} "
        f"about milestones and stocktakes due within {REMIND_DAYS_AHEAD} days of {day:%-d %B %Y}."
    )
    click.echo(f"Recounted the people behind open commitments: {recounted} changed.")


commands = [commitments]
