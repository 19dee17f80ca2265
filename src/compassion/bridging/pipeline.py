"""`analyse`: from votes to groups, consensus and bridging statements."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from compassion.bridging.factorisation import BridgingFactorisation
from compassion.bridging.groups import OpinionGroups
from compassion.bridging.matrix import VoteMatrix, build_vote_matrix, participants_in_conversation
from compassion.bridging.model import (
    MODERATED_OUT,
    BridgingScore,
    Group,
    Interval,
    Options,
    Result,
    Stability,
    Statement,
    StatementStats,
    Vote,
)
from compassion.bridging.opinion_map import OpinionMap
from compassion.bridging.repness import (
    VoteCounts,
    consensus_statements,
    count_votes,
    group_informed_consensus,
    representative_statements,
)
from compassion.bridging.routing import priority
from compassion.bridging.uncertainty import bootstrap_intervals, group_stability

MIN_VOTES_TO_TRUST = 7
RANK_DISAGREEMENT = 0.25
# Refits on resamples stop early: the map starts from the full fit's axes,
# as Pol.is's own updates do, and a rough fit is enough to judge stability.
BOOTSTRAP_ITERATIONS = 5


def analyse(
    votes: Iterable[Vote] | VoteMatrix,
    statements: Iterable[Statement] = (),
    options: Options | None = None,
) -> Result:
    """Analyse a conversation; the same input and options give the same result.

    `votes` are `Vote`s or, for large data, a `VoteMatrix` from
    `vote_matrix_from_arrays`. Statements that received votes but are missing
    from `statements` are treated as accepted. Nothing here raises on thin
    data: an empty or odd conversation gives an empty result with `messages`
    saying why.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyse(votes, list(statements), options or Options())


def _analyse(
    votes: Iterable[Vote] | VoteMatrix, statements: list[Statement], options: Options
) -> Result:
    """`analyse` inside its thread limit.

    The dense algebra here is small (statements by statements at most), so
    BLAS threads cost more in start-up and spinning than they save, and on a
    busy machine they burn several times the CPU: it runs on one thread.
    """
    if isinstance(votes, VoteMatrix):
        matrix = votes
    else:
        matrix = build_vote_matrix(votes, [s.id for s in statements])
    known = {s.id: s for s in statements}
    moderated_out = np.array(
        [
            known[s].moderated == MODERATED_OUT if s in known else False
            for s in matrix.statement_ids
        ],
        dtype=bool,
    )
    is_meta = np.array(
        [known[s].is_meta if s in known else False for s in matrix.statement_ids], dtype=bool
    )
    return _Analysis(matrix, moderated_out, is_meta, options).run()


