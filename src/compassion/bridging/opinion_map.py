"""The 2-D opinion map: Pol.is's PCA of the sparse vote matrix."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg
from scipy import sparse

IMPUTATIONS = ("mean", "pass")


class OpinionMap:
    """Principal components of the vote matrix, and Pol.is's projection.

    With `imputation="mean"` the axes are those of Pol.is (polismath fills
    each missing vote with the statement's mean vote among those who voted),
    so people are placed by how they voted, never by how much. With "pass" a
    missing vote counts as 0 (a pass) when the axes are found, so the centre
    of a statement is its total vote over all participants. The matrix stays
    sparse either way: the components come from the statement-by-statement
    Gram matrix.

    A participant's position sums, over the statements they voted on, their
    vote minus the statement's centre times the component, then multiplies by
    sqrt(statements / statements they voted on) so that someone who voted on
    little is not pulled into the middle (Pol.is's sparsity-aware projection).
    Columns listed as `zeroed` (moderated out) count, as in Pol.is, as a 0
    vote from everyone: they move nobody but count as voted on.

    Parameters
    ----------
    n_components : int
        Number of components (2 for the map).
    imputation : "mean" or "pass"
    start : ndarray of shape (n_components, n_statements), optional
        Components of an earlier fit to start a power iteration from, as
        Pol.is does between updates; makes refits (bootstrap) much faster.
    tol : float
        Relative change of the eigenvalues at which the power iteration stops.
    max_iter : int
        Most power iterations (a warm-started refit needs only a few).

    Attributes
    ----------
    mean_ : ndarray of shape (n_statements,)
        Centre of each statement.
    components_ : ndarray of shape (n_components, n_statements)
        Unit principal axes, each signed so its largest entry is positive.
    explained_variance_ : ndarray of shape (n_components,)
    zeroed_ : ndarray of bool, shape (n_statements,)
    """

    def __init__(
        self,
        n_components: int = 2,
        imputation: str = "mean",
        start: np.ndarray | None = None,
        tol: float = 1e-10,
        max_iter: int = 1000,
    ):
        self.n_components = n_components
        self.imputation = imputation
        self.start = start
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, votes: sparse.csr_matrix, zeroed: np.ndarray | None = None) -> OpinionMap:
        """Learn the axes from votes stored as CSR with passes as explicit zeros.

        `zeroed` marks moderated-out columns; their votes must already be
        left out of `votes`.
        """
        if self.imputation not in IMPUTATIONS:
            raise ValueError(f"imputation must be one of {IMPUTATIONS}, not {self.imputation!r}")
        n_participants, n_statements = votes.shape
        self.zeroed_ = np.zeros(n_statements, bool) if zeroed is None else np.asarray(zeroed)
        counts = np.bincount(votes.indices, minlength=n_statements)
        sums = np.bincount(votes.indices, weights=votes.data, minlength=n_statements)
        if self.imputation == "mean":
            self.mean_ = np.divide(sums, counts, out=np.zeros(n_statements), where=counts > 0)
        else:
            self.mean_ = sums / max(n_participants, 1)
        self.components_ = np.zeros((self.n_components, n_statements))
        self.explained_variance_ = np.zeros(self.n_components)
        found = min(self.n_components, n_statements)
        if found:
            eigenvalues, vectors = self._top_eigenvectors(votes, found)
            largest = np.argmax(np.abs(vectors), axis=1)
            signs = np.sign(vectors[np.arange(found), largest])
            signs[signs == 0] = 1
            self.components_[:found] = vectors * signs[:, None]
            denominator = max(n_participants - 1, 1)
            self.explained_variance_[:found] = np.maximum(eigenvalues, 0) / denominator
        return self

    def transform(self, votes: sparse.csr_matrix) -> np.ndarray:
        """Positions of the participants (rows) on the map."""
        projected = self._centre_votes(votes) @ self.components_.T
        voted = np.diff(votes.indptr) + self.zeroed_.sum()
        return projected * self._scale(voted)[:, None]

    def statement_positions(self) -> np.ndarray:
        """Where a participant who agreed with a single statement would sit."""
        voted = np.array([1 + self.zeroed_.sum()])
        return ((1 - self.mean_) * self.components_).T * self._scale(voted)

    def _scale(self, voted: np.ndarray) -> np.ndarray:
        return np.sqrt(len(self.mean_) / np.maximum(voted, 1))

    def _centre_votes(self, votes: sparse.csr_matrix) -> sparse.csr_matrix:
        """Votes minus the statement centres, at the cast votes only."""
        return sparse.csr_matrix(
            (votes.data - self.mean_[votes.indices], votes.indices, votes.indptr),
            shape=votes.shape,
        )

    def _operators(
        self, votes: sparse.csr_matrix
    ) -> tuple[Callable[[], np.ndarray], Callable, Callable]:
        """(Gram matrix, A @ x, A.T @ y) for the imputed, centred matrix A."""
        if self.imputation == "mean":
            centred = self._centre_votes(votes)
            centred_t = centred.T.tocsr()
            return (
                lambda: (centred_t @ centred).toarray(),
                lambda x: centred @ x,
                lambda y: centred_t @ y,
            )
        n = votes.shape[0]
        votes_t = votes.T.tocsr()
        mean = self.mean_
        return (
            lambda: (votes_t @ votes).toarray() - n * np.outer(mean, mean),
            lambda x: votes @ x - mean @ x,
            lambda y: votes_t @ y - np.outer(mean, y.sum(axis=0)),
        )

    def _top_eigenvectors(self, votes: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top k eigenpairs of A.T @ A, largest first, as (values, rows).

        From scratch, a dense eigensolver on the Gram matrix (statements are
        at most a few thousand). From `start`, block power iteration on the
        sparse matrix, as Pol.is does between updates, with two extra vectors
        to speed convergence and a Rayleigh-Ritz step at the end.
        """
        gram, forward, backward = self._operators(votes)
        n = votes.shape[1]
        if self.start is None:
            values, vectors = scipy.linalg.eigh(
                gram(), subset_by_index=[n - k, n - 1], driver="evx"
            )
            return values[::-1], vectors[:, ::-1].T
        initial = np.random.default_rng(0).normal(size=(n, min(n, k + 2)))
        initial[:, : len(self.start)] = np.asarray(self.start).T
        basis = np.linalg.qr(initial)[0]
        previous = np.zeros(k)
        for _ in range(self.max_iter):
            projected = forward(basis)
            small_values, small_vectors = np.linalg.eigh(projected.T @ projected)
            values = small_values[::-1][:k]
            if np.all(np.abs(values - previous) <= self.tol * max(values[0], 1e-300)):
                break
            previous = values
            basis = np.linalg.qr(backward(projected))[0]
        order = np.argsort(-small_values, kind="stable")[:k]
        return small_values[order], (basis @ small_vectors[:, order]).T
