"""Verification results as RL rewards, in TRL's convention (``f(prompts, completions, **columns)``).

    from hdlgen.rewards import build_rewards
    funcs, weights = build_rewards({"functional": {"weight": 1.0}, "format": {"weight": 0.2}})
    GRPOTrainer(model, reward_funcs=funcs, args=GRPOConfig(reward_weights=weights, ...), train_dataset=ds)

verl: ``hdlgen.rewards.compute_score``; OpenRLHF: ``hdlgen serve-reward``.
"""

from .cache import VerdictCache, shared_cache
from .completion import completion_text, parse
from .config import DEFAULTS, RewardConfigError, build_rewards, build_weighted
from .functions import CompileReward, FormatReward, FunctionalReward, LengthReward, WeightedReward
from .score import compute_score

functional_reward = FunctionalReward()
compile_reward = CompileReward()
format_reward = FormatReward()
length_reward = LengthReward()

__all__ = [
    "CompileReward", "DEFAULTS", "FormatReward", "FunctionalReward", "LengthReward", "RewardConfigError",
    "VerdictCache", "WeightedReward", "build_rewards", "build_weighted", "completion_text", "compile_reward",
    "compute_score", "format_reward", "functional_reward", "length_reward", "parse", "shared_cache",
]
