"""Vote counts per group, Pol.is's representative and consensus statements,
and group-informed consensus.

The tests and smoothing follow Pol.is (math/src/polismath/math/repness.clj
and stats.clj): probabilities are smoothed as (1 + count) / (2 + votes); a
proportion is tested against one half with 2 sqrt(n + 1) ((count + 1) / (n + 1)
- 1/2); a group is compared with the rest by a two-proportion z-test with one
added to every count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.stats import norm

from compassion.bridging.model import ConsensusStatement, Interval, RepresentativeStatement


@dataclass(frozen=True)
class VoteCounts:
    """Agree, disagree and total vote counts, one row per group."""

    agree: np.ndarray
    disagree: np.ndarray
    votes: np.ndarray

    @property
    def passed(self) -> np.ndarray:
        return self.votes - self.agree - self.disagree

    @property
    def p_agree(self) -> np.ndarray:
        return (1 + self.agree) / (2 + self.votes)

    @property
    def p_disagree(self) -> np.ndarray:
        return (1 + self.disagree) / (2 + self.votes)


def count_votes(
    votes: sparse.csr_matrix,
    labels: np.ndarray,
    n_groups: int,
    weights: np.ndarray | None = None,
) -> VoteCounts:
    """Counts per group; rows with a negative label are left out.

    `weights` counts each participant that many times (a bootstrap resample
    is a weighting by how often each participant was drawn).
    """
    weights = np.ones(votes.shape[0]) if weights is None else np.asarray(weights, float)
    members = np.flatnonzero(labels >= 0)
    membership = sparse.csr_matrix(
        (weights[members], (labels[members], members)), shape=(n_groups, votes.shape[0])
    )
    n_statements = votes.shape[1]
    kinds = np.where(votes.data == 1, 0, np.where(votes.data == -1, 1, 2))
    indicator = sparse.csr_matrix(
        (np.ones(votes.nnz), kinds * n_statements + votes.indices, votes.indptr),
        shape=(votes.shape[0], 3 * n_statements),
    )
    counts = np.asarray((membership @ indicator).todense()).round().astype(np.int64)
    agree, disagree, passed = np.split(counts, 3, axis=1)
    return VoteCounts(agree, disagree, agree + disagree + passed)


def one_proportion_z(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Pol.is's test that a proportion exceeds one half."""
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def two_proportion_z(
    successes_in: np.ndarray,
    successes_out: np.ndarray,
    trials_in: np.ndarray,
    trials_out: np.ndarray,
) -> np.ndarray:
    """Pol.is's test that a group's proportion exceeds everyone else's."""
    s1, s2, n1, n2 = successes_in + 1, successes_out + 1, trials_in + 1, trials_out + 1
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.where(spread > 0, z, 0.0)


def representative_statements(
    counts: VoteCounts,
    reportable: np.ndarray,
    statement_ids: tuple,
    confidence: float = 0.90,
    pick_max: int = 5,
) -> list[tuple[RepresentativeStatement, ...]]:
    """Up to `pick_max` statements per group, Pol.is's selection.

    A statement is representative of a group when the group leans one way
    significantly (one-proportion test) and more than everyone else does
    (two-proportion test). The group's best agreed statement comes first so
    that every group shows something it agrees with; when nothing is
    significant the statement with the strongest comparison is kept.
    """
    critical = norm.ppf(confidence)
    totals = VoteCounts(counts.agree.sum(0), counts.disagree.sum(0), counts.votes.sum(0))
    selections = []
    for group in range(counts.votes.shape[0]):
        stats = _group_repness(counts, totals, group)
        agree_sig = (stats["pat"] > critical) & (stats["rat"] > critical)
        disagree_sig = (stats["pdt"] > critical) & (stats["rdt"] > critical)
        significant = (agree_sig | disagree_sig) & reportable
        leans_agree = stats["rat"] > stats["rdt"]
        metric = np.where(
            leans_agree,
            stats["ra"] * stats["rat"] * stats["pa"] * stats["pat"],
            stats["rd"] * stats["rdt"] * stats["pd"] * stats["pdt"],
        )
        chosen = [
            int(j)
            for j in np.flatnonzero(significant)[np.argsort(-metric[significant], kind="stable")]
        ]
        best = _best_agreed(stats, counts.votes[group], reportable, critical)
        if best is None and not chosen:
            best = _strongest_comparison(stats, reportable)
        if best is not None:
            chosen = [best, *[j for j in chosen if j != best]]
        chosen = chosen[:pick_max]
        picked = [_representative(stats, j, statement_ids[j], best_agree=j == best) for j in chosen]
        picked.sort(key=lambda r: r.direction)
        selections.append(tuple(picked))
    return selections


