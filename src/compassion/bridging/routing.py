"""Which statement a voter sees next.

Pol.is shows statements at random, weighted by a priority that favours new
statements (few votes yet) and informative ones (agreed with, rarely passed,
and far out on the opinion map); meta statements get a fixed priority. Here
an officer's priority list comes first, and a session is capped so nobody is
asked too much at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from compassion.bridging.model import StatementId

META_PRIORITY = 7.0


def priority(
    agree: np.ndarray,
    passed: np.ndarray,
    votes: np.ndarray,
    extremity: np.ndarray,
    is_meta: np.ndarray,
) -> np.ndarray:
    """Pol.is's comment priority, (importance x newness) squared.

    importance = P(agree) x (1 - P(pass)) x (1 + extremity), smoothed;
    newness = 1 + 8 x 2^(-votes / 5), so a new statement counts nine times.
    """
    p_agree = (1 + agree) / (2 + votes)
    p_pass = (1 + passed) / (2 + votes)
    importance = p_agree * (1 - p_pass) * (1 + extremity)
    newness = 1 + 8 * np.power(2.0, -votes / 5)
    return np.where(is_meta, META_PRIORITY, importance * newness) ** 2


NEW_STATEMENT_PRIORITY = float(priority(*(np.zeros(1),) * 4, np.zeros(1, bool))[0])


def next_statements(
    available: Sequence[StatementId],
    priorities: Mapping[StatementId, float],
    already_voted: Iterable[StatementId] = (),
    *,
    officer_priority: Sequence[StatementId] = (),
    votes_this_session: int = 0,
    session_cap: int = 20,
    count: int = 1,
    random_state: int | np.random.Generator | None = None,
) -> list[StatementId]:
    """Up to `count` statements for a voter, none they have voted on.

    available: statements that may be shown (accepted, not moderated out).
    priorities: `Result.priorities`; a statement added since the analysis
        gets the priority of a brand-new statement.
    officer_priority: statements the office wants seen first, in order.
    votes_this_session / session_cap: once the voter has cast `session_cap`
        votes in this session nothing more is offered.
    random_state: seed or generator for the weighted draw (reproducible).
    """
    remaining = max(0, min(count, session_cap - votes_this_session))
    voted = set(already_voted)
    open_statements = [s for s in dict.fromkeys(available) if s not in voted]
    available_set = set(open_statements)
    chosen = [s for s in dict.fromkeys(officer_priority) if s in available_set][:remaining]
    rest = [s for s in open_statements if s not in set(chosen)]
    draws = min(remaining - len(chosen), len(rest))
    if draws > 0:
        weights = np.array([priorities.get(s, NEW_STATEMENT_PRIORITY) for s in rest], dtype=float)
        weights = np.where(weights > 0, weights, 1e-12)
        rng = np.random.default_rng(random_state)
        picks = rng.choice(len(rest), size=draws, replace=False, p=weights / weights.sum())
        chosen += [rest[i] for i in picks]
    return chosen
