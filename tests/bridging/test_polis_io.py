import shutil

import pytest

from compassion.bridging import (
    PolisExportError,
    Statement,
    Vote,
    read_polis_export,
    write_polis_export,
)

from .conftest import camp_conversation, polis_folder


def latest(votes):
    chosen = {}
    for vote in sorted(votes, key=lambda v: v.timestamp or 0):
        chosen[vote.participant, vote.statement] = vote.value
    return chosen


def test_it_reads_back_what_it_exports(tmp_path):
    votes, statements = camp_conversation(camp_sizes=(6, 5), n_statements=8, seed=1)
    statements[2] = Statement(2, 'Quotes, "commas"\nand lines', moderated=-1, author=3, created=5.0)
    groups = {p: p % 2 for p in range(11)}

    write_polis_export(tmp_path, statements, votes, groups)
    conversation = read_polis_export(tmp_path)

    assert conversation.statements == tuple(statements)
    assert conversation.votes == tuple(votes)
    assert conversation.polis_groups == groups


def test_it_rebuilds_votes_from_participants_votes(tmp_path):
    source = polis_folder("15-per-hour-seattle")
    shutil.copy(source / "comments.csv", tmp_path)
    shutil.copy(source / "participants-votes.csv", tmp_path)

    rebuilt = read_polis_export(tmp_path)
    original = read_polis_export(source)

    assert latest(rebuilt.votes) == latest(original.votes)
    assert rebuilt.polis_groups == original.polis_groups


def test_it_says_plainly_when_there_are_no_votes(tmp_path):
    shutil.copy(polis_folder("15-per-hour-seattle") / "comments.csv", tmp_path)
    with pytest.raises(PolisExportError, match="comments.csv but no votes"):
        read_polis_export(tmp_path)


def test_it_says_plainly_when_the_folder_is_not_an_export(tmp_path):
    with pytest.raises(PolisExportError, match="no comments.csv"):
        read_polis_export(tmp_path)
    with pytest.raises(PolisExportError, match="no folder"):
        read_polis_export(tmp_path / "missing")


def test_it_reads_a_header_only_votes_file_as_no_votes(tmp_path):
    write_polis_export(tmp_path, [Statement(1, "Hi")], [])
    assert read_polis_export(tmp_path).votes == ()
    assert Vote(1, 1, 1) not in read_polis_export(tmp_path).votes


def test_it_round_trips_a_real_export(tmp_path):
    original = read_polis_export(polis_folder("15-per-hour-seattle"))
    write_polis_export(tmp_path, original.statements, original.votes, original.polis_groups)
    copy = read_polis_export(tmp_path)
    assert copy.votes == original.votes
    assert copy.statements == original.statements
    assert copy.polis_groups == original.polis_groups
