"""A plain-language summary of a result, written from templates.

Every sentence carries the statement ids it talks about and the vote shares
behind it, so the web page can link each claim to its evidence and staff can
check it. No language model is involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from compassion.bridging.model import Result, Statement, StatementId

GROUP_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_QUOTE = 80


@dataclass(frozen=True)
class Share:
    """A vote share cited by a sentence: `count` of `votes` people in `who`.

    who: "everyone", "everyone else" or "group A" and so on.
    vote: "agree", "disagree" or "pass".
    """

    statement: StatementId
    who: str
    vote: str
    count: int
    votes: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.votes) if self.votes else 0


@dataclass(frozen=True)
class Sentence:
    """One claim of the summary with its evidence."""

    text: str
    statement_ids: tuple[StatementId, ...] = ()
    shares: tuple[Share, ...] = field(default=())


def group_name(group_id: int) -> str:
    return "group " + GROUP_NAMES[group_id % len(GROUP_NAMES)]


def summarise(
    result: Result,
    statements: Iterable[Statement] = (),
    min_group_size: int = 5,
    max_items: int = 3,
) -> list[Sentence]:
    """Sentences describing the groups, consensus and bridging statements.

    Groups smaller than `min_group_size` are counted but never described, so
    that nobody in a tiny group can be singled out.
    """
    texts = {s.id: s.text for s in statements}
    sentences = [Sentence(message) for message in result.messages]
    sentences += _overview(result, min_group_size)
    for group in result.groups:
        if group.size >= min_group_size:
            sentences += _group_sentences(result, group.id, texts, max_items)
    sentences += _consensus_sentences(result, texts, max_items)
    sentences += _bridging_sentences(result, texts, max_items, min_group_size)
    sentences += _stability_sentences(result)
    return sentences


def _quote(statement_id: StatementId, texts: dict) -> str:
    text = " ".join(str(texts.get(statement_id, "")).split())
    if not text:
        return f"#{statement_id}"
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1].rstrip() + "…"
    return f"#{statement_id} (“{text}”)"


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _overview(result: Result, min_group_size: int) -> list[Sentence]:
    grouped = sum(g is not None for g in result.participant_groups.values())
    total = len(result.participant_ids)
    if not total:
        return []  # the analysis's own message says there are no votes yet
    if not result.groups:
        return [Sentence(f"{_people(total)} voted; nobody has voted enough to be grouped yet.")]
    shown = [g for g in result.groups if g.size >= min_group_size]
    sizes = ", ".join(f"{group_name(g.id)} {g.size}" for g in shown)
    text = (
        f"{_people(total)} voted and {grouped} voted enough to be grouped, "
        f"into {len(result.groups)} opinion group{'s' if len(result.groups) != 1 else ''}"
        + (f" ({sizes})." if sizes else ".")
    )
    hidden = len(result.groups) - len(shown)
    if hidden:
        text += f" {hidden} small group{'s are' if hidden > 1 else ' is'} not described."
    return [Sentence(text)]


def _group_sentences(result: Result, group_id: int, texts: dict, max_items: int) -> list[Sentence]:
    name = group_name(group_id)
    stats = result.group_stats[group_id]
    sentences = []
    for rep in result.groups[group_id].representative[:max_items]:
        own = stats[rep.statement]
        count = own.agree if rep.direction == "agree" else own.disagree
        others = _others(result, group_id, rep.statement, rep.direction)
        shares = (Share(rep.statement, name, rep.direction, count, own.votes), others)
        sentences.append(
            Sentence(
                f"{name[0].upper()}{name[1:]} stands out by {rep.direction}ing with "
                f"{_quote(rep.statement, texts)}: {shares[0].percent}% of the "
                f"{own.votes} in the group who voted {rep.direction}, against "
                f"{others.percent}% of everyone else.",
                (rep.statement,),
                shares,
            )
        )
    return sentences


def _others(result: Result, group_id: int, statement: StatementId, direction: str) -> Share:
    count = votes = 0
    for other, stats in result.group_stats.items():
        if other != group_id:
            s = stats[statement]
            count += s.agree if direction == "agree" else s.disagree
            votes += s.votes
    return Share(statement, "everyone else", direction, count, votes)


def _consensus_sentences(result: Result, texts: dict, max_items: int) -> list[Sentence]:
    sentences = []
    for direction in ("agree", "disagree"):
        for item in [c for c in result.consensus if c.direction == direction][:max_items]:
            share = Share(item.statement, "everyone", direction, item.count, item.votes)
            sentences.append(
                Sentence(
                    f"Most participants {direction} with {_quote(item.statement, texts)}: "
                    f"{share.percent}% of the {item.votes} who voted.",
                    (item.statement,),
                    (share,),
                )
            )
    return sentences


def _bridging_sentences(
    result: Result, texts: dict, max_items: int, min_group_size: int
) -> list[Sentence]:
    sentences = []
    shown = [g for g in result.groups if g.size >= min_group_size]
    confident = [b for b in result.bridging if not b.needs_more_votes]
    for item in confident[:max_items]:
        shares = tuple(
            Share(
                item.statement,
                group_name(g.id),
                "agree",
                result.group_stats[g.id][item.statement].agree,
                result.group_stats[g.id][item.statement].votes,
            )
            for g in shown
        )
        if shares:
            detail = ", ".join(f"{s.percent}% of {s.who}" for s in shares)
            text = (
                f"{_quote(item.statement, texts)} finds support across the groups: {detail} agree."
            )
        else:
            overall = result.overall_stats[item.statement]
            shares = (Share(item.statement, "everyone", "agree", overall.agree, overall.votes),)
            text = (
                f"{_quote(item.statement, texts)} is agreed with by people who otherwise "
                f"disagree: {shares[0].percent}% of the {overall.votes} who voted agree."
            )
        sentences.append(Sentence(text, (item.statement,), shares))
    unsure = [b.statement for b in result.bridging[: 2 * max_items] if b.needs_more_votes]
    if unsure:
        listed = ", ".join(f"#{s}" for s in unsure)
        sentences.append(
            Sentence(
                f"{listed} may bridge the groups, but the two ways of measuring it disagree: "
                "needs more votes.",
                tuple(unsure),
            )
        )
    return sentences


def _stability_sentences(result: Result) -> list[Sentence]:
    agreement = result.stability.agreement
    if agreement is None:
        return []
    again = "drawn again from a random pick of the same voters"
    if agreement >= 0.8:
        verdict = f"The groups are stable: {again}, they come out much the same"
    elif agreement >= 0.5:
        verdict = f"The groups are fairly stable: {again}, some people move between them"
    else:
        verdict = (
            f"The groups are unstable: {again}, they change a lot, so treat them as a rough sketch"
        )
    rounds = result.stability.rounds
    return [
        Sentence(f"{verdict} ({agreement:.2f} alike over {rounds} tries, where 1.00 is identical).")
    ]
