"""The anonymity rules on their own: thresholds, differencing, benchmarks, free text."""

import random

import pytest

from compassion.pulse import anonymity
from compassion.pulse.anonymity import Refused


def test_it_never_lets_k_fall_below_3() -> None:
    assert anonymity.threshold(1) == 3
    assert anonymity.threshold(5) == 5
    assert anonymity.threshold(8) == 8


def test_it_refuses_fewer_than_k() -> None:
    with pytest.raises(Refused, match="Fewer than 5 people") as refused:
        anonymity.check_count(4, 5)
    assert "4" not in str(refused.value)  # how many of a small group answered is not said
    anonymity.check_count(5, 5)


def test_it_refuses_a_filter_that_can_be_subtracted_from_the_whole() -> None:
    everyone = frozenset(range(7))
    caseworkers = frozenset(range(5))
    with pytest.raises(Refused, match="single out the answers of fewer than 5 people") as refused:
        anonymity.check_differencing(caseworkers, [everyone], 5)
    assert "2" not in str(refused.value)
    # Ten people, five caseworkers: both halves hold five, so both can be shown.
    everyone = frozenset(range(10))
    anonymity.check_differencing(caseworkers, [everyone], 5)
    assert anonymity.safe_cells(
        {"casework": caseworkers, "office": everyone - caseworkers}, everyone, 5
    )


def test_it_refuses_a_whole_breakdown_when_one_cell_is_small() -> None:
    everyone = frozenset(range(9))
    cells = {"casework": frozenset(range(6)), "office": frozenset(range(6, 9))}
    assert not anonymity.safe_cells(cells, everyone, 5)


def test_it_allows_disjoint_sets_of_any_size_difference() -> None:
    anonymity.check_differencing(frozenset(range(5)), [frozenset(range(10, 16))], 5)


def test_it_guards_the_installation_benchmark() -> None:
    assert not anonymity.benchmark_allowed(own_n=6, total_n=20, offices=2, k=5)
    assert not anonymity.benchmark_allowed(own_n=6, total_n=9, offices=3, k=5)
    assert anonymity.benchmark_allowed(own_n=6, total_n=20, offices=3, k=5)


def test_it_shuffles_free_text() -> None:
    texts = [f"text {i}" for i in range(20)]
    mixed = anonymity.shuffled(texts, random.Random(1))
    assert sorted(mixed) == sorted(texts) and mixed != texts
