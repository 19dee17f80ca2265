"""`compassion pulse ...`: the daily sending of pulse links and reminders."""

from __future__ import annotations

from datetime import datetime

import click


@click.group("pulse")
def pulse() -> None:
    """Team pulse surveys, check-ins and their reminders."""


@pulse.command("send")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if it were this day (YYYY-MM-DD).",
)
def send(today: datetime | None) -> None:
    """Send links for pulses that open today, reminders two days before a pulse closes, and
    reminders of check-in commitments due. Run it daily, e.g. from cron."""
    from compassion.cli import setup_django

    setup_django()
    from django.utils import timezone

    from compassion.pulse.cycles import run_daily

    day = today.date() if today else timezone.localdate()
    run = run_daily(day)
    click.echo(
        f"{day:%-d %B %Y}: {run.invited} pulse invitation(s), {run.reminded} pulse reminder(s), "
        f"{run.commitments} commitment reminder(s) sent."
    )


commands = [pulse]
