"""National reference figures: loaded by an administrator from the published results, never
invented; a bad file changes nothing."""

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from compassion.cli import main
from compassion.pulse import reference
from tests.pulse.conftest import Team, close, good_answers, invite, open_cycle

PUBLISHED = "code,value\nq9f,70.4\nq9g,74.1\nQ9H,72.0%\ncompassionate_leadership,7.03\nq24a,41.5\n"
LABEL = "NHS Staff Survey 2023, national"
SOURCE = "https://www.nhsstaffsurveys.com/results/national-results/"


@pytest.fixture(autouse=True)
def own_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def load(tmp_path: Path, text: str, *extra: str):
    csv_file = tmp_path / "figures.csv"
    csv_file.write_text(text, encoding="utf-8")
    return CliRunner().invoke(
        main, ["pulse", "reference", str(csv_file), "--label", LABEL, "--source", SOURCE, *extra]
    )


def test_published_figures_are_read_per_question_and_scale() -> None:
    loaded = reference.parse_reference_csv(PUBLISHED, LABEL, SOURCE)
    assert loaded.figures == {
        "compassionate_leadership": {"q9f": 70.4, "q9g": 74.1, "q9h": 72.0, "scale": 7.03},
        "intention_to_leave": {"q24a": 41.5},
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("item,figure\nq9f,70\n", "columns code and value"),
        ("code,value\nq99,70\n", "'q99' is not a question or scale"),
        ("code,value\nq9f,seventy\n", "'seventy' is not a number"),
        ("code,value\nq9f,170\n", "q9f must be between 0 and 100"),
        ("code,value\ncompassionate_leadership,70\n", "between 0 and 10"),
        ("code,value\nq9f,70\nq9f,71\n", "Line 3: q9f appears twice"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_the_line(text: str, problem: str) -> None:
    with pytest.raises(reference.ReferenceError, match=problem):
        reference.parse_reference_csv(text, LABEL, SOURCE)


def test_figures_need_a_label_and_a_source() -> None:
    with pytest.raises(reference.ReferenceError, match="where they were published"):
        reference.parse_reference_csv(PUBLISHED, LABEL, "")


def test_the_command_loads_shows_and_keeps_figures_when_a_new_file_is_bad(
    tmp_path: Path,
) -> None:
    result = load(tmp_path, PUBLISHED)
    assert result.exit_code == 0, result.output
    assert f"{LABEL} ({SOURCE})" in result.output
    assert "compassionate_leadership scale: 7.03" in result.output

    result = load(tmp_path, "code,value\nq9f,170\n")
    assert result.exit_code == 1
    assert "q9f must be between 0 and 100" in result.output
    assert "Nothing was changed." in result.output
    assert reference.load_reference().figures["compassionate_leadership"]["q9f"] == 70.4

    result = CliRunner().invoke(main, ["pulse", "reference", "--clear"])
    assert result.exit_code == 0
    assert reference.load_reference() is None


def test_results_show_the_loaded_figures_and_say_when_none_are_loaded(
    client: Client, team: Team, tmp_path: Path
) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager, days_ago=3)
    links = invite(cycle)
    for user in team.staff[:5]:
        client.post(f"/team/answer/{links[user.email]}/", good_answers(4))
    close(cycle)
    client.force_login(team.cast.leader)

    page = client.get("/team/results/").content.decode()
    assert "No figures are loaded, so no reference is shown" in page
    assert "approximate" not in page

    assert load(tmp_path, PUBLISHED).exit_code == 0
    page = client.get("/team/results/").content.decode()
    assert f"Reference: {LABEL}, scale score 7.03." in page
    assert "<td>70%</td>" in page  # q9f, in the item table's reference column
