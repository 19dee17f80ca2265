"""What the lens computes, the slow and obvious way, for tests to compare against."""

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from compassion.lens.features import TOKEN_PATTERN

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
