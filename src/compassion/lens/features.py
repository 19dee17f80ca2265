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
recur, so they are hashed every time. Strings many at a time (pairs, the n-grams of new
words) are hashed by `_murmur_rows`, MurmurHash3 written with numpy over a whole batch,
several times faster than one scikit-learn call per string.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
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


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _rotate(values: np.ndarray, bits: int) -> np.ndarray:
    return (values << np.uint32(bits)) | (values >> np.uint32(32 - bits))


def _murmur_rows(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The feature row of each byte range `data[start:end]`: MurmurHash3 (x86, 32 bits,
    seed 0), as signed, absolute value, modulo `N_FEATURES`, for every range at once.

    One step of numpy per 4-byte block rather than one Python call per string: the ranges
    are ordered longest first, so the ranges that still have a k-th block are a prefix.
    """
    padded = np.frombuffer(data + bytes(7), dtype=np.uint8).astype(np.uint32)
    # The little-endian 32-bit word that starts at each byte.
    word = padded[:-3] | (padded[1:-2] << 8) | (padded[2:-1] << 16) | (padded[3:] << 24)
    lengths = ends - starts
    order = np.argsort(-(lengths >> 2), kind="stable")
    position, blocks, lengths = starts[order], lengths[order] >> 2, lengths[order]
    hashed = np.zeros(len(order), dtype=np.uint32)
    still = np.searchsorted(-blocks, -np.arange(blocks[0] if len(blocks) else 0), side="left")
    for block, count in enumerate(still.tolist()):
        mixed = _rotate(word[position[:count] + 4 * block] * _C1, 15) * _C2
        hashed[:count] = _rotate(hashed[:count] ^ mixed, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    tail_bits = ((lengths & 3) * 8).astype(np.uint32)
    tail = word[position + 4 * blocks] & ((np.uint32(1) << tail_bits) - np.uint32(1))
    hashed ^= _rotate(tail * _C1, 15) * _C2
    hashed ^= lengths.astype(np.uint32)
    hashed ^= hashed >> np.uint32(16)
    hashed *= np.uint32(0x85EBCA6B)
    hashed ^= hashed >> np.uint32(13)
    hashed *= np.uint32(0xC2B2AE35)
    hashed ^= hashed >> np.uint32(16)
    rows = np.empty(len(order), dtype=np.int64)
    rows[order] = np.abs(hashed.view(np.int32).astype(np.int64)) % N_FEATURES
    return rows


def _encoded(
    joined: str, starts: np.ndarray, ends: np.ndarray
) -> tuple[bytes, np.ndarray, np.ndarray]:
    """`joined` as UTF-8, with character offsets into it turned into byte offsets."""
    data = joined.encode("utf-8")
    if len(data) == len(joined):
        return data, starts, ends
    # Each character starts at a byte that is not a UTF-8 continuation byte.
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    offsets = np.append(np.flatnonzero((bytes_ & 0xC0) != 0x80), len(data))
    return data, offsets[starts], offsets[ends]


def term_rows(terms: Sequence[str]) -> np.ndarray:
    """The feature rows of `terms`, as `HashingVectorizer` hashes them (murmurhash3 of the
    UTF-8 bytes, absolute value, modulo `N_FEATURES`)."""
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    ends = np.cumsum(lengths)
    return _murmur_rows(*_encoded("".join(terms), ends - lengths, ends))


class _WordRows(dict):
    """Word -> its hashed row, hashed on first use."""

    def __missing__(self, word: str) -> int:
        row = self[word] = abs(murmurhash3_32(word)) % N_FEATURES
        return row


_WORD_ROWS = _WordRows()
# Word -> the hashed rows of its character n-grams; `_remember_char_rows` fills it.
_CHAR_ROWS: dict[str, list[int]] = {}


def _remember_char_rows(words: Collection[str]) -> None:
    """Hash the `char_wb` n-grams of all `words` at once and remember each word's rows.

    A word is padded with a space on each side; a padded word of length L gives its
    L - n + 1 n-grams for each n up to L (so a padded word shorter than n gives itself
    once, and no longer n-grams).
    """
    words = list(words)
    padded = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
    word_starts = np.cumsum(padded) - padded
    owners, starts, ends = [], [], []
    per_word = np.zeros(len(words), dtype=np.int64)
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        counts = np.maximum(padded - n + 1, 0)
        gram_starts = np.repeat(word_starts - (np.cumsum(counts) - counts), counts)
        gram_starts += np.arange(len(gram_starts))
        owners.append(np.repeat(np.arange(len(words)), counts))
        starts.append(gram_starts)
        ends.append(gram_starts + n)
        per_word += counts
    by_word = np.argsort(np.concatenate(owners), kind="stable")
    joined = "".join(f" {word} " for word in words)
    starts, ends = np.concatenate(starts)[by_word], np.concatenate(ends)[by_word]
    rows = _murmur_rows(*_encoded(joined, starts, ends)).tolist()
    bounds = [0, *np.cumsum(per_word).tolist()]
    for word, start, end in zip(words, bounds, bounds[1:], strict=False):
        _CHAR_ROWS[word] = rows[start:end]


def _pair_rows(token_lists: Sequence[list[str]]) -> np.ndarray:
    """The hashed rows of the word bigrams of every text, text after text, as
    `HashingVectorizer(ngram_range=(1, 2))` joins them ("first second").

    Every pair is a stretch of `" ".join(tokens)`, so no pair string is made.
    """
    tokens = list(chain.from_iterable(token_lists))
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    ends = np.cumsum(lengths + 1) - 1
    counts = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    last = np.cumsum(counts)[counts > 0] - 1
    firsts = np.delete(np.arange(len(tokens)), last)
    return _murmur_rows(
        *_encoded(" ".join(tokens), ends[firsts] - lengths[firsts], ends[firsts + 1])
    )


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


def featurize(texts: Sequence[str], chars: bool = True) -> sparse.csr_matrix:
    """Return the hashed, damped, L2-normalised feature matrix for `texts`."""
    for memory in (_WORD_ROWS, _CHAR_ROWS):
        if len(memory) > MEMORY_LIMIT:
            memory.clear()
    lowers = [text.lower() for text in texts]
    tokens = [_TOKENS.findall(lower) for lower in lowers]
    rows = [list(map(_WORD_ROWS.__getitem__, text_tokens)) for text_tokens in tokens]
    if chars:
        # str.split() breaks at exactly the characters `\s` matches, so it gives the words
        # that `char_wb` finds after collapsing runs of white space.
        heads = [
            (lower if len(text) <= CHAR_LIMIT else text[:CHAR_LIMIT].lower()).split()
            for text, lower in zip(texts, lowers, strict=True)
        ]
        _remember_char_rows(set(chain.from_iterable(heads)).difference(_CHAR_ROWS))
        for text_rows, words in zip(rows, heads, strict=True):
            for word in words:
                text_rows += _CHAR_ROWS[word]
    # Each occurrence as one number, text * N_FEATURES + row: sorting those counts every
    # (text, row) pair and leaves them in CSR order, faster than scipy's sum_duplicates.
    starts = np.arange(len(texts), dtype=np.int64) * N_FEATURES
    word_cells = np.repeat(starts, [len(text_rows) for text_rows in rows])
    word_cells += np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(word_cells))
    pair_cells = np.repeat(starts, [max(0, len(text_tokens) - 1) for text_tokens in tokens])
    pair_cells += _pair_rows(tokens)
    cells, counts = np.unique(np.concatenate([word_cells, pair_cells]), return_counts=True)
    indptr = np.searchsorted(cells, np.arange(len(texts) + 1) * N_FEATURES)
    matrix = sparse.csr_matrix(
        (np.log1p(counts.astype(np.float32)), (cells % N_FEATURES).astype(np.int32), indptr),
        shape=(len(texts), N_FEATURES),
    )
    return normalize(matrix, copy=False)
