"""The plain data the bridging analysis reads and writes.

Everything here is a frozen dataclass of plain values so that a result can be
stored, compared in tests and turned into JSON without surprises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

StatementId = int | str
ParticipantId = int | str

AGREE = 1
DISAGREE = -1
PASS = 0

ACCEPTED = 1
UNMODERATED = 0
MODERATED_OUT = -1


@dataclass(frozen=True)
class Vote:
    """One vote as Pol.is records it: 1 agree, -1 disagree, 0 pass.

    `timestamp` (any increasing number, Pol.is uses milliseconds) decides which
    vote counts when a participant changed their mind, and lets the analysis
    replay who joined the conversation when (see `Options.min_votes`).
    """

    participant: ParticipantId
    statement: StatementId
    value: int
    timestamp: float | None = None


@dataclass(frozen=True)
class Statement:
    """A statement (a Pol.is "comment").

    `moderated` follows Pol.is: 1 accepted, 0 not yet moderated, -1 moderated
    out. Moderated-out statements keep their column in the vote matrix but it is
    zeroed, as Pol.is does, so they move nobody on the map and are never
    reported. Meta statements ("I am a nurse") are voted on but never reported
    as representative, consensus or bridging.
    """

    id: StatementId
    text: str = ""
    moderated: int = UNMODERATED
    is_meta: bool = False
    author: ParticipantId | None = None
    created: float | None = None


@dataclass(frozen=True)
class Options:
    """Settings of `analyse`. The defaults are Pol.is's.

    min_votes: a participant is grouped once they have voted on at least
        min(min_votes, number of statements existing at the time).
    min_participants: when fewer than this many qualify, the top voters are
        added until there are this many (Pol.is's fallback).
    keep_participants: participants grouped in an earlier run; inclusion is
        sticky, so they stay grouped.
    imputation: how the opinion map treats a missing vote: "mean" as the
        statement's average vote among voters, as Pol.is does (places people
        by how they voted, never by how much), or "pass" as a pass.
    base_clusters: how many base clusters the participants are first cut into.
    max_groups: the largest number of opinion groups tried (from 2).
    group_restarts: random k-means starts tried for each number of groups
        besides Pol.is's deterministic one; the partition with the best
        silhouette is kept (0, the default, keeps Pol.is's start alone).
    min_group_fraction: a grouping is rejected when one of its groups holds
        fewer than this share of the grouped participants (or fewer than 2).
    confidence: one-sided confidence of the significance tests (0.90 in Pol.is).
    max_representative: representative statements kept per group.
    max_consensus: consensus statements kept per direction.
    factor_regularisation / intercept_regularisation: the penalties of the
        bridging factorisation; intercepts are held about five times harder, as
        in Community Notes, so that a statement only earns a high intercept by
        being liked across the factor.
    bootstrap_rounds: resamples used for stability and intervals (0 turns
        the uncertainty estimates off).
    random_state: seed of every random choice, so results are reproducible.
    """

    min_votes: int = 7
    min_participants: int = 15
    keep_participants: tuple[ParticipantId, ...] = ()
    imputation: str = "mean"
    base_clusters: int = 100
    max_groups: int = 5
    min_group_fraction: float = 0.03
    group_restarts: int = 0
    confidence: float = 0.90
    max_representative: int = 5
    max_consensus: int = 5
    factor_regularisation: float = 0.03
    intercept_regularisation: float = 0.15
    bootstrap_rounds: int = 20
    random_state: int = 0


@dataclass(frozen=True)
class StatementStats:
    """How one group (or everybody) voted on one statement.

    `p_agree` and `p_disagree` are smoothed: (1 + count) / (2 + votes).
    """

    statement: StatementId
    agree: int
    disagree: int
    passed: int
    p_agree: float
    p_disagree: float

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart from the rest.

    direction: "agree" or "disagree", the way the group leans more than others.
    share: the group's smoothed probability of voting that way.
    repness: that probability divided by the same probability outside the group.
    p_test / repness_test: z-scores of the two significance tests.
    """

    statement: StatementId
    direction: str
    votes: int
    count: int
    share: float
    repness: float
    p_test: float
    repness_test: float


@dataclass(frozen=True)
class Group:
    """An opinion group: who is in it and what makes it distinct."""

    id: int
    participants: tuple[ParticipantId, ...]
    center: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]

    @property
    def size(self) -> int:
        return len(self.participants)


