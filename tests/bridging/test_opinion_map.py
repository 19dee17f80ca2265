import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.decomposition import PCA

from compassion.bridging.matrix import build_vote_matrix
from compassion.bridging.opinion_map import OpinionMap

from .conftest import camp_conversation


def dense_votes(votes_csr):
    dense = np.full(votes_csr.shape, np.nan)
    rows = np.repeat(np.arange(votes_csr.shape[0]), np.diff(votes_csr.indptr))
    dense[rows, votes_csr.indices] = votes_csr.data
    return dense


@pytest.mark.parametrize("imputation", ["mean", "pass"])
def test_it_matches_pca_on_the_imputed_matrix(imputation):
    votes_csr = build_vote_matrix(camp_conversation(seed=3)[0]).to_csr()
    dense = dense_votes(votes_csr)
    fill = 0.0 if imputation == "pass" else np.nanmean(dense, axis=0)
    expected = PCA(2, svd_solver="full").fit(np.where(np.isnan(dense), fill, dense))

    fitted = OpinionMap(imputation=imputation).fit(votes_csr)

    assert_allclose(fitted.mean_, expected.mean_)
    for ours, theirs in zip(fitted.components_, expected.components_, strict=True):
        assert_allclose(np.abs(ours @ theirs), 1.0, atol=1e-8)
    assert_allclose(fitted.explained_variance_, expected.explained_variance_, rtol=1e-8)


@pytest.mark.parametrize("imputation", ["mean", "pass"])
def test_it_refits_from_a_start_to_the_same_axes(imputation):
    votes_csr = build_vote_matrix(camp_conversation(seed=5)[0]).to_csr()
    exact = OpinionMap(imputation=imputation).fit(votes_csr)
    warm = OpinionMap(imputation=imputation, start=exact.components_ * 0.9 + 0.01).fit(votes_csr)
    assert_allclose(np.abs((warm.components_ * exact.components_).sum(axis=1)), 1.0, atol=1e-6)


def test_it_projects_only_cast_votes_scaled_for_sparse_voters():
    votes_csr = build_vote_matrix(camp_conversation(seed=4)[0]).to_csr()
    dense = dense_votes(votes_csr)
    fitted = OpinionMap().fit(votes_csr)
    centred = np.where(np.isnan(dense), 0.0, dense - fitted.mean_)
    per_row = (~np.isnan(dense)).sum(axis=1)
    expected = centred @ fitted.components_.T * np.sqrt(dense.shape[1] / per_row)[:, None]
    assert_allclose(fitted.transform(votes_csr), expected)


def test_it_counts_moderated_columns_as_voted_by_everyone():
    zeroed = np.zeros(30, bool)
    zeroed[-1] = True
    only_active = build_vote_matrix(
        [v for v in camp_conversation(seed=4)[0] if v.statement != zeroed.size - 1]
    ).to_csr()
    active = sparse.hstack([only_active, sparse.csr_matrix((only_active.shape[0], 1))]).tocsr()

    fitted = OpinionMap().fit(active, zeroed=zeroed)

    assert fitted.components_[:, -1] == pytest.approx([0, 0])
    per_row = np.diff(active.indptr) + 1
    unscaled = fitted._centre_votes(active) @ fitted.components_.T
    expected = unscaled * np.sqrt(active.shape[1] / per_row)[:, None]
    assert_allclose(fitted.transform(active), expected)
