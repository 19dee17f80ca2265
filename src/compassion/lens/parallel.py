"""Order-preserving parallel map with bounded look-ahead, so streams stay streams.

`multiprocessing.Pool.imap` reads its whole input ahead of the workers, which would hold
a whole file in memory; this submits at most `ahead` items per worker at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import Pool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(
    function: Callable[[Item], Result], items: Iterable[Item], jobs: int, ahead: int = 2
) -> Iterator[tuple[Item, Result]]:
    """(item, function(item)) pairs in input order, computed in `jobs` processes."""
    if jobs <= 1:
        for item in items:
            yield item, function(item)
        return
    with Pool(jobs) as pool:
        pending: deque = deque()
        for item in items:
            pending.append((item, pool.apply_async(function, (item,))))
            if len(pending) >= jobs * ahead:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()
