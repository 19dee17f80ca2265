"""`compassion commonground ...`: analyse and re-export Pol.is export folders."""

from __future__ import annotations

import json
from pathlib import Path

import click

from compassion.bridging.export import result_to_json
from compassion.bridging.model import Options
from compassion.bridging.pipeline import analyse
from compassion.bridging.polis_io import (
    Conversation,
    PolisExportError,
    read_polis_export,
    write_polis_export,
)
from compassion.bridging.summary import summarise


def _read(folder: Path) -> Conversation:
    try:
        conversation = read_polis_export(folder)
    except PolisExportError as error:
        raise click.ClickException(str(error)) from error
    if not conversation.votes:
        raise click.ClickException(
            "That folder has comments.csv but no votes: nothing to analyse yet."
        )
    return conversation


@click.group("commonground")
def commonground() -> None:
    """Find opinion groups and common ground in a conversation."""


@commonground.command("analyse")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result as JSON here (otherwise to standard output).",
)
@click.option("--seed", default=0, show_default=True, help="Seed for reproducible resampling.")
@click.option(
    "--bootstrap", default=20, show_default=True, help="Resamples for stability and intervals."
)
@click.option("--summary/--no-summary", default=True, help="Print a plain-language summary.")
def analyse_command(
    folder: Path, output: Path | None, seed: int, bootstrap: int, summary: bool
) -> None:
    """Analyse the Pol.is export in FOLDER."""
    conversation = _read(folder)
    options = Options(random_state=seed, bootstrap_rounds=max(bootstrap, 0))
    result = analyse(conversation.votes, conversation.statements, options)
    text = json.dumps(result_to_json(result), indent=2, ensure_ascii=False)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}.")
    if summary:
        for sentence in summarise(result, conversation.statements):
            click.echo(sentence.text, err=output is None)


@commonground.command("export")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=0, show_default=True, help="Seed for reproducible resampling.")
def export_command(folder: Path, destination: Path, seed: int) -> None:
    """Re-export FOLDER to DESTINATION in Pol.is format, with our groups as group-id."""
    conversation = _read(folder)
    result = analyse(
        conversation.votes, conversation.statements, Options(random_state=seed, bootstrap_rounds=0)
    )
    write_polis_export(
        destination, conversation.statements, conversation.votes, result.participant_groups
    )
    click.echo(f"Wrote {destination}.")


commands: list[click.Command] = [commonground]
