"""Command line: `compassion analyse`, `coach`, `redact` and `compassion lens train`.

The main `compassion` group adds each command in `commands`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice, tee
from pathlib import Path
from typing import IO

import click

from compassion.lens.io import Record, read_records
from compassion.lens.parallel import ordered_map

BATCH_SIZE = 1000
INPUT = click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL (one object per line), CSV with a header, .eml or .mbox.",
)
OUTPUT = click.option(
    "--output",
    "output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write JSONL (default: standard output).",
)
SILENT = click.option("--silent", is_flag=True, help="Hide the progress bar.")


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    records = iter(records)
    while batch := list(islice(records, size)):
        yield batch


@contextmanager
def _progress(path: Path, silent: bool, label: str):
    """A byte-based progress bar on stderr, or a do-nothing one when `silent`."""
    if silent:
        yield lambda records: None
        return
    with click.progressbar(length=path.stat().st_size, label=label, file=sys.stderr) as bar:
        yield lambda records: bar.update(sum(r.size for r in records))


def _write(output: IO[str], data: dict) -> None:
    output.write(json.dumps(data, ensure_ascii=False) + "\n")


def _report_error(output: IO[str], record: Record) -> None:
    _write(output, {"id": record.id, "line": record.line, "error": record.error})
    click.echo(record.error, err=True)


def _with_warning(data: dict, record: Record) -> dict:
    """`data` with the record's warning added (and said on stderr), if it has one."""
    if record.warning:
        data["warnings"] = [*data.get("warnings", []), record.warning]
        click.echo(record.warning, err=True)
    return data


def _finish(path: Path, read: int, failed: int) -> None:
    if read == 0:
        raise click.ClickException(f"Nothing could be read from {path}.")
    if failed:
        click.echo(f"{failed} of {read + failed} records could not be read.", err=True)


def _analyse_batch(batch: list[Record], redact_text: bool) -> list[dict]:
    """Analyses of the readable records of `batch` (runs in a worker when --jobs > 1)."""
    from compassion.lens.analyse import default_lens

    readable = [record for record in batch if record.error is None]
    ids = [record.id for record in readable]
    texts = [record.fields["text"] for record in readable]
    return [a.to_dict() for a in default_lens().analyse(texts, ids, redact_text=redact_text)]


def _campaign_groups(path: Path, silent: bool, jobs: int) -> tuple[list[int | None], object]:
    """First pass: the campaign group of every record (None for unreadable ones).

    Only signatures and group numbers are kept, not texts, so memory stays small.
    """
    from compassion.lens.campaigns import CampaignIndex, signed_batches

    index = CampaignIndex()
    groups: list[int | None] = []
    with _progress(path, silent, "Finding campaigns") as advance:
        record_batches, to_sign = tee(_batches(read_records(path), BATCH_SIZE))
        texts = ([r.fields["text"] for r in batch if r.error is None] for batch in to_sign)
        signed = signed_batches(texts, jobs)
        for batch, (readable, computed) in zip(record_batches, signed, strict=True):
            found = iter(index.add(readable, computed))
            groups.extend(None if r.error else next(found) for r in batch)
            advance(batch)
    return groups, index


