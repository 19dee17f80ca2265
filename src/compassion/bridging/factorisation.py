"""Bridging without groups: a Community Notes-style matrix factorisation.

Each vote (agree 1, disagree 0; passes carry no opinion and are left out) is
modelled as

    global mean + participant intercept + statement intercept
    + participant factor * statement factor.

The factor captures the main thing that divides people; the statement
intercept is what is left: agreement that the divide does not explain. A
statement *bridges* when its intercept is high and its factor small.
Intercepts are regularised five times harder than factors, as in Community
Notes, so that a statement only earns a high intercept when people on both
sides of the factor agree with it.

Community Notes penalises the *mean* square of each parameter next to the
*mean* squared error; fitted by alternating least squares on the summed error
this is the same as a penalty of lambda times the average number of votes per
statement (or per participant) on each parameter.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


class BridgingFactorisation:
    """Alternating least squares for the one-factor model above.

    Parameters
    ----------
    factor_regularisation, intercept_regularisation : float
        Community Notes' lambda (0.03) and 5 x lambda (0.15).
    n_iter : int
        Most alternating rounds.
    tol : float
        Stop when no statement intercept moves by more than this in a round.
    random_state : int
        Seed of the initial statement factors.

    Attributes
    ----------
    global_mean_ : float
    participant_intercepts_, participant_factors_ : ndarray (n_participants,)
    statement_intercepts_, statement_factors_ : ndarray (n_statements,)
    statement_intercept_se_ : ndarray (n_statements,)
        Approximate standard error of each statement intercept (residual
        variance over the regularised number of votes).
    statement_votes_ : ndarray (n_statements,)
        Number of agree or disagree votes each statement had.
    """

    def __init__(
        self,
        factor_regularisation: float = 0.03,
        intercept_regularisation: float = 0.15,
        n_iter: int = 25,
        tol: float = 1e-4,
        random_state: int = 0,
    ):
        self.factor_regularisation = factor_regularisation
        self.intercept_regularisation = intercept_regularisation
        self.n_iter = n_iter
        self.tol = tol
        self.random_state = random_state

    def fit(
        self, rows: np.ndarray, cols: np.ndarray, ratings: np.ndarray, shape: tuple[int, int]
    ) -> BridgingFactorisation:
        """Fit on ratings in [0, 1] given as parallel arrays of coordinates."""
        n_participants, n_statements = shape
        ratings = np.asarray(ratings, dtype=float)
        voted = sparse.csr_matrix((np.ones(len(ratings)), (rows, cols)), shape=shape)
        rated = sparse.csr_matrix((ratings, (rows, cols)), shape=shape)
        voted_t, rated_t = voted.T.tocsr(), rated.T.tocsr()
        per_participant = np.asarray(voted.sum(axis=1)).ravel()
        per_statement = np.asarray(voted.sum(axis=0)).ravel()
        n_ratings = max(len(ratings), 1)
        participant_scale = n_ratings / max(np.count_nonzero(per_participant), 1)
        statement_scale = n_ratings / max(np.count_nonzero(per_statement), 1)
        rng = np.random.default_rng(self.random_state)
        mean = float(ratings.mean()) if len(ratings) else 0.0
        b_u, f_u = np.zeros(n_participants), np.zeros(n_participants)
        b_i = np.zeros(n_statements)
        f_i = rng.normal(0.0, 0.1, n_statements)
        for _ in range(self.n_iter):
            b_u, f_u = self._solve(voted, rated, b_i, f_i, mean, participant_scale)
            previous = b_i
            b_i, f_i = self._solve(voted_t, rated_t, b_u, f_u, mean, statement_scale)
            predicted_sum = per_participant @ b_u + per_statement @ b_i + f_u @ (voted @ f_i)
            mean = (ratings.sum() - predicted_sum) / n_ratings
            if len(b_i) and np.abs(b_i - previous).max() < self.tol:
                break
        f_u, f_i = _balanced(f_u, f_i)
        self.global_mean_ = float(mean)
        self.participant_intercepts_, self.participant_factors_ = b_u, f_u
        self.statement_intercepts_, self.statement_factors_ = b_i, f_i
        self.statement_votes_ = per_statement.astype(int)
        residual = ratings - self.predict(rows, cols)
        variance = float(residual.var()) if len(residual) else 0.25
        penalty = self.intercept_regularisation * statement_scale
        self.statement_intercept_se_ = np.sqrt(variance / (per_statement + penalty))
        return self

    def predict(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return (
            self.global_mean_
            + self.participant_intercepts_[rows]
            + self.statement_intercepts_[cols]
            + self.participant_factors_[rows] * self.statement_factors_[cols]
        )

    def _solve(
        self,
        voted: sparse.csr_matrix,
        rated: sparse.csr_matrix,
        other_intercepts: np.ndarray,
        other_factors: np.ndarray,
        mean: float,
        scale: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each row of `voted`, ridge regression of its ratings minus the
        mean and the other side's intercepts on [1, other side's factor].
        Returns (intercepts, factors); sums come from sparse products.
        """
        x, b = other_factors, other_intercepts
        counts, s12, s22, sum_b, sum_xb = (
            voted @ np.stack([np.ones_like(x), x, x * x, b, x * b], 1)
        ).T
        sum_r, sum_xr = (rated @ np.stack([np.ones_like(x), x], 1)).T
        s11 = counts + self.intercept_regularisation * scale
        s22 = s22 + self.factor_regularisation * scale
        t1 = sum_r - mean * counts - sum_b
        t2 = sum_xr - mean * s12 - sum_xb
        determinant = s11 * s22 - s12 * s12
        intercepts = (s22 * t1 - s12 * t2) / determinant
        factors = (s11 * t2 - s12 * t1) / determinant
        return intercepts, factors


def _balanced(f_u: np.ndarray, f_i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fix the factor's sign so the statement factors' largest entry is positive.

    The model only sees the products, so this changes nothing but makes
    results comparable from run to run.
    """
    if len(f_i) and f_i[np.argmax(np.abs(f_i))] < 0:
        return -f_u, -f_i
    return f_u, f_i
