"""The 2-D opinion map: Pol.is's PCA of the sparse vote matrix."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy import sparse


class OpinionMap:
    """Principal components of the vote matrix with missing votes imputed by
    the statement's mean vote, and Pol.is's scaling of sparse voters.

    Imputing a missing vote with the column mean makes it exactly zero once
    the matrix is centred, so the centred matrix stays sparse and the
    components come from the small statement-by-statement Gram matrix.

    A participant's position is their centred votes projected on the
    components, times sqrt(statements / statements they voted on), so that a
    participant who voted on little is not pulled into the centre.

    Parameters
    ----------
    n_components : int
        Number of components (2 for the map).
    start : ndarray of shape (n_components, n_statements), optional
        Components of an earlier fit to start the power iteration from, as
        Pol.is does between updates; makes refits (bootstrap) much faster.
    tol : float
        Relative change of the eigenvalues at which the iteration stops.
    max_iter : int
        Most power iterations (a warm-started refit needs only a few).

    Attributes
    ----------
    mean_ : ndarray of shape (n_statements,)
        Mean vote of each statement over those who voted on it.
    components_ : ndarray of shape (n_components, n_statements)
        Unit principal axes, each signed so its largest entry is positive.
    explained_variance_ : ndarray of shape (n_components,)
    """

    def __init__(
        self,
        n_components: int = 2,
        start: np.ndarray | None = None,
        tol: float = 1e-10,
        max_iter: int = 1000,
    ):
        self.n_components = n_components
        self.start = start
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, votes: sparse.csr_matrix) -> OpinionMap:
        """Learn the axes from votes stored as CSR with passes as explicit zeros."""
        n_participants, n_statements = votes.shape
        counts = np.bincount(votes.indices, minlength=n_statements)
        sums = np.bincount(votes.indices, weights=votes.data, minlength=n_statements)
        self.mean_ = np.divide(sums, counts, out=np.zeros(n_statements), where=counts > 0)
        centred = self._centre(votes)
        self.components_ = np.zeros((self.n_components, n_statements))
        self.explained_variance_ = np.zeros(self.n_components)
        found = min(self.n_components, n_statements)
        if found:
            eigenvalues, vectors = _top_eigenvectors(
                centred, found, self.start, self.tol, self.max_iter
            )
            largest = np.argmax(np.abs(vectors), axis=1)
            signs = np.sign(vectors[np.arange(found), largest])
            signs[signs == 0] = 1
            self.components_[:found] = vectors * signs[:, None]
            denominator = max(n_participants - 1, 1)
            self.explained_variance_[:found] = np.maximum(eigenvalues, 0) / denominator
        return self

    def transform(self, votes: sparse.csr_matrix) -> np.ndarray:
        """Positions of the participants (rows) on the map."""
        projected = self._centre(votes) @ self.components_.T
        return projected * self._sparsity_scale(votes)[:, None]

    def statement_positions(self) -> np.ndarray:
        """Where a participant who agreed with a single statement would sit."""
        n_statements = len(self.mean_)
        return ((1 - self.mean_) * self.components_).T * np.sqrt(n_statements)

    def _centre(self, votes: sparse.csr_matrix) -> sparse.csr_matrix:
        return sparse.csr_matrix(
            (votes.data - self.mean_[votes.indices], votes.indices, votes.indptr),
            shape=votes.shape,
        )

    def _sparsity_scale(self, votes: sparse.csr_matrix) -> np.ndarray:
        n_statements = votes.shape[1]
        per_row = np.diff(votes.indptr)
        return np.sqrt(n_statements / np.maximum(per_row, 1))


def _top_eigenvectors(
    centred: sparse.csr_matrix,
    k: int,
    start: np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> tuple[np.ndarray, np.ndarray]:
    """Top k eigenpairs of centred.T @ centred, largest first, as (values, rows).

    From scratch, a dense eigensolver on the Gram matrix (statements are at
    most a few thousand). From `start`, block power iteration on the sparse
    matrix, as Pol.is does between updates, with two extra vectors to speed
    convergence and a Rayleigh-Ritz step at the end.
    """
    n = centred.shape[1]
    if start is None:
        gram = (centred.T @ centred).toarray()
        values, vectors = scipy.linalg.eigh(gram, subset_by_index=[n - k, n - 1], driver="evx")
        return values[::-1], vectors[:, ::-1].T
    initial = np.random.default_rng(0).normal(size=(n, min(n, k + 2)))
    initial[:, : len(start)] = np.asarray(start).T
    basis = np.linalg.qr(initial)[0]
    transposed = centred.T.tocsr()
    previous = np.zeros(k)
    for _ in range(max_iter):
        projected = centred @ basis
        small_values, small_vectors = np.linalg.eigh(projected.T @ projected)
        values = small_values[::-1][:k]
        if np.all(np.abs(values - previous) <= tol * max(values[0], 1e-300)):
            break
        previous = values
        basis = np.linalg.qr(transposed @ projected)[0]
    order = np.argsort(-small_values, kind="stable")[:k]
    return small_values[order], (basis @ small_vectors[:, order]).T
