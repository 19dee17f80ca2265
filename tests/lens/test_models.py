"""The shipped models: safe formats, small, documented."""

import json
from pathlib import Path

import numpy as np

from compassion.lens.linear import MODELS_DIR, LinearModel

DATASETS = ["GoEmotions", "EPITOME", "Empathic Reactions", "Disaster Response"]


def test_it_ships_only_npz_and_json_weights_that_load_without_pickle():
    files = sorted(MODELS_DIR.iterdir())
    assert {f.suffix for f in files} <= {".npz", ".json", ".md"}
    for path in MODELS_DIR.glob("*.npz"):
        with np.load(path, allow_pickle=False) as stored:
            weights = [name for name in stored.files if name.endswith("values")]
            assert weights, path.name
            assert all(stored[name].dtype == np.float16 for name in weights)
        assert json.loads(path.with_suffix(".json").read_text())["name"] == path.stem


def test_it_keeps_the_models_small():
    total = sum(path.stat().st_size for path in MODELS_DIR.iterdir())
    assert total < 8 * 1024 * 1024


def test_it_names_every_dataset_and_licence_in_the_model_card():
    card = (MODELS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for name in DATASETS + ["CC BY 4.0", "Demszky", "Sharma", "Munro", "Buechel"]:
        assert name in card


def test_it_round_trips_a_model(tmp_path: Path):
    model = LinearModel.load("request_for_help")
    model.name = "copy"
    model.save(tmp_path)
    again = LinearModel.load("copy", tmp_path)
    assert np.allclose(again.coef, model.coef, atol=1e-3)
    assert again.threshold == model.threshold
