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
without its per-token Python generators. Each word met is given a number once (up to
`MEMORY_LIMIT` words, about 18 MB, then all are forgotten), and its hashed row, whether it
carries content and the rows of its character n-grams are kept in arrays by number: a word
seen before costs one dictionary look-up, and the rest of a batch's work is numpy. Word
pairs seldom recur, so they are hashed every time. Strings many at a time (pairs, new
words and their n-grams) are hashed by `_murmur_rows`, MurmurHash3 written with numpy over
a whole batch, several times faster than one scikit-learn call per string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize

N_FEATURES = 2**17
CHAR_LIMIT = 300
CHAR_NGRAMS = (3, 5)
TOKEN_PATTERN = r"(?u)\b\w+\b|[!?]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
# Words of both kinds (tokens, and words split at white space for n-grams) share it: as
# many as the 2**15 of each once kept apart, in under half their memory.
MEMORY_LIMIT = 2**16

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


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """`range(start, start + length)` for each pair, one after another."""
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())


def _char_ngram_rows(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The hashed rows of the `char_wb` n-grams of all `words` (word after word), and how
    many each word has.

    A word is padded with a space on each side; a padded word of length L gives its
    L - n + 1 n-grams for each n up to L (so a padded word shorter than n gives itself
    once, and no longer n-grams).
    """
    padded = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
    word_starts = np.cumsum(padded) - padded
    owners, starts, ends = [], [], []
    per_word = np.zeros(len(words), dtype=np.int64)
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        counts = np.maximum(padded - n + 1, 0)
        gram_starts = _ranges(word_starts, counts)
        owners.append(np.repeat(np.arange(len(words)), counts))
        starts.append(gram_starts)
        ends.append(gram_starts + n)
        per_word += counts
    by_word = np.argsort(np.concatenate(owners), kind="stable")
    joined = "".join(f" {word} " for word in words)
    starts, ends = np.concatenate(starts)[by_word], np.concatenate(ends)[by_word]
    return _murmur_rows(*_encoded(joined, starts, ends)), per_word


class _Numbers(dict):
    """Word -> a number, the next free one on first use; `words` lists them by number."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self.words)
        self.words.append(word)
        return number


class _Memory:
    """What is known of each word met so far, by number, so that a batch's words are
    looked up once each and everything else is read from arrays.

    `rows`, `content` and the n-gram arrays are filled for new words a whole batch at a
    time. Up to `MEMORY_LIMIT` words are kept (about 18 MB), then all are forgotten.
    """

    def __init__(self) -> None:
        self.numbers = _Numbers()
        self.rows = np.zeros(0, dtype=np.int64)  # the word's hashed row
        self.content = np.zeros(0, dtype=bool)  # whether the word carries content
        # Of words split at white space, the rows of their character n-grams: word k's
        # are gram_rows[gram_starts[k] : gram_starts[k] + gram_counts[k]] (none: not known).
        self.gram_rows = np.zeros(0, dtype=np.int64)
        self.gram_starts = np.zeros(0, dtype=np.int64)
        self.gram_counts = np.zeros(0, dtype=np.int64)

    def numbers_of(self, words: Iterable[str], count: int) -> np.ndarray:
        """The numbers of `count` words, learning what is needed about the new ones."""
        numbers = np.fromiter(map(self.numbers.__getitem__, words), dtype=np.int64, count=count)
        new = self.numbers.words[len(self.rows) :]
        if new:
            self.rows = np.concatenate([self.rows, term_rows(new)])
            carries = [len(word) > 1 and word not in ENGLISH_STOP_WORDS for word in new]
            self.content = np.concatenate([self.content, carries])
            unknown = np.zeros(len(new), dtype=np.int64)
            self.gram_starts = np.concatenate([self.gram_starts, unknown])
            self.gram_counts = np.concatenate([self.gram_counts, unknown])
        return numbers

    def learn_grams(self, numbers: np.ndarray) -> None:
        """Hash the character n-grams of the words `numbers` whose n-grams are not known."""
        numbers = np.unique(numbers)
        unknown = numbers[self.gram_counts[numbers] == 0]
        if not len(unknown):
            return
        words = self.numbers.words
        rows, counts = _char_ngram_rows([words[number] for number in unknown.tolist()])
        self.gram_starts[unknown] = len(self.gram_rows) + np.cumsum(counts) - counts
        self.gram_counts[unknown] = counts
        self.gram_rows = np.concatenate([self.gram_rows, rows])

    def gram_rows_of(self, numbers: np.ndarray) -> np.ndarray:
        """The character n-gram rows of the words `numbers`, one word after another."""
        return self.gram_rows[_ranges(self.gram_starts[numbers], self.gram_counts[numbers])]


_MEMORY = _Memory()


def _pair_firsts(counts: np.ndarray) -> np.ndarray:
    """In a batch's tokens (text after text, `counts` per text), the index of the first
    token of each word pair: every token but the last of its text."""
    last = np.cumsum(counts)[counts > 0] - 1
    return np.delete(np.arange(counts.sum()), last)


def _pair_rows(tokens: list[str], firsts: np.ndarray) -> np.ndarray:
    """The hashed rows of the word pairs starting at `firsts`, as
    `HashingVectorizer(ngram_range=(1, 2))` joins them ("first second").

    Every pair is a stretch of `" ".join(tokens)`, so no pair string is made.
    """
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    ends = np.cumsum(lengths + 1) - 1
    return _murmur_rows(
        *_encoded(" ".join(tokens), ends[firsts] - lengths[firsts], ends[firsts + 1])
    )


@dataclass
class ContentTerms:
    """The content terms of a batch's texts, text after text, each with its feature row and
    the number of its text (`owners`, ascending). A text's content terms are its distinct
    word unigrams, then bigrams, in order, that carry topic content: a term carries content
    unless all its words are stop words or single letters.

    A term is the token at `starts` in `tokens`, or the pair of tokens there when `pairs`
    says so; `spell` makes terms into strings, so only the terms shown ever are.
    """

    rows: np.ndarray
    owners: np.ndarray
    starts: np.ndarray
    pairs: np.ndarray
    tokens: list[str]

    def spell(self, indices: np.ndarray) -> list[str]:
        """The terms at `indices`, as strings."""
        tokens = self.tokens
        return [
            f"{tokens[start]} {tokens[start + 1]}" if pair else tokens[start]
            for start, pair in zip(
                self.starts[indices].tolist(), self.pairs[indices].tolist(), strict=True
            )
        ]

    @property
    def terms(self) -> list[str]:
        return self.spell(np.arange(len(self.rows)))


@dataclass
class _Tokens:
    """A batch's tokens, text after text, with their word numbers and word pairs."""

    tokens: list[str]
    counts: np.ndarray  # tokens per text
    numbers: np.ndarray
    firsts: np.ndarray  # the first token of each pair
    pair_rows: np.ndarray

    @classmethod
    def of(cls, token_lists: list[list[str]]) -> _Tokens:
        tokens = list(chain.from_iterable(token_lists))
        counts = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        firsts = _pair_firsts(counts)
        numbers = _MEMORY.numbers_of(tokens, len(tokens))
        return cls(tokens, counts, numbers, firsts, _pair_rows(tokens, firsts))


def _content(batch: _Tokens) -> ContentTerms:
    """The content terms of each text in `batch`: its distinct content words in order, then
    its distinct pairs holding a content word, in order."""
    content = _MEMORY.content[batch.numbers]
    words = np.flatnonzero(content)
    chosen_pairs = content[batch.firsts] | content[batch.firsts + 1]
    pairs = batch.firsts[chosen_pairs]
    starts = np.concatenate([words, pairs])
    is_pair = np.repeat([False, True], [len(words), len(pairs)])
    rows = np.concatenate([_MEMORY.rows[batch.numbers[words]], batch.pair_rows[chosen_pairs]])
    second_word = np.concatenate([np.full(len(words), -1), batch.numbers[pairs + 1]])
    owners = np.repeat(np.arange(len(batch.counts)), batch.counts)[starts]
    # Text by text, words before pairs, each in the order of the text.
    order = np.argsort(owners, kind="stable")
    starts, is_pair, rows = starts[order], is_pair[order], rows[order]
    owners, first_word, second_word = owners[order], batch.numbers[starts], second_word[order]
    # A term met again in its text is dropped: sort the terms by text and by what they say
    # (a stable sort, so equal terms stay in order), and keep the first of each run.
    by_term = np.lexsort((first_word, second_word, owners))
    repeated = np.zeros(len(by_term), dtype=bool)
    repeated[1:] = (
        (owners[by_term[1:]] == owners[by_term[:-1]])
        & (first_word[by_term[1:]] == first_word[by_term[:-1]])
        & (second_word[by_term[1:]] == second_word[by_term[:-1]])
    )
    kept = np.sort(by_term[~repeated])
    return ContentTerms(rows[kept], owners[kept], starts[kept], is_pair[kept], batch.tokens)


_WORD_CHARACTER = re.compile(r"\w")


def _tokens(text: str, lower: str, head_chars: int) -> tuple[list[str], list[str], int]:
    """The tokens of `lower` (= `text.lower()`), and those of its first `head_chars`
    characters lower-cased on their own (`text[:head_chars].lower()`), and how many tokens
    the two start with in common.

    When the head's tokens start the text's, the rest of the text is read from where the
    head ends, so no character is scanned twice; a word that straddles the cut is joined.
    """
    if len(text) <= head_chars:
        tokens = _TOKENS.findall(lower)
        return tokens, tokens, len(tokens)
    head = text[:head_chars].lower()
    head_tokens = _TOKENS.findall(head)
    if not lower.startswith(head):
        return _TOKENS.findall(lower), head_tokens, 0
    rest = _TOKENS.findall(lower, len(head))
    straddles = (
        head_tokens
        and rest
        and _WORD_CHARACTER.match(head, len(head) - 1)
        and _WORD_CHARACTER.match(lower, len(head))
    )
    if straddles:
        merged = [*head_tokens[:-1], head_tokens[-1] + rest[0], *rest[1:]]
        return merged, head_tokens, len(head_tokens) - 1
    return head_tokens + rest, head_tokens, len(head_tokens)


def featurize(texts: Sequence[str], chars: bool = True) -> sparse.csr_matrix:
    """Return the hashed, damped, L2-normalised feature matrix for `texts`."""
    _forget_when_full()
    lowers = [text.lower() for text in texts]
    batch = _Tokens.of([_TOKENS.findall(lower) for lower in lowers])
    return _matrix(texts, lowers, batch, chars)


def featurize_with_terms(
    texts: Sequence[str], head_chars: int
) -> tuple[sparse.csr_matrix, ContentTerms]:
    """`featurize(texts)`, and the content terms of each text's first `head_chars`
    characters, from the same tokens and hashed rows wherever the two share them."""
    _forget_when_full()
    lowers = [text.lower() for text in texts]
    read = [_tokens(text, lower, head_chars) for text, lower in zip(texts, lowers, strict=True)]
    batch = _Tokens.of([tokens for tokens, _, _ in read])
    matrix = _matrix(texts, lowers, batch, chars=True)
    if any(len(text) > head_chars for text in texts):
        batch = _heads(batch, [head for _, head, _ in read], [shared for _, _, shared in read])
    return matrix, _content(batch)


def _heads(batch: _Tokens, heads: list[list[str]], shared: list[int]) -> _Tokens:
    """The tokens of each text's head, whose first `shared` tokens (and the pairs among
    them) are those of `batch`: only the others are looked up and hashed again."""
    tokens = list(chain.from_iterable(heads))
    counts = np.fromiter(map(len, heads), dtype=np.int64, count=len(heads))
    common = np.array(shared, dtype=np.int64)
    starts, text_starts = np.cumsum(counts) - counts, np.cumsum(batch.counts) - batch.counts
    numbers = np.empty(len(tokens), dtype=np.int64)
    numbers[_ranges(starts, common)] = batch.numbers[_ranges(text_starts, common)]
    own = [head[number:] for head, number in zip(heads, shared, strict=True)]
    numbers[_ranges(starts + common, counts - common)] = _MEMORY.numbers_of(
        chain.from_iterable(own), int((counts - common).sum())
    )
    firsts = _pair_firsts(counts)
    pairs, text_pairs = np.maximum(counts - 1, 0), np.maximum(batch.counts - 1, 0)
    common_pairs = np.maximum(common - 1, 0)
    pair_starts = np.cumsum(pairs) - pairs
    pair_rows = np.empty(len(firsts), dtype=np.int64)
    pair_rows[_ranges(pair_starts, common_pairs)] = batch.pair_rows[
        _ranges(np.cumsum(text_pairs) - text_pairs, common_pairs)
    ]
    fresh = _ranges(pair_starts + common_pairs, pairs - common_pairs)
    if len(fresh):
        pair_rows[fresh] = _pair_rows(tokens, firsts[fresh])
    return _Tokens(tokens, counts, numbers, firsts, pair_rows)


def _forget_when_full() -> None:
    global _MEMORY
    if len(_MEMORY.numbers) > MEMORY_LIMIT:
        _MEMORY = _Memory()


def _matrix(
    texts: Sequence[str], lowers: list[str], batch: _Tokens, chars: bool
) -> sparse.csr_matrix:
    """The feature matrix of `texts` from their tokens."""
    text_numbers = np.arange(len(texts), dtype=np.int64)
    rows = [_MEMORY.rows[batch.numbers], batch.pair_rows]
    owners = [
        np.repeat(text_numbers, batch.counts),
        np.repeat(text_numbers, np.maximum(batch.counts - 1, 0)),
    ]
    if chars:
        # str.split() breaks at exactly the characters `\s` matches, so it gives the words
        # that `char_wb` finds after collapsing runs of white space.
        heads = [
            (lower if len(text) <= CHAR_LIMIT else text[:CHAR_LIMIT].lower()).split()
            for text, lower in zip(texts, lowers, strict=True)
        ]
        counts = np.fromiter(map(len, heads), dtype=np.int64, count=len(heads))
        words = _MEMORY.numbers_of(chain.from_iterable(heads), counts.sum())
        _MEMORY.learn_grams(words)
        rows.append(_MEMORY.gram_rows_of(words))
        owners.append(np.repeat(np.repeat(text_numbers, counts), _MEMORY.gram_counts[words]))
    # Each occurrence as one number, text * N_FEATURES + row: sorting those counts every
    # (text, row) pair and leaves them in CSR order, faster than scipy's sum_duplicates.
    cells, counts = np.unique(
        np.concatenate(owners) * N_FEATURES + np.concatenate(rows), return_counts=True
    )
    indptr = np.searchsorted(cells, np.arange(len(texts) + 1) * N_FEATURES)
    matrix = sparse.csr_matrix(
        (np.log1p(counts.astype(np.float32)), (cells % N_FEATURES).astype(np.int32), indptr),
        shape=(len(texts), N_FEATURES),
    )
    return normalize(matrix, copy=False)
