"""Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k), computed as a stable product."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def estimate_pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn without replacement from n (c correct) passes."""
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got n={n}, k={k}")
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):  # prod(1 - k/i): no huge binomials
        prod *= 1.0 - k / i
    return 1.0 - prod


def pass_at_k(counts: Sequence[tuple[int, int]], ks: Iterable[int]) -> dict[str, float]:
    """Mean pass@k over tasks given (n, c) per task; a k is reported only when k <= n for every task."""
    if not counts:
        return {}
    out: dict[str, float] = {}
    smallest = min(n for n, _ in counts)
    for k in sorted(set(ks)):
        if 1 <= k <= smallest:
            out[str(k)] = sum(estimate_pass_at_k(n, c, k) for n, c in counts) / len(counts)
    return out
