"""Whether a message asks the office for help: the UK casework request model, the
crisis-message one and the writer's own asking words, as the lens reads them together."""

from __future__ import annotations

from compassion.lens import train
from compassion.lens.analyse import default_lens
from compassion.lens.evaluate import asking_for_help_scores
from compassion.lens.linear import LinearModel
from compassion.lens.train import ASKING_BLIND_SET, ASKING_SETS, CASEWORK_DIR, read_asking
from tests.lens.reference import assert_reads_alike


def test_it_reads_the_blind_set_of_asks_as_well_as_when_it_was_first_scored():
    scores = asking_for_help_scores(CASEWORK_DIR / ASKING_BLIND_SET)
    lens, words = scores["lens"], scores["asking words"]
    assert lens.recall >= 0.9 and lens.precision >= 0.8, (lens.missed, lens.wrong)
    assert lens.macro_f1 >= 0.85
    assert words.precision >= 0.9 and words.recall < 0.5  # most asks are not in set words


def test_it_hears_an_ask_made_without_asking_words():
    [reading] = default_lens().analyse(
        [
            "Our landlord has ignored the leak for three months and the ceiling is now stained "
            "and sagging. I have emailed the letting agent six times. What else can be done?"
        ]
    )
    assert reading.request_for_help and reading.request_words is None
    assert reading.top_features["request_for_help"]


def test_lobbying_thanks_and_opinion_are_not_asks_for_help():
    readings = default_lens().analyse(
        [
            "Please vote against the Planning Bill on Tuesday. It will ruin our green belt.",
            "Thank you so much for your help with my PIP appeal, the backpay came through.",
            "We would love you to visit St Mary's school for our eco fair on 3 May.",
        ]
    )
    assert [reading.request_for_help for reading in readings] == [False, False, False]


def test_the_shipped_request_model_is_what_the_training_script_makes(monkeypatch):
    """Trained on the two training sets only (never the blind one), and the weights that
    ship are the ones the script fits."""
    saved = []
    monkeypatch.setattr(LinearModel, "save", lambda model, *args: saved.append(model))
    scores = train.train_casework_request(random_state=0)
    assert ASKING_BLIND_SET not in scores["training_sets"]
    assert scores["rows"] == 800 and scores["blind_rows"] == 300
    [fitted] = saved
    shipped = LinearModel.load("casework_request")
    assert shipped.meta == scores
    assert_reads_alike(fitted, shipped, read_asking(*ASKING_SETS, ASKING_BLIND_SET).texts)