@click.command()
@INPUT
@OUTPUT
@click.option(
    "--redact",
    "redact_text",
    is_flag=True,
    help="Add a redacted copy of each text, and keep personal data out of the evidence, "
    "the explaining words and the lines added to a campaign letter.",
)
@click.option(
    "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)
@click.option(
    "--campaign-min-size",
    default=3,
    show_default=True,
    type=click.IntRange(2),
    help="Near-duplicates needed to call a group a campaign.",
)
@click.option("--no-campaigns", is_flag=True, help="Skip campaign detection (one pass).")
@SILENT
def analyse(input_path, output, redact_text, jobs, campaign_min_size, no_campaigns, silent):
    """Read each message: emotion, help, risk flags with evidence, theme, campaign, load."""
    from compassion.lens.campaigns import personal_lines
    from compassion.lens.redact import redact as without_personal_data

    groups, index = (None, None) if no_campaigns else _campaign_groups(input_path, silent, jobs)
    campaign_ids: dict[int, str] = {}
    read = failed = position = 0
    work = partial(_analyse_batch, redact_text=redact_text)
    with _progress(input_path, silent, "Analysing") as advance:
        batches = _batches(read_records(input_path), BATCH_SIZE)
        for batch, results in ordered_map(work, batches, jobs):
            results = iter(results)
            for record in batch:
                group = groups[position] if groups is not None else None
                in_campaign = group is not None and index.sizes[group] >= campaign_min_size
                if in_campaign and group not in campaign_ids:  # its first member
                    campaign_ids[group] = record.id or str(group)
                position += 1
                if record.error:
                    failed += 1
                    _report_error(output, record)
                    continue
                read += 1
                data = next(results)
                if in_campaign:
                    data["campaign"] = campaign_ids[group]
                    lines = personal_lines(record.fields["text"], index.template_keys(group))
                    if redact_text:
                        lines = [without_personal_data(line) for line in lines]
                    data["personal_lines"] = lines
                _write(output, _with_warning(data, record))
            advance(batch)
    _finish(input_path, read, failed)


@click.command()
@INPUT
@OUTPUT
@SILENT
def coach(input_path, output, silent):
    """Score drafted replies for empathy (EPITOME) and helpfulness, with suggestions.

    Input lines are {"id", "message", "reply"}.
    """
    from compassion.lens.coach import coach_replies

    read = failed = 0
    with _progress(input_path, silent, "Coaching") as advance:
        for batch in _batches(read_records(input_path, ("message", "reply")), 200):
            readable = [r for r in batch if r.error is None]
            pairs = [(r.fields["message"], r.fields["reply"]) for r in readable]
            coached = iter(coach_replies(pairs))
            for record in batch:
                if record.error:
                    failed += 1
                    _report_error(output, record)
                    continue
                read += 1
                result = next(coached)
                result.id = record.id
                _write(output, _with_warning(result.to_dict(), record))
            advance(batch)
    _finish(input_path, read, failed)


@click.command()
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL or CSV with a text field; without it, read stdin.",
)
@OUTPUT
@SILENT
def redact(input_path, output, silent):
    """Remove names, contact details, ID and bank numbers and addresses from texts.

    With --input, writes JSONL {"id", "text", "removed"} (and "warnings" where a row may
    be wrong); otherwise redacts plain text from standard input to the output.
    """
    from compassion.lens.redact import find_personal_data
    from compassion.lens.redact import redact as redact_text

    if input_path is None:
        output.write(redact_text(read_stdin()))
        return
    read = failed = 0
    with _progress(input_path, silent, "Redacting") as advance:
        for batch in _batches(read_records(input_path), BATCH_SIZE):
            for record in batch:
                if record.error:
                    failed += 1
                    _report_error(output, record)
                    continue
                read += 1
                text = record.fields["text"]
                removed = sorted({span.kind for span in find_personal_data(text)})
                redacted = {"id": record.id, "text": redact_text(text), "removed": removed}
                _write(output, _with_warning(redacted, record))
            advance(batch)
    _finish(input_path, read, failed)


def read_stdin() -> str:
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"The text given is not valid UTF-8 (byte {error.start + 1}): save it as UTF-8 "
            "and try again."
        ) from None


@click.group()
def lens():
    """The lens models: training and evaluation."""


@lens.command()
@click.option(
    "--data",
    "data_dir",
    default="../shared/data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding goemotions/, epitome_reddit/, disaster_response/, ...",
)
@click.option("--seed", default=0, show_default=True, help="Random state for every model.")
def train(data_dir: Path, seed: int):
    """Train the shipped models from the public data sets and print their scores."""
    from compassion.lens.train import train_all

    if not data_dir.is_dir():
        raise click.ClickException(f"There is no data folder at {data_dir}.")
    try:
        train_all(data_dir, random_state=seed, report=lambda line: click.echo(line, err=True))
    except FileNotFoundError as error:
        raise click.ClickException(f"A data set is missing: {error}") from error
    click.echo("Models saved in src/compassion/lens/models/.")


commands: list[click.Command] = [analyse, coach, redact, lens]