def _group_repness(counts: VoteCounts, totals: VoteCounts, group: int) -> dict[str, np.ndarray]:
    na, nd, ns = counts.agree[group], counts.disagree[group], counts.votes[group]
    oa, od, os_ = totals.agree - na, totals.disagree - nd, totals.votes - ns
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": one_proportion_z(na, ns),
        "pdt": one_proportion_z(nd, ns),
        "ra": pa / ((1 + oa) / (2 + os_)),
        "rd": pd / ((1 + od) / (2 + os_)),
        "rat": two_proportion_z(na, oa, ns, os_),
        "rdt": two_proportion_z(nd, od, ns, os_),
    }


def _best_agreed(
    stats: dict, votes: np.ndarray, reportable: np.ndarray, critical: float
) -> int | None:
    """The statement the group most clearly agrees with, if any qualifies."""
    eligible = (
        reportable
        & (votes > 0)
        & ((stats["pat"] > critical) | ((stats["ra"] > 1) & (stats["pa"] > 0.5)))
    )
    if not eligible.any():
        return None
    distinct = stats["ra"] * stats["rat"] * stats["pa"] * stats["pat"]
    plain = stats["pa"] * stats["pat"]
    metric = np.where(eligible & (stats["ra"] > 1), distinct, -np.inf)
    if not np.isfinite(metric).any():
        metric = np.where(eligible, plain, -np.inf)
    return int(np.argmax(metric))


def _strongest_comparison(stats: dict, reportable: np.ndarray) -> int | None:
    if not reportable.any():
        return None
    return int(np.argmax(np.where(reportable, np.maximum(stats["rat"], stats["rdt"]), -np.inf)))


def _representative(stats: dict, j: int, statement_id, best_agree: bool) -> RepresentativeStatement:
    agree = best_agree or stats["rat"][j] > stats["rdt"][j]
    key = "a" if agree else "d"
    return RepresentativeStatement(
        statement=statement_id,
        direction="agree" if agree else "disagree",
        votes=int(stats["ns"][j]),
        count=int(stats["n" + key][j]),
        share=float(stats["p" + key][j]),
        repness=float(stats["r" + key][j]),
        p_test=float(stats["p" + key + "t"][j]),
        repness_test=float(stats["r" + key + "t"][j]),
    )


def consensus_statements(
    agree: np.ndarray,
    disagree: np.ndarray,
    votes: np.ndarray,
    reportable: np.ndarray,
    statement_ids: tuple,
    confidence: float = 0.90,
    pick_max: int = 5,
) -> tuple[ConsensusStatement, ...]:
    """Pol.is consensus: most agree (or most disagree), significantly."""
    critical = norm.ppf(confidence)
    picked = []
    for direction, count in (("agree", agree), ("disagree", disagree)):
        share = (1 + count) / (2 + votes)
        test = one_proportion_z(count, votes)
        candidates = np.flatnonzero(reportable & (share > 0.5) & (test > critical))
        ranked = candidates[np.argsort(-(share * test)[candidates], kind="stable")][:pick_max]
        picked += [
            ConsensusStatement(
                statement=statement_ids[j],
                direction=direction,
                votes=int(votes[j]),
                count=int(count[j]),
                share=float(share[j]),
                p_test=float(test[j]),
                interval=wilson_interval(int(count[j]), int(votes[j]), confidence),
            )
            for j in ranked
        ]
    return tuple(picked)


def wilson_interval(successes: int, trials: int, confidence: float = 0.90) -> Interval:
    """Central Wilson score interval of a proportion, sound even near 0 or 1."""
    if trials == 0:
        return Interval(0.0, 1.0)
    z = norm.ppf(0.5 + confidence / 2)
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    spread = z * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    spread /= 1 + z * z / trials
    return Interval(float(max(0.0, centre - spread)), float(min(1.0, centre + spread)))


def group_informed_consensus(counts: VoteCounts) -> np.ndarray:
    """Product over groups of each group's smoothed agree rate, per statement.

    High only when every group agrees; a statement one group rejects scores
    low however popular it is elsewhere.
    """
    return np.prod(counts.p_agree, axis=0)
