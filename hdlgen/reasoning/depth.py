"""Reasoning depth levels, what each judge level maps to, thinking budgets, and escalation on failure."""

from __future__ import annotations

DEPTHS = ("none", "standard", "decomposed")
LEVEL_TO_DEPTH = {"easy": "none", "medium": "standard", "hard": "decomposed"}
DEFAULT_THINK_BUDGET = 512  # standard; decomposed gets twice this, none gets 0


def budgets(think_budget: int = DEFAULT_THINK_BUDGET) -> dict[str, int]:
    """Thinking-token budget per depth from one knob."""
    if think_budget < 0:
        raise ValueError("the thinking budget must be >= 0")
    return {"none": 0, "standard": think_budget, "decomposed": 2 * think_budget}


def depth_for(level: str) -> str:
    return LEVEL_TO_DEPTH[level]


def next_depth(depth: str) -> str:
    """One level deeper; ``decomposed`` stays ``decomposed``."""
    i = DEPTHS.index(depth)
    return DEPTHS[min(i + 1, len(DEPTHS) - 1)]
