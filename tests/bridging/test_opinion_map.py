import numpy as np
from numpy.testing import assert_allclose
from sklearn.decomposition import PCA

from compassion.bridging.matrix import build_vote_matrix
from compassion.bridging.opinion_map import OpinionMap

from .conftest import camp_conversation


def test_it_matches_pca_on_the_mean_imputed_matrix():
    votes, _ = camp_conversation(seed=3)
    votes_csr = build_vote_matrix(votes).to_csr()
    dense = np.full(votes_csr.shape, np.nan)
    rows = np.repeat(np.arange(votes_csr.shape[0]), np.diff(votes_csr.indptr))
    dense[rows, votes_csr.indices] = votes_csr.data
    dense = np.where(np.isnan(dense), np.nanmean(dense, axis=0), dense)
    expected = PCA(2, svd_solver="full").fit(dense)

    fitted = OpinionMap().fit(votes_csr)

    for ours, theirs in zip(fitted.components_, expected.components_, strict=True):
        assert_allclose(np.abs(ours @ theirs), 1.0, atol=1e-8)
    assert_allclose(fitted.explained_variance_, expected.explained_variance_, rtol=1e-8)


def test_it_scales_sparse_voters_out_of_the_centre():
    votes, _ = camp_conversation(seed=4)
    votes_csr = build_vote_matrix(votes).to_csr()
    fitted = OpinionMap().fit(votes_csr)
    per_row = np.diff(votes_csr.indptr)
    unscaled = fitted._centre(votes_csr) @ fitted.components_.T
    assert_allclose(
        fitted.transform(votes_csr), unscaled * np.sqrt(votes_csr.shape[1] / per_row)[:, None]
    )
