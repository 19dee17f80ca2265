"""The shared features: exactly the matrix the shipped models were trained on.

The models were trained on scikit-learn's `HashingVectorizer` (words and character n-grams,
added, damped and normalised); `featurize` computes the same thing faster. The sample mixes
the package's own messages with unicode, emoji, odd white space, junk and long texts, and
GoEmotions comments when ../shared/data is there.
"""

from __future__ import annotations

import csv
import random
from itertools import chain
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

import compassion.lens
import compassion.lens.features as features_module
from compassion.lens.features import (
    CHAR_LIMIT,
    CHAR_NGRAMS,
    N_FEATURES,
    TOKEN_PATTERN,
    featurize,
    featurize_with_terms,
    term_rows,
)
from tests.lens.reference import content_terms

PACKAGE_DATA = Path(compassion.lens.__file__).parent / "data"
GOEMOTIONS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "goemotions"

ODD_TEXTS = [
    "",
    " ",
    "a",
    "!!!???",
    "😡😡😡 🤯🫠 👨‍👩‍👧 🏳️‍🌈 ✔️ ☀ ⛔ ❶❷",
    "ÿþ\u200b",
    "İstanbul İİİ straße STRASSE ǅ ǈ ﬁ ﬀ Ω K",
    "tab\there\nnew\r\nline\x1c\x1d\x1e\x1fsep\x85next\u2028ls\u2029ps\u00a0nb\u3000id  two",
    "e\u0301 combining a\u0308 snake_case under__score _",
    "مرحبا بالعالم こんにちは世界 中文 한국어",
    "\x00\x01 \ufffd\ufffd" * 50,
    "x" * 5000,
    "İ" * 350 + " suicide",
    "ß" * 299 + "ab cd",
    "word " * 130 + "abcdefghijklmnop" * 3,
    "help " * 3000,
]


def _package_texts() -> list[str]:
    texts = []
    for name in ("theme_seed.tsv", "uk_risk_messages.tsv"):
        with (PACKAGE_DATA / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return texts


def _goemotions() -> list[str]:
    path = GOEMOTIONS / "ekman_dev.tsv"
    if not path.exists():
        return []
    rows = path.read_text(encoding="utf-8").splitlines()[:3000]
    return [row.split("\t")[0] for row in rows]


def _sample() -> list[str]:
    rng = random.Random(0)
    texts = _package_texts() + _goemotions()
    joined = [" ".join(rng.sample(texts, rng.randint(2, 30))) for _ in range(200)]
    cuts = ["z" * (cut + shift) + " hello world" for cut in (300, 600) for shift in range(-8, 3)]
    soup = [
        "".join(
            chr(
                rng.choice(
                    [
                        rng.randint(32, 126),
                        rng.randint(160, 0x24F),
                        rng.randint(0x1F300, 0x1FAFF),
                        0x130,
                        0x20,
                    ]
                )
            )
            for _ in range(rng.randint(1, 700))
        )
        for _ in range(100)
    ]
    return texts + joined + cuts + soup + ODD_TEXTS


SAMPLE = _sample()


def reference_featurize(texts: list[str], chars: bool = True) -> sparse.csr_matrix:
    """The features as the models were trained on them, straight from scikit-learn."""
    words = HashingVectorizer(
        n_features=N_FEATURES,
        ngram_range=(1, 2),
        alternate_sign=False,
        norm=None,
        token_pattern=TOKEN_PATTERN,
    )
    matrix = words.transform(texts)
    if chars:
        grams = HashingVectorizer(
            n_features=N_FEATURES,
            analyzer="char_wb",
            ngram_range=CHAR_NGRAMS,
            alternate_sign=False,
            norm=None,
        )
        matrix = matrix + grams.transform([text[:CHAR_LIMIT] for text in texts])
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    np.log1p(matrix.data, out=matrix.data)
    return normalize(matrix, copy=False)


def assert_same_matrix(got: sparse.csr_matrix, want: sparse.csr_matrix) -> None:
    assert got.shape == want.shape
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_allclose(got.data, want.data, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("chars", [True, False])
def test_it_gives_the_matrix_the_models_were_trained_on(chars):
    for start in range(0, len(SAMPLE), 500):
        batch = SAMPLE[start : start + 500]
        assert_same_matrix(featurize(batch, chars=chars), reference_featurize(batch, chars))


def test_it_gives_the_same_matrix_once_it_remembers_the_words():
    texts = SAMPLE[:300]
    first, again = featurize(texts), featurize(list(reversed(texts)))
    assert_same_matrix(again, first[::-1])


def test_term_rows_hash_like_scikit_learn_whatever_the_length_and_script():
    rng = random.Random(1)
    characters = [(32, 126), (160, 0x7FF), (0x800, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF)]
    terms = ["", "a", "ab", "abc", "abcd", "abcde", "x" * 300]
    terms += [
        "".join(chr(rng.randint(*rng.choice(characters))) for _ in range(rng.randint(0, 40)))
        for _ in range(3000)
    ]
    expected = [abs(murmurhash3_32(term)) % N_FEATURES for term in terms]
    assert term_rows(terms).tolist() == expected
    assert term_rows([]).tolist() == []


def test_it_gives_the_same_matrix_after_forgetting_the_words(monkeypatch):
    monkeypatch.setattr(features_module, "MEMORY_LIMIT", 50)
    texts = SAMPLE[:200]
    first = featurize(texts)
    remembered = features_module._MEMORY
    assert len(remembered.numbers) > 50
    assert_same_matrix(featurize(texts[::-1]), first[::-1])
    assert features_module._MEMORY is not remembered
    assert_same_matrix(first, reference_featurize(texts))


def test_it_gives_an_empty_row_for_a_text_without_words():
    matrix = featurize(["", "   ", "hello"])
    assert list(np.diff(matrix.indptr)[:2]) == [0, 0]
    assert matrix[2].nnz > 0


@pytest.mark.parametrize("head_chars", [10, 600])
def test_featurize_with_terms_gives_the_matrix_and_the_content_terms_of_each_head(head_chars):
    straddling = [
        "abc " * 150 + "defghij klm",
        "x" * 598 + "ΑΣΑ word",  # a final sigma at the cut lower-cases differently
        "İ" * 595 + "İİİİİİİİ tail",  # lower-casing İ makes the text longer
        "word! " * 99 + "?!" + "end",
        "",
    ]
    texts = SAMPLE[:1500] + SAMPLE[-300:] + straddling
    matrix, found = featurize_with_terms(texts, head_chars)
    assert_same_matrix(matrix, featurize(texts))
    expected = [content_terms(text[:head_chars]) for text in texts]
    assert found.terms == list(chain.from_iterable(expected))
    assert found.owners.tolist() == [n for n, terms in enumerate(expected) for _ in terms]
    assert found.rows.tolist() == term_rows(found.terms).tolist()
