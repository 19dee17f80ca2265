"""The rules that keep pulse answers anonymous. Plain Python, no Django.

* Nothing is shown for fewer than k respondents (k defaults to 5 and is never below 3).
* A breakdown (a filter within a set of answers) is refused when it, or what is left when it is
  subtracted from any other set the pages can show, holds between 1 and k-1 answers: showing
  "everyone" (7) and "caseworkers" (5) would give away the other 2 by subtraction.
* Pooling over cycles uses fixed blocks (see `scoring.pool_consecutive`), so blocks never overlap,
  and a block is shown only when k different people answered in it (counted from the links
  used, never linked to answers), since one person may answer in each of its months.
* A benchmark pooled across offices counts only offices with k answers of their own, and is
  shown only when three or more take part, so no office can subtract itself to read another.
  It takes each office's answers in whole blocks, so no pulse of a few answers can be read
  from how the benchmark moved the day it closed.
* Free text is shown without any metadata, in an order that changes on every view.
* Answers keep no time of their own, only their pulse's month; the invitation records that it
  was used, not when; an anonymous obstacle keeps only the day it was raised.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

FLOOR = 3


class Refused(Exception):
    """A result that would identify someone; the message says why in plain words."""


def threshold(configured: int) -> int:
    """The k in force: what the office set, but never below 3."""
    return max(FLOOR, int(configured))


def check_count(n: int, k: int, what: str = "in this group") -> None:
    """Refuse fewer than k answers. The message never says how many: in a group of two or
    three, '1 person answered' tells a colleague who did."""
    if n < k:
        raise Refused(
            f"Fewer than {k} people answered {what}, so nothing is shown: results are shown "
            f"from {k} so that no one can be identified."
        )


def check_differencing(
    requested: frozenset[object], showable: Iterable[frozenset[object]], k: int
) -> None:
    """Refuse a set of answers that someone could subtract from another showable set.

    `requested` and each of `showable` are the (opaque) ids of the answers a filter selects.
    If one contains the other and the difference holds 1 to k-1 answers, subtracting one
    published result from the other would reveal those few people's answers.
    """
    check_count(len(requested), k)
    for other in showable:
        if other == requested:
            continue
        nested = requested <= other or other <= requested
        if nested and 0 < len(requested ^ other) < k:
            raise Refused(
                f"Not shown: set beside another result on this page, this one would single out "
                f"the answers of fewer than {k} people."
            )


def safe_cells(cells: dict[str, frozenset[object]], whole: frozenset[object], k: int) -> bool:
    """Whether a breakdown of `whole` into `cells` can be shown at all, cell by cell."""
    family = [whole, *cells.values()]
    try:
        for cell in cells.values():
            if cell:
                check_differencing(cell, family, k)
    except Refused:
        return False
    return True


def benchmark_allowed(own_n: int, total_n: int, offices: int, k: int) -> bool:
    """An installation-wide benchmark that no single office can use to read another."""
    others = total_n - own_n
    return offices >= 3 and others >= k and total_n >= k


def shuffled(texts: Sequence[str], rng: random.Random | None = None) -> list[str]:
    """Free-text answers in an order unrelated to when or by whom they were written."""
    result = list(texts)
    (rng or random.SystemRandom()).shuffle(result)
    return result