@dataclass(frozen=True)
class Interval:
    """A central 90% interval."""

    low: float
    high: float


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with, significantly.

    share: smoothed share voting that way, (1 + count) / (2 + votes).
    interval: 90% Wilson interval of the raw share count / votes.
    """

    statement: StatementId
    direction: str
    votes: int
    count: int
    share: float
    p_test: float
    interval: Interval


@dataclass(frozen=True)
class BridgingScore:
    """Community Notes-style bridging of one statement.

    intercept: how much people agree with it beyond what their own leaning and
        the statement's polarity explain; high means broadly liked.
    factor: where the statement sits on the one dividing axis; near zero means
        it does not split people.
    score: intercept - |factor| x (spread of participants on the axis), the
        agreement expected from the side of the divide that likes it less; it
        is high only when the intercept is high and the factor small.
    interval: approximate interval of the score at `Options.confidence`
        (the intercept's standard error from the fit).
    needs_more_votes: too few votes, or the bridging rank and the
        group-informed consensus rank disagree: staff should not rely on it.
    """

    statement: StatementId
    score: float
    intercept: float
    factor: float
    votes: int
    interval: Interval | None
    needs_more_votes: bool


@dataclass(frozen=True)
class Stability:
    """How far the groups can be trusted.

    agreement: mean adjusted Rand index between the groups found on the data
        and on bootstrap resamples of the participants (1.0 is perfectly
        stable). None when there are no groups or no resamples.
    same_group_count: share of resamples that found the same number of groups.
    rounds: number of resamples.
    """

    agreement: float | None
    same_group_count: float | None
    rounds: int


@dataclass(frozen=True)
class Result:
    """Everything `analyse` learns about a conversation.

    participant_ids / statement_ids: the order used by the arrays below.
    coordinates: participant id to (x, y) on the opinion map, for everyone
        who voted on a statement that is not moderated out.
    statement_coordinates: statement id to (x, y), where a participant who
        agreed with only that statement would be placed.
    participant_groups: participant id to group id, or None when the
        participant has not voted enough to be grouped.
    groups: the opinion groups, largest first, ids 0, 1, ...
    group_stats: group id to statement id to StatementStats.
    overall_stats: statement id to StatementStats over all participants.
    consensus: statements most agree (or disagree) with, Pol.is style.
    group_informed_consensus: statement id to the product over groups of each
        group's smoothed agree rate, highest first.
    group_informed_consensus_intervals: statement id to a bootstrap interval.
    bridging: Community Notes-style scores, highest first.
    stability: how trustworthy the groups are.
    priorities: statement id to Pol.is's routing priority (see `routing`).
    messages: plain sentences about anything unusual in the input (no votes,
        too few participants, everything moderated out...).
    """

    participant_ids: tuple[ParticipantId, ...]
    statement_ids: tuple[StatementId, ...]
    coordinates: dict[ParticipantId, tuple[float, float]]
    statement_coordinates: dict[StatementId, tuple[float, float]]
    participant_groups: dict[ParticipantId, int | None]
    groups: tuple[Group, ...]
    group_stats: dict[int, dict[StatementId, StatementStats]]
    overall_stats: dict[StatementId, StatementStats]
    consensus: tuple[ConsensusStatement, ...]
    group_informed_consensus: dict[StatementId, float]
    group_informed_consensus_intervals: dict[StatementId, Interval]
    bridging: tuple[BridgingScore, ...]
    stability: Stability
    priorities: dict[StatementId, float]
    messages: tuple[str, ...] = field(default=())
