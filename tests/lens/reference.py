"""What the lens computes, the slow and obvious way, for tests to compare against."""

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from compassion.lens.features import TOKEN_PATTERN, featurize
from compassion.lens.linear import LinearModel

_WORD_TERMS = HashingVectorizer(ngram_range=(1, 2), token_pattern=TOKEN_PATTERN).build_analyzer()


def content_terms(text: str) -> list[str]:
    """The distinct word unigrams, then bigrams, of `text` that carry topic content, in order,
    as scikit-learn reads them: a term carries content unless all its words are stop words
    or single letters."""
    return [
        term
        for term in dict.fromkeys(_WORD_TERMS(text))
        if any(len(word) > 1 and word not in ENGLISH_STOP_WORDS for word in term.split())
    ]


def assert_reads_alike(fitted: LinearModel, shipped: LinearModel, texts: list[str]) -> None:
    """`fitted` and `shipped` give every text the same label and probabilities within 0.02.

    The weights themselves are not compared: L-BFGS stops at a tolerance, and where it stops
    depends on the processor's floating-point kernels (on one machine the refit equals the
    shipped weights exactly, on another it differs by up to 0.016), though both read the
    same way.
    """
    features = featurize(texts)
    fitted_proba, shipped_proba = fitted.proba(features), shipped.proba(features)
    assert np.abs(fitted_proba - shipped_proba).max() < 0.02
    assert (fitted_proba.argmax(axis=1) == shipped_proba.argmax(axis=1)).all()
