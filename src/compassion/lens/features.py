"""Stateless text features shared by every lens model.

Words (unigrams and bigrams) and character n-grams inside word boundaries are hashed into
one fixed space, so no vocabulary has to be shipped and a text is vectorised once for all
the models that read it. Counts are damped (log 1 + tf) and rows are L2-normalised.
Character n-grams come from the first `CHAR_LIMIT` characters only: they help most on
short texts and cost most on long ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

N_FEATURES = 2**17
CHAR_LIMIT = 300
TOKEN_PATTERN = r"(?u)\b\w+\b|[!?]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"

_WORDS = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 2),
    alternate_sign=False,
    norm=None,
    token_pattern=TOKEN_PATTERN,
)
_CHARS = HashingVectorizer(
    n_features=N_FEATURES,
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    norm=None,
)


_WORD_ANALYZER = _WORDS.build_analyzer()


def word_terms(text: str) -> list[str]:
    """The distinct word unigrams and bigrams of `text`, in order."""
    return list(dict.fromkeys(_WORD_ANALYZER(text)))


@lru_cache(maxsize=2**18)
def _term_row(term: str) -> int:
    return abs(murmurhash3_32(term, seed=0)) % N_FEATURES


def term_rows(terms: Sequence[str]) -> np.ndarray:
    """The hashed feature rows of word terms (as `HashingVectorizer` computes them)."""
    return np.fromiter(map(_term_row, terms), dtype=np.int64, count=len(terms))


@lru_cache(maxsize=2**18)
def is_content_term(term: str) -> bool:
    """A term carries topic content unless all its words are stop words or single letters."""
    return any(len(word) > 1 and word not in ENGLISH_STOP_WORDS for word in term.split())


def featurize(texts: Sequence[str], chars: bool = True) -> sparse.csr_matrix:
    """Return the hashed, damped, L2-normalised feature matrix for `texts`."""
    matrix = _WORDS.transform(texts)
    if chars:
        matrix = matrix + _CHARS.transform([text[:CHAR_LIMIT] for text in texts])
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    np.log1p(matrix.data, out=matrix.data)
    return normalize(matrix, copy=False)
