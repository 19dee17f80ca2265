"""Stateless text features shared by every lens model.

Words (unigrams and bigrams) and character n-grams inside word boundaries are hashed into
one fixed space, so no vocabulary has to be shipped and a text is vectorised once for all
the models that read it. Counts are damped (log 1 + tf) and rows are L2-normalised.
Character n-grams come from the first `CHAR_LIMIT` characters only: they help most on
short texts and cost most on long ones.

The counts are exactly those of scikit-learn's `HashingVectorizer` (words:
`ngram_range=(1, 2)`, `token_pattern=TOKEN_PATTERN`; characters: `analyzer="char_wb"`,
`ngram_range=(3, 5)`; both `alternate_sign=False`, `norm=None`, added together), on which the
shipped models were trained; `tests/lens/test_features.py` pins that. They are computed here
without its per-token Python generators. Single words recur, so the hashed row of each word
and the rows of its character n-grams are remembered (up to `MEMORY_LIMIT` words, about
30 MB, then forgotten): a word seen before costs one dictionary look-up. Word pairs seldom
recur, and looking one up in a large memory costs about as much as hashing it, so pairs
are hashed every time, a whole batch at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

N_FEATURES = 2**17
CHAR_LIMIT = 300
CHAR_NGRAMS = (3, 5)
TOKEN_PATTERN = r"(?u)\b\w+\b|[!?]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
MEMORY_LIMIT = 2**15

# The same tokens as TOKEN_PATTERN, found faster: scanning left to right, a run of word
# characters is only ever entered at its start, where `\b` always holds.
_TOKENS = re.compile(r"\w+|[!?\U0001F300-\U0001FAFF\u2600-\u27BF]")


def term_rows(terms: Sequence[str]) -> np.ndarray:
    """The feature rows of `terms`, as `HashingVectorizer` hashes them (murmurhash3 of the
    UTF-8 bytes, absolute value, modulo `N_FEATURES`)."""
    hashes = np.fromiter(map(murmurhash3_32, terms), dtype=np.int64, count=len(terms))
    return np.abs(hashes) % N_FEATURES


def char_ngrams(word: str) -> list[str]:
    """The `char_wb` n-grams of one word: padded with a space on each side, a padded word
    shorter than n gives itself once (and no longer n-grams)."""
    padded = f" {word} "
    grams = []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
        if len(padded) <= n:
            break
    return grams


class _WordRows(dict):
    """Word -> its hashed row, hashed on first use."""

    def __missing__(self, word: str) -> int:
        row = self[word] = abs(murmurhash3_32(word)) % N_FEATURES
        return row


class _CharRows(dict):
    """Word -> the hashed rows of its character n-grams, computed on first use."""

    def __missing__(self, word: str) -> list[int]:
        rows = self[word] = term_rows(char_ngrams(word)).tolist()
        return rows


_WORD_ROWS = _WordRows()
_CHAR_ROWS = _CharRows()


def _pairs(tokens: list[str]) -> list[str]:
    """Word bigrams, as `HashingVectorizer(ngram_range=(1, 2))` makes them."""
    return list(map(" ".join, zip(tokens, tokens[1:], strict=False)))


def content_terms(text: str) -> list[str]:
    """The distinct word unigrams, then bigrams, of `text` that carry topic content, in order.

    A term carries content unless all its words are stop words or single letters.
    """
    tokens = _TOKENS.findall(text.lower())
    content = [len(token) > 1 and token not in ENGLISH_STOP_WORDS for token in tokens]
    pairs = [
        f"{first} {second}"
        for first, second, first_counts, second_counts in zip(
            tokens, tokens[1:], content, content[1:], strict=False
        )
        if first_counts or second_counts
    ]
    words = [token for token, counts in zip(tokens, content, strict=True) if counts]
    return list(dict.fromkeys(words + pairs))


def _words_and_pairs(text: str, chars: bool) -> tuple[list[int], list[str]]:
    """The rows of every single-word and character n-gram occurrence in `text` (a row
    repeats per count), and its word pairs, still to be hashed."""
    lower = text.lower()
    tokens = _TOKENS.findall(lower)
    rows = list(map(_WORD_ROWS.__getitem__, tokens))
    if chars:
        head = lower if len(text) <= CHAR_LIMIT else text[:CHAR_LIMIT].lower()
        # str.split() breaks at exactly the characters `\s` matches, so it gives the words
        # that `char_wb` finds after collapsing runs of white space.
        for word in head.split():
            rows += _CHAR_ROWS[word]
    return rows, _pairs(tokens)


def featurize(texts: Sequence[str], chars: bool = True) -> sparse.csr_matrix:
    """Return the hashed, damped, L2-normalised feature matrix for `texts`."""
    for memory in (_WORD_ROWS, _CHAR_ROWS):
        if len(memory) > MEMORY_LIMIT:
            memory.clear()
    split = [_words_and_pairs(text, chars) for text in texts]
    rows = [text_rows for text_rows, _ in split]
    pairs = [text_pairs for _, text_pairs in split]
    # Each occurrence as one number, text * N_FEATURES + row: sorting those counts every
    # (text, row) pair and leaves them in CSR order, faster than scipy's sum_duplicates.
    starts = np.arange(len(texts), dtype=np.int64) * N_FEATURES
    word_cells = np.repeat(starts, [len(text_rows) for text_rows in rows])
    word_cells += np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(word_cells))
    pair_cells = np.repeat(starts, [len(text_pairs) for text_pairs in pairs])
    pair_cells += term_rows(list(chain.from_iterable(pairs)))
    cells, counts = np.unique(np.concatenate([word_cells, pair_cells]), return_counts=True)
    indptr = np.searchsorted(cells, np.arange(len(texts) + 1) * N_FEATURES)
    matrix = sparse.csr_matrix(
        (np.log1p(counts.astype(np.float32)), (cells % N_FEATURES).astype(np.int32), indptr),
        shape=(len(texts), N_FEATURES),
    )
    return normalize(matrix, copy=False)
