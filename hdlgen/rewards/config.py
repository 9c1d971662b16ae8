"""Build the reward functions and their weights from a config mapping (the ``rewards:`` section of a YAML).

    rewards:
      verify: {seed: 0, cycles: null, timeout: 30, formal: auto}   # shared by every verdict-based reward
      functional: {weight: 1.0}                      # partial_credit: true is an opt-in (see FunctionalReward)
      compile: {weight: 0.1}
      format: {weight: 0.2, penalty: 0.5}
      length: {weight: 0.1, smoothing: 32}

A component left out, or with weight 0, is not built. With no section at all the defaults above are used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verilog_sim.errors import UserError

from .functions import CompileReward, FormatReward, FunctionalReward, LengthReward, WeightedReward

DEFAULTS: dict[str, dict[str, Any]] = {
    "functional": {"weight": 1.0},
    "compile": {"weight": 0.1},
    "format": {"weight": 0.2},
    "length": {"weight": 0.1},
}
_VERDICT_BASED = {"functional": FunctionalReward, "compile": CompileReward, "length": LengthReward}
_OPTIONS = {
    "functional": {"partial_credit", "partial_scale"},
    "compile": set(),
    "format": {"penalty", "require_think"},
    "length": {"smoothing"},
}
_VERIFY_KEYS = {"seed", "cycles", "timeout", "workers", "formal"}


class RewardConfigError(UserError, ValueError):
    """The rewards section is malformed; the message names the key."""


def build_rewards(spec: Mapping[str, Any] | None = None) -> tuple[list[Any], list[float]]:
    """(reward functions, weights) in a stable order, ready for ``GRPOTrainer(reward_funcs=…)`` and
    ``GRPOConfig(reward_weights=…)``."""
    spec = dict(DEFAULTS if spec is None else spec)
    verify = dict(spec.pop("verify", None) or {})
    if unknown := set(verify) - _VERIFY_KEYS:
        raise RewardConfigError(f"rewards.verify: unknown key(s) {sorted(unknown)}; allowed: {sorted(_VERIFY_KEYS)}")
    if unknown := set(spec) - set(_OPTIONS):
        raise RewardConfigError(f"rewards: unknown reward(s) {sorted(unknown)}; known: {sorted(_OPTIONS)}")
    funcs: list[Any] = []
    weights: list[float] = []
    for name in ("functional", "compile", "format", "length"):
        if name not in spec:
            continue
        opts = dict(spec[name] or {})
        try:
            weight = float(opts.pop("weight", 1.0))
        except (TypeError, ValueError) as exc:
            raise RewardConfigError(f"rewards.{name}.weight must be a number") from exc
        if unknown := set(opts) - _OPTIONS[name]:
            raise RewardConfigError(f"rewards.{name}: unknown option(s) {sorted(unknown)}; "
                                    f"allowed: {sorted(_OPTIONS[name]) or 'weight only'}")
        if weight == 0:
            continue
        cls = _VERDICT_BASED.get(name)
        funcs.append(cls(**opts, **verify) if cls else FormatReward(**opts))
        weights.append(weight)
    if not funcs:
        raise RewardConfigError("rewards: no reward with a non-zero weight")
    return funcs, weights


def build_weighted(spec: Mapping[str, Any] | None = None) -> WeightedReward:
    """One callable summing the configured rewards (reward server, ``compute_score``)."""
    return WeightedReward(*build_rewards(spec))
