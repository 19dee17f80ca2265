"""Themes: the shared taxonomy, staff corrections and emerging themes."""

import pytest
from sklearn.metrics import f1_score

from compassion.lens import THEMES, Lens, ThemeModel, correction_rate, discover_themes
from compassion.lens.themes import load_blind_set, load_seed_set, map_to_themes


def test_it_exposes_the_shared_theme_slugs():
    assert list(THEMES) == [
        "housing",
        "benefits",
        "health",
        "immigration",
        "education",
        "transport",
        "crime",
        "environment",
        "local_services",
        "tax_money",
        "other",
    ]
    assert THEMES["crime"] == "Crime and antisocial behaviour"


def test_it_learns_from_a_caseworker_correction():
    text = "The hedgehog rescue centre on Mill Lane needs a licence renewal letter."
    model = ThemeModel().fit()
    corrected = ThemeModel().fit([(text, "environment")])
    assert model.predict([text])[0][0] != "environment" or model.predict([text])[0][1] < 0.9
    theme, confidence = corrected.predict([text])[0]
    assert theme == "environment" and confidence >= 0.9
    near = "The hedgehog rescue centre on Mill Lane needs a licence renewal letter please."
    assert corrected.predict([near])[0][0] == "environment"


FLOWER_SHOW_CORRECTIONS = [
    (
        "Will the Hollybrook flower show go ahead this August? The stalls need booking.",
        "local_services",
    ),
    ("Our stall at the Hollybrook flower show was cancelled with no refund.", "local_services"),
    (
        "Who is organising the Hollybrook flower show now that the committee has gone?",
        "local_services",
    ),
]
FLOWER_SHOW = (
    "My mum has entered her roses in the Hollybrook flower show for forty years, is it over?"
)


def test_corrections_refit_the_model_beyond_near_identical_messages():
    corrected = ThemeModel().fit(FLOWER_SHOW_CORRECTIONS)
    assert ThemeModel().fit().predict([FLOWER_SHOW])[0][0] != "local_services"
    assert corrected.n_corrections_ == 3
    assert corrected.predict([FLOWER_SHOW])[0][0] == "local_services"


def test_an_offices_corrected_model_is_the_one_the_lens_reads_with():
    office_lens = Lens(theme_model=ThemeModel().fit(FLOWER_SHOW_CORRECTIONS))
    assert office_lens.analyse([FLOWER_SHOW])[0].theme == "local_services"
    assert Lens().analyse([FLOWER_SHOW])[0].theme != "local_services"


def test_the_shipped_model_reads_the_blind_set_it_never_saw():
    texts, themes = load_blind_set()
    assert not set(texts) & set(load_seed_set()[0])
    assert min(themes.count(theme) for theme in THEMES) >= 15
    predicted = [theme for theme, _ in ThemeModel().fit().predict(texts)]
    assert f1_score(themes, predicted, average="macro") >= 0.75


def test_it_reports_the_correction_rate():
    report = correction_rate(
        [("housing", "housing"), ("housing", "benefits"), ("crime", "crime"), ("other", "health")]
    )
    assert (report.total, report.corrected, report.rate) == (4, 2, 0.5)
    assert report.by_theme == {"crime": 0.0, "housing": 0.5, "other": 1.0}
    assert correction_rate([]).rate == 0.0


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_it_discovers_emerging_themes_with_terms_and_three_quotes():
    """Texts this alike fit the factorisation almost exactly, where scikit-learn's measure of
    the fit (unused here) took the square root of a rounding error below zero and warned."""
    texts = (
        [
            f"The new parking app charges a fee {i} times and the parking app crashes"
            for i in range(8)
        ]
        + [f"Noise from the night club on Bridge Street, night club noise {i}" for i in range(8)]
        + [f"Scooter riders on the pavement near school, e-scooter danger {i}" for i in range(8)]
    )
    themes = discover_themes(texts, n_themes=3)
    assert len(themes) == 3
    labels = " ".join(" ".join(t.key_terms) for t in themes)
    assert "parking" in labels and "club" in labels and "scooter" in labels
    assert all(len(t.quotes) == 3 for t in themes)
    assert sorted(i for t in themes for i in t.members) == list(range(24))
    assert all(len(t.weights) == len(t.members) and min(t.weights) > 0 for t in themes)


def test_it_maps_texts_to_described_themes_across_word_forms():
    descriptions = [
        "Support for banning gambling advertisements",
        "Worries about children watching football",
    ]
    texts = [
        "Ban the adverts now.",
        "My kids watch the football every weekend with their children's club.",
    ]
    assert map_to_themes(texts, descriptions) == [[0], [1]]


def test_it_returns_no_themes_for_too_few_texts():
    assert discover_themes(["one", "two"]) == []


def test_a_text_maps_to_a_theme_by_the_words_of_the_texts_closest_to_it():
    descriptions = ["Ban gambling adverts", "Protect children online"]
    texts = [
        "Ban the gambling adverts on the telly.",
        "Gambling adverts on the telly are relentless during the match.",
        "Protect children online from grooming.",
        "Online grooming of children must be stopped.",
        "The telly is relentless, the match is ruined by it.",  # no word of a description
    ]
    assert 0 in map_to_themes(texts, descriptions)[4]


def test_an_empty_description_maps_nothing_and_spoils_nothing():
    texts = ["Ban the adverts.", "Protect the children online."]
    mapped = map_to_themes(texts, ["Ban adverts", "Protect children", ""])
    assert mapped == [[0], [1]]
