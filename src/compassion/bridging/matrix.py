"""The sparse participant-by-statement vote matrix, and who takes part in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from compassion.bridging.model import ParticipantId, StatementId, Vote


@dataclass(frozen=True)
class VoteMatrix:
    """Votes as parallel arrays plus the ids of the rows and columns.

    Each (participant, statement) pair appears once: the latest vote wins, as
    in Pol.is. A pass is a stored 0, so `voted` (not `values`) tells a pass
    from a missing vote.
    """

    participant_ids: tuple[ParticipantId, ...]
    statement_ids: tuple[StatementId, ...]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    times: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return len(self.values)

    def to_csr(self) -> sparse.csr_matrix:
        """Vote values (1, -1, 0) as CSR, passes stored as explicit zeros.

        The sparsity structure is therefore "who voted on what"; read it from
        `indptr` / `indices` and never call `eliminate_zeros` on it.
        """
        return sparse.csr_matrix(
            (self.values.astype(float), (self.rows, self.cols)), shape=self.shape
        )

    def votes_per_participant(self) -> np.ndarray:
        return np.bincount(self.rows, minlength=self.shape[0])

    def votes_per_statement(self) -> np.ndarray:
        return np.bincount(self.cols, minlength=self.shape[1])

    def subset_rows(self, keep: np.ndarray) -> VoteMatrix:
        """The matrix restricted to the participants where `keep` is true."""
        new_index = np.cumsum(keep) - 1
        mask = keep[self.rows]
        ids = tuple(p for p, k in zip(self.participant_ids, keep, strict=True) if k)
        return VoteMatrix(
            ids,
            self.statement_ids,
            new_index[self.rows[mask]],
            self.cols[mask],
            self.values[mask],
            self.times[mask],
        )


def _ordered(ids: Iterable) -> list:
    """Ids in natural order (numbers numerically), falling back to first appearance."""
    unique = list(dict.fromkeys(ids))
    try:
        return sorted(unique)
    except TypeError:
        return unique


def build_vote_matrix(
    votes: Iterable[Vote], statement_ids: Sequence[StatementId] = ()
) -> VoteMatrix:
    """Build the matrix; statements without votes still get a column.

    Votes on statements not in `statement_ids` are kept too (their statement
    may be missing from an export); values other than 1, -1 and 0 are ignored.
    """
    votes = [v for v in votes if v.value in (1, -1, 0)]
    participants = _ordered(v.participant for v in votes)
    statements = _ordered([*statement_ids, *(v.statement for v in votes)])
    row_of = {p: i for i, p in enumerate(participants)}
    col_of = {s: j for j, s in enumerate(statements)}
    rows = np.fromiter((row_of[v.participant] for v in votes), dtype=np.int64, count=len(votes))
    cols = np.fromiter((col_of[v.statement] for v in votes), dtype=np.int64, count=len(votes))
    values = np.fromiter((v.value for v in votes), dtype=np.int8, count=len(votes))
    order_in_input = np.arange(len(votes), dtype=float)
    times = np.fromiter(
        (np.nan if v.timestamp is None else v.timestamp for v in votes),
        dtype=float,
        count=len(votes),
    )
    if np.isnan(times).any():
        times = order_in_input
    return _deduplicated(tuple(participants), tuple(statements), rows, cols, values, times)


def _deduplicated(
    participant_ids: tuple,
    statement_ids: tuple,
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    times: np.ndarray,
) -> VoteMatrix:
    """Keep the latest vote of each pair, sorted by row then column."""
    n_cols = max(len(statement_ids), 1)
    order = np.lexsort((times, cols, rows))
    keys = rows[order] * n_cols + cols[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    chosen = order[last]
    return VoteMatrix(
        participant_ids,
        statement_ids,
        rows[chosen],
        cols[chosen],
        values[chosen],
        times[chosen],
    )


def participants_in_conversation(
    matrix: VoteMatrix,
    min_votes: int = 7,
    min_participants: int = 15,
    keep: Iterable[ParticipantId] = (),
) -> np.ndarray:
    """Boolean mask of the participants who are grouped, the Pol.is way.

    A participant joins once they have voted on min(min_votes, statements voted
    on so far) statements, replaying the votes in time order. Joining is
    sticky: a participant who qualified when the conversation had only three
    statements stays in. When fewer than `min_participants` qualify, the most
    active voters are added until there are that many.
    """
    n_participants, _ = matrix.shape
    qualified = np.zeros(n_participants, dtype=bool)
    if matrix.n_votes:
        order = np.argsort(matrix.times, kind="stable")
        rows, cols = matrix.rows[order], matrix.cols[order]
        first_vote_on_statement = np.zeros(len(cols), dtype=bool)
        first_vote_on_statement[np.unique(cols, return_index=True)[1]] = True
        statements_so_far = np.cumsum(first_vote_on_statement)
        votes_so_far = _running_count(rows)
        needed = np.minimum(min_votes, statements_so_far)
        qualified[rows[votes_so_far >= needed]] = True
    keep = set(keep)
    qualified |= np.fromiter((p in keep for p in matrix.participant_ids), bool, n_participants)
    if qualified.sum() < min_participants:
        counts = matrix.votes_per_participant()
        most_active = np.argsort(-counts, kind="stable")
        most_active = most_active[counts[most_active] > 0][:min_participants]
        qualified[most_active] = True
    return qualified


def _running_count(labels: np.ndarray) -> np.ndarray:
    """For each position, how many times its label has appeared so far (from 1)."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_labels)) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(labels)]))
    counts = np.empty(len(labels), dtype=np.int64)
    counts[order] = np.arange(len(labels)) - run_start + 1
    return counts
