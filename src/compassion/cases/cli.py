"""Casework commands: the retention policy, the search index and the theme models."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--dry-run",
    "mode",
    flag_value="dry-run",
    default=True,
    help="Only say what would be anonymised (the default).",
)
@click.option("--apply", "mode", flag_value="apply", help="Anonymise the cases now.")
def retention(mode: str) -> None:
    """Anonymise closed cases older than each office's retention policy."""
    from compassion.cli import setup_django

    setup_django()
    from django.utils import timezone

    from compassion.cases.models import CaseworkPolicy
    from compassion.cases.privacy import apply_retention, due_for_anonymising
    from compassion.core.merging import UNDO_DAYS, forget_old_merges
    from compassion.core.models import Office
    from compassion.voices.csv_import import delete_abandoned_uploads

    now = timezone.now()
    total = 0
    for office in Office.objects.order_by("name"):
        years = CaseworkPolicy.for_office(office).anonymise_after_years
        if mode == "apply":
            count = apply_retention(office, now)
            forgotten = forget_old_merges(office, now)
            if forgotten:
                click.echo(
                    f"{office.name}: {forgotten} merge(s) over {UNDO_DAYS} days old "
                    "can no longer be undone; what undoing needed is deleted."
                )
            abandoned = delete_abandoned_uploads(office)
            if abandoned:
                click.echo(
                    f"{office.name}: {abandoned} spreadsheet(s) uploaded over a day ago and "
                    "never imported are deleted."
                )
            verb = "anonymised"
        else:
            count = due_for_anonymising(office, now).count()
            verb = "would be anonymised"
        click.echo(f"{office.name}: {count} case(s) closed over {years} year(s) ago {verb}.")
        total += count
    if mode == "dry-run":
        click.echo(f"Dry run: nothing was changed. Run with --apply to anonymise {total} case(s).")
    else:
        click.echo(f"Done: {total} case(s) anonymised; each is recorded in the audit log.")


@click.command("cases-reindex")
def reindex() -> None:
    """Rebuild the full-text search index of every office's cases."""
    from compassion.cli import setup_django

    setup_django()
    from compassion.cases.search import index_office
    from compassion.core.models import Office

    for office in Office.objects.order_by("name"):
        click.echo(f"{office.name}: {index_office(office)} case(s) indexed.")


@click.group()
def themes() -> None:
    """Each office's theme model, learned from its staff's theme corrections."""


@themes.command()
@click.option("--office", "office_slug", default="", help="Only this office (its slug).")
def refit(office_slug: str) -> None:
    """Refit the theme model of offices whose staff corrected themes since the last fit."""
    from compassion.cli import setup_django

    setup_django()
    from compassion.cases.theme_learning import needs_refit
    from compassion.cases.theme_learning import refit as refit_office
    from compassion.core.models import Office

    offices = Office.objects.order_by("name")
    if office_slug:
        offices = offices.filter(slug=office_slug)
        if not offices.exists():
            raise click.ClickException(f"There is no office with the slug {office_slug!r}.")
    for office in offices:
        if not needs_refit(office):
            click.echo(f"{office.name}: up to date, no new corrections.")
            continue
        learned = refit_office(office)
        click.echo(f"{office.name}: the theme model learned from {learned} correction(s).")


commands = [retention, reindex, themes]