class _Analysis:
    """The steps of `analyse`, sharing the matrix and options."""

    def __init__(
        self, matrix: VoteMatrix, moderated_out: np.ndarray, is_meta: np.ndarray, options: Options
    ):
        self.matrix = matrix
        self.options = options
        self.moderated_out = moderated_out
        self.is_meta = is_meta
        self.reportable = ~moderated_out & ~is_meta
        self.rng = np.random.default_rng(options.random_state)
        self.messages: list[str] = []

    def run(self) -> Result:
        matrix, options = self.matrix, self.options
        ids, statement_ids = matrix.participant_ids, matrix.statement_ids
        active_votes = self._active_votes()
        in_conversation = participants_in_conversation(
            matrix, options.min_votes, options.min_participants, options.keep_participants
        )
        opinion_map = self.opinion_map = OpinionMap(imputation=options.imputation)
        opinion_map.fit(active_votes, zeroed=self.moderated_out)
        positions = opinion_map.transform(active_votes)
        labels = self._groups(positions, in_conversation)
        n_groups = int(labels.max()) + 1 if (labels >= 0).any() else 0
        group_counts = count_votes(active_votes, labels, n_groups)
        overall = count_votes(active_votes, np.zeros(len(ids), dtype=int), 1)
        gic = group_informed_consensus(group_counts) if n_groups else overall.p_agree[0]
        bridging = self._bridging(gic)
        representative = representative_statements(
            group_counts,
            self.reportable,
            statement_ids,
            options.confidence,
            options.max_representative,
        )
        self._explain(in_conversation, n_groups, overall)
        grouped = np.flatnonzero(labels >= 0)
        return Result(
            participant_ids=ids,
            statement_ids=statement_ids,
            coordinates={p: _pair(xy) for p, xy in zip(ids, positions, strict=True)},
            statement_coordinates={
                s: _pair(xy)
                for s, xy in zip(statement_ids, opinion_map.statement_positions(), strict=True)
            },
            participant_groups={
                p: (int(g) if g >= 0 else None) for p, g in zip(ids, labels, strict=True)
            },
            groups=tuple(
                Group(
                    id=g,
                    participants=tuple(ids[i] for i in np.flatnonzero(labels == g)),
                    center=_pair(positions[labels == g].mean(axis=0)),
                    representative=representative[g],
                )
                for g in range(n_groups)
            ),
            group_stats={g: self._stats(group_counts, g) for g in range(n_groups)},
            overall_stats=self._stats(overall, 0),
            consensus=consensus_statements(
                overall.agree[0],
                overall.disagree[0],
                overall.votes[0],
                self.reportable,
                statement_ids,
                options.confidence,
                options.max_consensus,
            ),
            group_informed_consensus=_ranked(statement_ids, gic, self.reportable),
            group_informed_consensus_intervals=self._gic_intervals(
                active_votes, labels, grouped, n_groups
            ),
            bridging=bridging,
            stability=self._stability(active_votes, labels, grouped),
            priorities=self._priorities(overall, opinion_map),
            messages=tuple(self.messages),
        )

    def _active_votes(self) -> sparse.csr_matrix:
        """Votes with moderated-out statements' columns emptied (kept in the shape)."""
        m = self.matrix
        keep = ~self.moderated_out[m.cols]
        return sparse.csr_matrix(
            (m.values[keep].astype(float), (m.rows[keep], m.cols[keep])), shape=m.shape
        )

    def _groups(self, positions: np.ndarray, in_conversation: np.ndarray) -> np.ndarray:
        labels = np.full(len(positions), -1)
        if in_conversation.sum() >= 2:
            labels[in_conversation] = self._grouper().fit(positions[in_conversation]).labels_
        return labels

    def _grouper(self, max_iter: int = 100) -> OpinionGroups:
        o = self.options
        return OpinionGroups(
            o.base_clusters,
            o.max_groups,
            o.min_group_fraction,
            max_iter,
            o.group_restarts,
            o.random_state,
        )

    def _bridging(self, gic: np.ndarray) -> tuple[BridgingScore, ...]:
        m = self.matrix
        opinion = (m.values != 0) & ~self.moderated_out[m.cols]
        o = self.options
        model = BridgingFactorisation(
            o.factor_regularisation, o.intercept_regularisation, random_state=o.random_state
        ).fit(m.rows[opinion], m.cols[opinion], (m.values[opinion] == 1).astype(float), m.shape)
        scored = np.flatnonzero(self.reportable & (model.statement_votes_ > 0))
        if not len(scored):
            return ()
        spread = float(np.std(model.participant_factors_)) if m.shape[0] else 0.0
        intercept = model.statement_intercepts_[scored]
        score = intercept - np.abs(model.statement_factors_[scored]) * spread
        disagreement = np.abs(_rank_share(score) - _rank_share(gic[scored]))
        z = norm.ppf(0.5 + self.options.confidence / 2)
        half_width = z * model.statement_intercept_se_[scored]
        scores = [
            BridgingScore(
                statement=m.statement_ids[j],
                score=float(score[k]),
                intercept=float(model.statement_intercepts_[j]),
                factor=float(model.statement_factors_[j]),
                votes=int(model.statement_votes_[j]),
                interval=Interval(float(score[k] - half_width[k]), float(score[k] + half_width[k])),
                needs_more_votes=bool(
                    model.statement_votes_[j] < MIN_VOTES_TO_TRUST
                    or disagreement[k] > RANK_DISAGREEMENT
                ),
            )
            for k, j in enumerate(scored)
        ]
        return tuple(sorted(scores, key=lambda b: -b.score))

    def _stability(
        self, votes: sparse.csr_matrix, labels: np.ndarray, grouped: np.ndarray
    ) -> Stability:
        grouped_votes = votes[grouped]

        def regroup(sample: np.ndarray) -> np.ndarray:
            resampled = grouped_votes[sample]
            refit = OpinionMap(
                imputation=self.options.imputation,
                start=self.opinion_map.components_,
                tol=1e-6,
                max_iter=BOOTSTRAP_ITERATIONS,
            ).fit(resampled, zeroed=self.moderated_out)
            positions = refit.transform(resampled)
            return self._grouper(max_iter=BOOTSTRAP_ITERATIONS).fit(positions).labels_

        rounds = self.options.bootstrap_rounds if len(grouped) else 0
        return group_stability(labels[grouped], regroup, rounds, self.rng)

    def _gic_intervals(
        self, votes: sparse.csr_matrix, labels: np.ndarray, grouped: np.ndarray, n_groups: int
    ) -> dict:
        if not n_groups:
            return {}

        def resampled_gic(sample: np.ndarray) -> np.ndarray:
            weights = np.zeros(len(labels))
            np.add.at(weights, grouped[sample], 1)
            return group_informed_consensus(count_votes(votes, labels, n_groups, weights))

        intervals = bootstrap_intervals(
            resampled_gic, len(grouped), self.options.bootstrap_rounds, self.rng
        )
        if intervals is None:
            return {}
        return {
            s: interval
            for s, interval, ok in zip(
                self.matrix.statement_ids, intervals, self.reportable, strict=True
            )
            if ok
        }

    def _priorities(self, overall: VoteCounts, opinion_map: OpinionMap) -> dict:
        extremity = np.linalg.norm(opinion_map.statement_positions(), axis=1)
        values = priority(
            overall.agree[0], overall.passed[0], overall.votes[0], extremity, self.is_meta
        )
        return {
            s: float(v)
            for s, v, out in zip(self.matrix.statement_ids, values, self.moderated_out, strict=True)
            if not out
        }

    def _stats(self, counts: VoteCounts, row: int) -> dict:
        columns = zip(
            counts.agree[row].tolist(),
            counts.disagree[row].tolist(),
            counts.passed[row].tolist(),
            counts.p_agree[row].tolist(),
            counts.p_disagree[row].tolist(),
            strict=True,
        )
        return {
            s: StatementStats(s, *column)
            for s, column in zip(self.matrix.statement_ids, columns, strict=True)
        }

    def _explain(self, in_conversation: np.ndarray, n_groups: int, overall: VoteCounts) -> None:
        """Plain sentences about anything that limits what the result can say."""
        n_people = len(self.matrix.participant_ids)
        say = self.messages.append
        if not self.matrix.n_votes:
            say("There are no votes yet, so there is nothing to analyse.")
            return
        if len(self.reportable) and not self.reportable.any():
            say("Every statement is moderated out or meta, so no statement can be reported.")
        if n_people < self.options.min_participants:
            say(
                f"Only {n_people} people have voted; groups mean little below "
                f"{self.options.min_participants}."
            )
        if n_groups == 0:
            say("Too few people have voted to form opinion groups.")
        elif n_groups == 1:
            say("No division into groups was clear enough, so everyone is in one group.")
        all_passed = (
            (overall.votes[0] > 0) & (overall.passed[0] == overall.votes[0]) & self.reportable
        )
        if all_passed.any():
            ids = ", ".join(f"#{self.matrix.statement_ids[j]}" for j in np.flatnonzero(all_passed))
            say(
                f"Everyone who saw {ids} passed, so those statements say nothing about opinion yet."
            )


def _pair(xy: np.ndarray) -> tuple[float, float]:
    return float(xy[0]), float(xy[1])


def _rank_share(values: np.ndarray) -> np.ndarray:
    """Position of each value from the top, as a share of the list (0 is best)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks / max(len(values) - 1, 1)


def _ranked(statement_ids: tuple, values: np.ndarray, keep: np.ndarray) -> dict:
    """Statement id to value for the kept statements, highest value first."""
    chosen = [j for j in np.argsort(-values, kind="stable") if keep[j]]
    return {statement_ids[j]: float(values[j]) for j in chosen}
