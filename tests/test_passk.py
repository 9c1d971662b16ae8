"""Unbiased pass@k: exact values against the combinatorial definition, and the k <= n rule."""

from __future__ import annotations

from math import comb

import pytest

from hdlgen.eval.passk import estimate_pass_at_k, pass_at_k


@pytest.mark.parametrize("n,c,k", [(1, 0, 1), (1, 1, 1), (5, 2, 1), (5, 2, 3), (10, 3, 5), (20, 1, 10),
                                   (20, 19, 2), (200, 7, 100)])
def test_matches_combinatorial_definition(n: int, c: int, k: int) -> None:
    assert estimate_pass_at_k(n, c, k) == pytest.approx(1 - comb(n - c, k) / comb(n, k), abs=1e-12)


def test_pass_at_1_is_fraction_correct() -> None:
    assert estimate_pass_at_k(20, 7, 1) == pytest.approx(7 / 20)


def test_all_wrong_and_all_right() -> None:
    assert estimate_pass_at_k(10, 0, 5) == 0.0
    assert estimate_pass_at_k(10, 10, 1) == 1.0
    assert estimate_pass_at_k(10, 6, 5) == 1.0  # fewer than k wrong samples: any draw holds a pass


def test_mean_over_tasks_and_only_k_up_to_smallest_n() -> None:
    counts = [(5, 1), (3, 3), (4, 0)]
    got = pass_at_k(counts, [1, 3, 4, 10])
    assert set(got) == {"1", "3"}  # 4 > 3 samples of the second task; 10 > every n
    assert got["1"] == pytest.approx((1 / 5 + 1 + 0) / 3)
    assert got["3"] == pytest.approx((1 - comb(4, 3) / comb(5, 3) + 1 + 0) / 3)


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        estimate_pass_at_k(3, 4, 1)
    with pytest.raises(ValueError):
        estimate_pass_at_k(3, 1, 4)
    assert pass_at_k([], [1]) == {}
