"""`compassion commonground-import`: a Pol.is export folder into an office's conversations.

The `commonground` command group belongs to `compassion.bridging` (the maths on export
folders, no database); this command is the web app's, so it stands beside the group.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("commonground-import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--office", "office_slug", required=True, help="The office's short name (slug).")
@click.option("--title", required=True, help="A short name staff will recognise.")
@click.option("--question", required=True, help="The question the conversation asked.")
@click.option("--source", default="", help="Source and licence (Pol.is open data by default).")
def import_command(folder: Path, office_slug: str, title: str, question: str, source: str) -> None:
    """Import the Pol.is export in FOLDER as a conversation of an office."""
    from compassion.cli import setup_django

    setup_django()
    from compassion.commonground.polis_import import PolisImportError, import_folder
    from compassion.core.models import Office

    office = Office.objects.filter(slug=office_slug).first()
    if office is None:
        known = ", ".join(Office.objects.values_list("slug", flat=True)) or "none yet"
        raise click.ClickException(f"There is no office {office_slug!r} (offices: {known}).")
    try:
        imported = import_folder(office, folder, title=title, question=question, source=source)
    except PolisImportError as error:
        raise click.ClickException(str(error)) from None
    conversation = imported.conversation
    click.echo(
        f"Imported “{conversation.title}” into {office.name}: "
        f"{conversation.statements.count()} statements, "
        f"{conversation.participants.count()} participants, {conversation.votes().count()} votes."
    )
    if imported.report():
        click.echo(imported.report(), err=True)


commands: list[click.Command] = [import_command]
