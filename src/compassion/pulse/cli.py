"""`compassion pulse ...`: the daily sending of pulse links and reminders."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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

    from compassion.pulse.cycles import MailRefused, run_daily

    day = today.date() if today else timezone.localdate()
    try:
        run = run_daily(day)
    except MailRefused as refused:
        raise click.ClickException(
            f"{refused} Run it again later: nothing already sent is sent twice."
        ) from None
    click.echo(
        f"{day:%-d %B %Y}: {run.invited} pulse invitation(s), {run.reminded} pulse reminder(s), "
        f"{run.commitments} commitment reminder(s) sent."
    )


@pulse.command("reference")
@click.argument(
    "csv_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--label", default="", help='What the figures are, e.g. "NHS Staff Survey 2023".')
@click.option("--source", default="", help="Where they were published (a web address).")
@click.option("--clear", is_flag=True, help="Remove the loaded figures.")
def reference(csv_file: Path | None, label: str, source: str, clear: bool) -> None:
    """Load the published national figures that pulse results show as a reference.

    CSV_FILE has the columns code and value: a question code (q9f) with its % positive, or
    a scale code (compassionate_leadership) with its scale score. Without CSV_FILE, show
    what is loaded.
    """
    from compassion.cli import setup_django

    setup_django()
    from compassion.pulse import reference as national

    if clear:
        national.clear_reference()
        click.echo("Reference figures removed.")
        return
    if csv_file is not None:
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
            loaded = national.parse_reference_csv(text, label, source)
        except UnicodeDecodeError:
            raise click.ClickException(
                "The file is not UTF-8 text. Save it as CSV UTF-8."
            ) from None
        except national.ReferenceError as problem:
            raise click.ClickException(f"{problem} Nothing was changed.") from None
        national.save_reference(loaded)
    current = national.load_reference()
    if current is None:
        click.echo("No reference figures are loaded.")
        return
    click.echo(f"{current.label} ({current.source})")
    for instrument_code, figures in current.figures.items():
        for code, value in figures.items():
            click.echo(f"  {instrument_code} {code}: {value:g}")


commands = [pulse]
