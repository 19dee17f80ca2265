"""The one seam between the database and the maths in `compassion.bridging`.

`results_for(conversation)` runs the bridging analysis on the stored votes and shapes it for
the pages: groups (small ones never described), bridging statements with per-group bars, the
opinion map and the summary. It is cached under a key made of the vote count, the latest vote
and the conversation's last change, so it refreshes as votes arrive.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.core.cache import cache

from compassion import bridging
from compassion.commonground.models import (
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

GROUP_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Okabe-Ito colours: told apart with the common kinds of colour blindness.
GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
SMALL_GROUP_COLOUR = "#8a939e"
RESULT_CACHE_SECONDS = 60 * 60
PRIORITY_CACHE_SECONDS = 120
MAP_SIZE = 360
MAP_MARGIN = 18
# At most this many bridging statements are listed, and only those with a positive score:
# below zero, the side of the divide that likes a statement less is expected to reject it.
MAX_BRIDGING_SHOWN = 8


def min_group_size() -> int:
    """Groups smaller than this are never described (the office's anonymity threshold)."""
    return max(3, settings.PULSE_MIN_RESPONDENTS)


def bridging_statements(conversation: Conversation) -> list[bridging.Statement]:
    return [
        bridging.Statement(
            id=s.number,
            text=s.text,
            moderated=s.polis_moderation,
            is_meta=s.is_meta,
            author=s.author_id,
            created=s.created_at.timestamp() * 1000,
        )
        for s in conversation.statements.all()
    ]


def vote_matrix(conversation: Conversation, numbers: dict[int, int]) -> bridging.VoteMatrix:
    """The votes as arrays, oldest first (the order stands in for their times).

    Reading ids and values only, in the database's order, is several times faster than
    building one object per vote with its timestamp.
    """
    rows = (
        Vote.objects.filter(statement__conversation=conversation)
        .order_by("created_at", "pk")
        .values_list("participant_id", "statement_id", "value")
    )
    table = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
    to_number = np.vectorize(numbers.__getitem__, otypes=[np.int64])
    statements = to_number(table[:, 1]) if len(table) else table[:, 1]
    return bridging.vote_matrix_from_arrays(
        table[:, 0], statements, table[:, 2], statement_ids=sorted(numbers.values())
    )


def bridging_input(
    conversation: Conversation,
) -> tuple[list[bridging.Vote], list[bridging.Statement]]:
    """The conversation's votes (with times) and statements, for a Pol.is export."""
    rows = conversation.votes().values_list(
        "participant_id", "statement__number", "value", "updated_at"
    )
    votes = [
        bridging.Vote(participant, number, value, updated.timestamp() * 1000)
        for participant, number, value, updated in rows
    ]
    return votes, bridging_statements(conversation)


def cache_key(conversation: Conversation) -> str:
    version = Conversation.objects.filter(pk=conversation.pk).values_list(
        "vote_version", "changed_at"
    )
    votes, changed = version.get()
    return f"commonground:result:{conversation.pk}:{votes}:{changed.timestamp()}"


def analyse(conversation: Conversation, bootstrap_rounds: int = 20) -> bridging.Result:
    numbers = dict(conversation.statements.values_list("pk", "number"))
    options = bridging.Options(random_state=0, bootstrap_rounds=bootstrap_rounds)
    return bridging.analyse(
        vote_matrix(conversation, numbers), bridging_statements(conversation), options
    )


def latest_result(conversation: Conversation) -> bridging.Result:
    """The analysis of the votes as they are now, from the cache when nothing changed."""
    key = cache_key(conversation)
    result = cache.get(key)
    if result is None:
        result = analyse(conversation)
        cache.set(key, result, RESULT_CACHE_SECONDS)
        cache.set(priority_key(conversation), result.priorities, PRIORITY_CACHE_SECONDS)
    return result


def priority_key(conversation: Conversation) -> str:
    return f"commonground:priorities:{conversation.pk}"


def priorities(conversation: Conversation) -> dict:
    """Routing priorities, worked out again at most every couple of minutes.

    Voters do not need the freshest analysis: a quick one (no resampling) is enough, and
    statements added since then count as brand new.
    """
    key = priority_key(conversation)
    found = cache.get(key)
    if found is None:
        found = analyse(conversation, bootstrap_rounds=0).priorities
        cache.set(key, found, PRIORITY_CACHE_SECONDS)
    return found


@dataclass
class Routing:
    """What a voter sees next: a statement, or why there is none."""

    statement: Statement | None
    voted: int
    remaining: int
    cap_reached: bool
    this_session: int  # votes cast in the last SESSION_HOURS, counted against the cap
    session_cap: int
    more_from: datetime | None  # when the cap lets this voter vote on more

    @property
    def total(self) -> int:
        return self.voted + self.remaining

    @property
    def capped(self) -> bool:
        """The cap, not the end of the statements, is what stops this session."""
        return self.remaining > self.session_cap - self.this_session


def next_for(participant: Participant | None, conversation: Conversation) -> Routing:
    """The next statement for this voter: staff priorities first, then Pol.is's priority."""
    accepted = list(conversation.accepted_statements())
    by_number = {s.number: s for s in accepted}
    voted: set[int] = set()
    this_session = 0
    if participant is not None:
        voted = set(participant.votes.values_list("statement__number", flat=True))
        this_session = participant.votes_this_session()
    remaining = len([n for n in by_number if n not in voted])
    picks = bridging.next_statements(
        list(by_number),
        priorities(conversation) if remaining else {},
        voted,
        officer_priority=conversation.officer_priority(),
        votes_this_session=this_session,
        session_cap=conversation.session_cap,
        count=1,
        random_state=secrets.randbits(32),
    )
    cap_reached = bool(remaining) and this_session >= conversation.session_cap
    return Routing(
        statement=by_number[picks[0]] if picks else None,
        voted=len(voted & set(by_number)),
        remaining=remaining,
        cap_reached=cap_reached,
        this_session=this_session,
        session_cap=conversation.session_cap,
        more_from=participant.more_votes_from() if participant and cap_reached else None,
    )


@dataclass
class Bar:
    """One row of agree / disagree / pass for a group (or everyone) on one statement."""

    who: str
    colour: str
    agree: int
    disagree: int
    passed: int

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    def percent(self, count: int) -> int:
        return round(100 * count / self.votes) if self.votes else 0

    @property
    def agree_percent(self) -> int:
        return self.percent(self.agree)

    @property
    def disagree_percent(self) -> int:
        return self.percent(self.disagree)

    @property
    def pass_percent(self) -> int:
        return max(0, 100 - self.agree_percent - self.disagree_percent) if self.votes else 0


@dataclass
class StatementRow:
    statement: Statement
    bars: list[Bar]
    note: str = ""
    needs_more_votes: bool = False
    direction: str = ""


@dataclass
class GroupView:
    id: int
    letter: str
    colour: str
    size: int
    representative: list[StatementRow]


@dataclass
class MapPoint:
    x: float
    y: float
    colour: str


@dataclass
class Results:
    """Everything the results pages show, already shaped for templates."""

    participants: int
    votes: int
    grouped: int
    groups: list[GroupView]
    small_groups: int
    bridging: list[StatementRow]
    consensus: list[StatementRow]
    all_statements: list[StatementRow]
    summary: list[dict]
    map_points: list[MapPoint]
    map_labels: list[dict]
    stability: bridging.Stability | None
    messages: list[str] = field(default_factory=list)

    @property
    def confident_bridging(self) -> int:
        """Bridging statements listed without a "needs more votes" warning."""
        return sum(not row.needs_more_votes for row in self.bridging)


def letter(group_id: int) -> str:
    return GROUP_LETTERS[group_id % len(GROUP_LETTERS)]


def colour(group_id: int) -> str:
    return GROUP_COLOURS[group_id % len(GROUP_COLOURS)]


def results_for(conversation: Conversation) -> Results:
    """Run (or reuse) the analysis and shape it for the staff page and the public report."""
    result = latest_result(conversation)
    statements = {s.number: s for s in conversation.statements.all()}
    minimum = min_group_size()
    shown = [g for g in result.groups if g.size >= minimum]

    def bars(number: int) -> list[Bar]:
        rows = [Bar("Everyone", "", *counts(result.overall_stats, number))]
        for g in shown:
            rows.append(
                Bar(
                    f"Group {letter(g.id)}", colour(g.id), *counts(result.group_stats[g.id], number)
                )
            )
        return rows

    def row(number: int, **extra: object) -> StatementRow | None:
        statement = statements.get(number)
        if statement is None or statement.status != StatementStatus.ACCEPTED:
            return None
        return StatementRow(statement, bars(number), **extra)

    groups = [
        GroupView(
            id=g.id,
            letter=letter(g.id),
            colour=colour(g.id),
            size=g.size,
            representative=[
                r
                for rep in g.representative
                if (
                    r := row(
                        rep.statement, direction=rep.direction, note=rep_note(result, g.id, rep)
                    )
                )
            ],
        )
        for g in shown
    ]
    bridging_rows = [
        r
        for item in [b for b in result.bridging if b.score > 0][:MAX_BRIDGING_SHOWN]
        if (
            r := row(
                item.statement, needs_more_votes=item.needs_more_votes, note=bridging_note(item)
            )
        )
    ]
    consensus_rows = [
        r
        for item in result.consensus
        if (r := row(item.statement, direction=item.direction, note=consensus_note(item)))
    ]
    all_rows = [r for number in sorted(statements) if (r := row(number))]
    points, labels = opinion_map(result, {g.id for g in shown})
    return Results(
        participants=len(result.participant_ids),
        votes=sum(s.votes for s in result.overall_stats.values()),
        grouped=sum(g is not None for g in result.participant_groups.values()),
        groups=groups,
        small_groups=len(result.groups) - len(shown),
        bridging=bridging_rows,
        consensus=consensus_rows,
        all_statements=all_rows,
        summary=summary(result, statements, minimum),
        map_points=points,
        map_labels=labels,
        stability=result.stability,
        messages=list(result.messages),
    )


def counts(stats: dict, number: int) -> tuple[int, int, int]:
    """Agree, disagree and pass counts (zeros for a statement nobody has voted on)."""
    found = stats.get(number)
    return (found.agree, found.disagree, found.passed) if found else (0, 0, 0)


def bridging_note(item: bridging.BridgingScore) -> str:
    """The score with its uncertainty, in words staff can weigh."""
    text = f"Common-ground score {item.score:.2f}"
    if item.interval is not None:
        text += f" (likely between {item.interval.low:.2f} and {item.interval.high:.2f})"
    return f"{text}, from {item.votes} agree or disagree votes"


def rep_note(result: bridging.Result, group_id: int, rep: bridging.RepresentativeStatement) -> str:
    """The group's share against everyone else's, as counted (the figures its bars show), not
    Pol.is's smoothed estimates or their ratio."""
    share = round(100 * rep.count / rep.votes) if rep.votes else 0
    count = votes = 0
    for other, stats in result.group_stats.items():
        if other != group_id and rep.statement in stats:
            found = stats[rep.statement]
            count += found.agree if rep.direction == "agree" else found.disagree
            votes += found.votes
    others = round(100 * count / votes) if votes else 0
    return f"{share}% of the group {rep.direction}, against {others}% of everyone else"


def consensus_note(item: bridging.ConsensusStatement) -> str:
    share = round(100 * item.count / item.votes) if item.votes else 0
    return f"{share}% of {item.votes} voters {item.direction}"


def summary(result: bridging.Result, statements: dict[int, Statement], minimum: int) -> list[dict]:
    """The plain-language summary, each sentence with the statements and shares it cites.
    A sentence that cites a statement not shown to voters (waiting for moderation again, or
    rejected) is left out, so its words never reach the report."""
    shown = {n: s for n, s in statements.items() if s.status == StatementStatus.ACCEPTED}
    inputs = [bridging.Statement(n, s.text, s.polis_moderation) for n, s in shown.items()]
    return [
        {"text": sentence.text, "statements": sentence.statement_ids, "shares": sentence.shares}
        for sentence in bridging.summarise(result, inputs, min_group_size=minimum)
        if all(n in shown for n in sentence.statement_ids)
    ]


def opinion_map(result: bridging.Result, shown: set[int]) -> tuple[list[MapPoint], list[dict]]:
    """Participants' positions scaled into the SVG square, coloured by group."""
    placed = [
        (xy, result.participant_groups.get(p))
        for p, xy in result.coordinates.items()
        if result.participant_groups.get(p) is not None
    ]
    if not placed:
        return [], []
    xs = [xy[0] for xy, _ in placed]
    ys = [xy[1] for xy, _ in placed]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    inner = MAP_SIZE - 2 * MAP_MARGIN
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def scale(x: float, y: float) -> tuple[float, float]:
        return (
            round(MAP_SIZE / 2 + (x - mid_x) / span * inner, 1),
            round(MAP_SIZE / 2 - (y - mid_y) / span * inner, 1),
        )

    points = [
        MapPoint(*scale(*xy), colour(g) if g in shown else SMALL_GROUP_COLOUR) for xy, g in placed
    ]
    labels = []
    for group in result.groups:
        if group.id in shown:
            x, y = scale(*group.center)
            labels.append({"letter": letter(group.id), "x": x, "y": y, "colour": colour(group.id)})
    return points, labels
