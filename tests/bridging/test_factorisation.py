import numpy as np
from numpy.testing import assert_allclose

from compassion.bridging import BridgingFactorisation
from compassion.bridging.matrix import build_vote_matrix

from .conftest import camp_conversation


def fit(votes, **params):
    matrix = build_vote_matrix(votes)
    opinion = matrix.values != 0
    model = BridgingFactorisation(**params).fit(
        matrix.rows[opinion],
        matrix.cols[opinion],
        (matrix.values[opinion] == 1) * 1.0,
        matrix.shape,
    )
    return model, matrix


def test_it_gives_statements_liked_across_the_divide_the_top_intercepts():
    votes, _ = camp_conversation(n_bridging=3, seed=1)
    model, matrix = fit(votes)
    top = np.argsort(-model.statement_intercepts_)[:3]
    assert {matrix.statement_ids[j] for j in top} == {0, 1, 2}
    divisive = np.abs(model.statement_factors_[3:]).mean()
    assert np.abs(model.statement_factors_[:3]).mean() < divisive / 3


def test_it_is_deterministic_for_a_seed():
    votes, _ = camp_conversation(seed=2)
    first, _ = fit(votes, random_state=5)
    second, _ = fit(votes, random_state=5)
    assert_allclose(first.statement_intercepts_, second.statement_intercepts_)


def test_it_regularises_intercepts_harder_than_factors():
    votes, _ = camp_conversation(seed=2)
    loose, _ = fit(votes, intercept_regularisation=0.0)
    tight, _ = fit(votes, intercept_regularisation=5.0)
    assert np.abs(tight.statement_intercepts_).sum() < np.abs(loose.statement_intercepts_).sum()
