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
    in Pol.is. A pass is a stored 0, so a pass and a missing vote differ.
    Build it with `build_vote_matrix` or `vote_matrix_from_arrays`.
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


def _index(ids: np.ndarray) -> tuple[tuple, np.ndarray]:
    """Distinct ids in natural order (numbers numerically, else first
    appearance) and each element's position among them."""
    try:
        distinct, positions = np.unique(ids, return_inverse=True)
        return tuple(distinct.tolist()), positions.ravel()
    except TypeError:
        order = {}
        positions = np.fromiter((order.setdefault(i, len(order)) for i in ids), np.int64, len(ids))
        return tuple(order), positions


def vote_matrix_from_arrays(
    participants: Sequence | np.ndarray,
    statements: Sequence | np.ndarray,
    values: Sequence | np.ndarray,
    timestamps: Sequence | np.ndarray | None = None,
    statement_ids: Sequence[StatementId] = (),
) -> VoteMatrix:
    """Build the matrix from parallel arrays: the fast way in for large data.

    Statements in `statement_ids` get a column even without votes; values
    other than 1, -1 and 0 are ignored; without timestamps, later entries
    count as later votes.
    """
    values = np.asarray(values)
    valid = np.isin(values, (1, -1, 0))
    participants = np.asarray(participants)[valid]
    statements = np.asarray(statements)[valid]
    times = (
        np.arange(len(values), dtype=float) if timestamps is None else np.asarray(timestamps, float)
    )
    participant_ids, rows = _index(participants)
    known = np.asarray(list(statement_ids))
    if len(known):
        statements = np.concatenate([known.astype(statements.dtype, copy=False), statements])
    statement_ids_found, cols = _index(statements)
    return _deduplicated(
        participant_ids,
        statement_ids_found,
        rows,
        cols[len(known) :],
        values[valid].astype(np.int8),
        times[valid],
    )


def _id_array(ids: list) -> np.ndarray:
    """Ids as a fast integer array when they are all integers, else as objects
    (numpy would silently turn a mix of numbers and text into text)."""
    if all(type(i) is int for i in ids):
        return np.array(ids, dtype=np.int64)
    return np.array(ids, dtype=object)


def build_vote_matrix(
    votes: Iterable[Vote], statement_ids: Sequence[StatementId] = ()
) -> VoteMatrix:
    """Build the matrix from `Vote`s; statements without votes still get a column.

    Votes on statements not in `statement_ids` are kept too (their statement
    may be missing from an export); values other than 1, -1 and 0 are ignored.
    """
    votes = list(votes)
    times = [v.timestamp for v in votes]
    return vote_matrix_from_arrays(
        _id_array([v.participant for v in votes]),
        _id_array([v.statement for v in votes]),
        np.array([v.value for v in votes], dtype=np.int64),
        None if None in times else times,
        statement_ids,
    )


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
