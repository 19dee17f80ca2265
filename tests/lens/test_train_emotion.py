"""The emotion model's training: naive Bayes-scaled regressions blended with a softmax."""

from pathlib import Path

import numpy as np

from compassion.lens.features import featurize
from compassion.lens.linear import LinearModel
from compassion.lens.train import EMOTIONS, fit_emotion_model, naive_bayes_ratios

EXAMPLES = {
    "distress": ["I am so scared and lonely", "sad and scared tonight", "so lonely and sad"],
    "anger": ["outrageous and disgusting", "I am furious, outrageous", "disgusting, furious"],
    "positive": ["thank you, this is wonderful", "wonderful news, thank you", "love it, wonderful"],
    "neutral": ["the meeting is on tuesday", "the form is on the website", "meeting on the form"],
}


def toy_set() -> tuple[list[str], np.ndarray]:
    texts, rows = [], []
    for emotion, examples in EXAMPLES.items():
        texts += examples
        rows += [[name == emotion for name in EMOTIONS]] * len(examples)
    return texts, np.array(rows, dtype=bool)


def test_a_word_seen_only_in_one_class_gets_a_positive_ratio_for_it():
    texts, indicators = toy_set()
    features = featurize(texts, chars=False)
    ratios = naive_bayes_ratios(features, indicators[:, EMOTIONS.index("anger")], alpha=0.1)
    [furious] = featurize(["furious"], chars=False).indices
    [lonely] = featurize(["lonely"], chars=False).indices
    assert ratios[furious] > 0 > ratios[lonely]


def test_the_fitted_model_saves_as_a_linear_model_and_reads_each_emotion(
    tmp_path: Path,
):
    texts, indicators = toy_set()
    model = fit_emotion_model(featurize(texts), indicators, random_state=0)
    model.save(tmp_path)
    loaded = LinearModel.load("emotion", tmp_path)
    probabilities = loaded.proba(featurize(["so scared and lonely", "thank you, wonderful"]))
    assert [EMOTIONS[i] for i in probabilities.argmax(axis=1)] == ["distress", "positive"]
    assert np.allclose(probabilities.sum(axis=1), 1)
