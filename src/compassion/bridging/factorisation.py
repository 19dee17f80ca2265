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


class BridgingFactorisation:
    """Alternating least squares for the one-factor model above.

    Parameters
    ----------
    factor_regularisation, intercept_regularisation : float
        Community Notes' lambda (0.03) and 5 x lambda (0.15).
    n_iter : int
        Alternating rounds.
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
        n_iter: int = 40,
        random_state: int = 0,
    ):
        self.factor_regularisation = factor_regularisation
        self.intercept_regularisation = intercept_regularisation
        self.n_iter = n_iter
        self.random_state = random_state

    def fit(
        self, rows: np.ndarray, cols: np.ndarray, ratings: np.ndarray, shape: tuple[int, int]
    ) -> BridgingFactorisation:
        """Fit on ratings in [0, 1] given as parallel arrays of coordinates."""
        n_participants, n_statements = shape
        ratings = np.asarray(ratings, dtype=float)
        per_participant = np.bincount(rows, minlength=n_participants).astype(float)
        per_statement = np.bincount(cols, minlength=n_statements).astype(float)
        n_ratings = max(len(ratings), 1)
        participant_scale = n_ratings / max(np.count_nonzero(per_participant), 1)
        statement_scale = n_ratings / max(np.count_nonzero(per_statement), 1)
        rng = np.random.default_rng(self.random_state)
        self.global_mean_ = float(ratings.mean()) if len(ratings) else 0.0
        b_u, f_u = np.zeros(n_participants), np.zeros(n_participants)
        b_i = np.zeros(n_statements)
        f_i = rng.normal(0.0, 0.1, n_statements)
        for _ in range(self.n_iter):
            target = ratings - self.global_mean_ - b_i[cols]
            b_u, f_u = self._solve(rows, f_i[cols], target, n_participants, participant_scale)
            target = ratings - self.global_mean_ - b_u[rows]
            b_i, f_i = self._solve(cols, f_u[rows], target, n_statements, statement_scale)
            residual = ratings - b_u[rows] - b_i[cols] - f_u[rows] * f_i[cols]
            self.global_mean_ = float(residual.mean()) if len(residual) else 0.0
        f_u, f_i = _balanced(f_u, f_i)
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
        self, owner: np.ndarray, x: np.ndarray, y: np.ndarray, n: int, scale: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per owner, ridge regression of y on [1, x]: returns (intercepts, factors)."""
        lam_b = self.intercept_regularisation * scale
        lam_f = self.factor_regularisation * scale
        s11 = np.bincount(owner, minlength=n) + lam_b
        s12 = np.bincount(owner, weights=x, minlength=n)
        s22 = np.bincount(owner, weights=x * x, minlength=n) + lam_f
        t1 = np.bincount(owner, weights=y, minlength=n)
        t2 = np.bincount(owner, weights=x * y, minlength=n)
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
