import json
import shutil

from click.testing import CliRunner

from compassion.bridging import Statement, write_polis_export
from compassion.bridging.cli import commands, commonground

from .conftest import camp_conversation, polis_folder


def test_it_exposes_one_commonground_group():
    assert [c.name for c in commands] == ["commonground"]
    assert set(commonground.commands) == {"analyse", "export"}


def test_it_writes_the_result_as_json(tmp_path):
    votes, statements = camp_conversation()
    write_polis_export(tmp_path / "conv", statements, votes)
    output = tmp_path / "result.json"

    run = CliRunner().invoke(
        commonground,
        ["analyse", str(tmp_path / "conv"), "--output", str(output), "--bootstrap", "3"],
    )

    assert run.exit_code == 0, run.output
    result = json.loads(output.read_text())
    for key in (
        "participants",
        "groups",
        "consensus",
        "group_informed_consensus",
        "bridging",
        "stability",
    ):
        assert key in result
    assert {g["size"] for g in result["groups"]} == {40, 30}
    assert sum(sum(votes) for votes in result["group_votes"]["0"].values()) > 0
    assert all(isinstance(g["representative"], list) for g in result["groups"])
    scores = list(result["bridging"].values())
    assert scores == sorted(scores, reverse=True)
    assert "opinion groups" in run.output


def test_it_analyses_a_real_conversation(tmp_path):
    folder = polis_folder("canadian-electoral-reform")
    run = CliRunner().invoke(
        commonground, ["analyse", str(folder), "--output", str(tmp_path / "r.json")]
    )
    assert run.exit_code == 0, run.output
    participants = json.loads((tmp_path / "r.json").read_text())["participants"]
    assert sum(g is None for g in participants.values()) == 167


def test_it_refuses_a_folder_without_votes_plainly(tmp_path):
    shutil.copy(polis_folder("15-per-hour-seattle") / "comments.csv", tmp_path)
    run = CliRunner().invoke(commonground, ["analyse", str(tmp_path)])
    assert run.exit_code == 1
    assert "That folder has comments.csv but no votes: nothing to analyse yet." in run.output
    assert "Traceback" not in run.output


def test_it_refuses_an_empty_votes_file_plainly(tmp_path):
    write_polis_export(tmp_path, [Statement(1, "Hi")], [])
    run = CliRunner().invoke(commonground, ["analyse", str(tmp_path)])
    assert run.exit_code == 1
    assert "no votes" in run.output


def test_it_re_exports_with_its_groups(tmp_path):
    votes, statements = camp_conversation()
    write_polis_export(tmp_path / "in", statements, votes)
    run = CliRunner().invoke(commonground, ["export", str(tmp_path / "in"), str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    header, first = (tmp_path / "out" / "participants-votes.csv").read_text().splitlines()[:2]
    assert header.startswith("participant,group-id")
    assert first.split(",")[1] in {"0", "1"}


def test_it_refuses_a_missing_folder_plainly(tmp_path):
    run = CliRunner().invoke(commonground, ["analyse", str(tmp_path / "nowhere")])
    assert run.exit_code == 1
    assert "There is no folder at" in run.output
