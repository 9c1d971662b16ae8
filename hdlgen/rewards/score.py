"""verl's custom reward hook: ``compute_score(data_source, solution_str, ground_truth, extra_info)``.

verl calls it once per sample. ``ground_truth`` is the problem: a JSON object in the problem format (string or
dict), or a reference design's source (then ``extra_info`` may carry ``top``/``ref_top``). Point verl at it
with ``custom_reward_function.path=<hdlgen>/rewards/score.py`` and ``.name=compute_score``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Absolute imports: verl loads this file by path (custom_reward_function.path), outside its package.
from hdlgen.rewards.config import build_weighted
from hdlgen.rewards.functions import WeightedReward
from verilog_sim.source.extract import module_names

_WEIGHTED: WeightedReward | None = None


def problem_columns(ground_truth: Any, extra_info: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Problem fields from verl's ``ground_truth`` (+ ``extra_info``), as one-row reward columns."""
    extra = dict(extra_info or {})
    if isinstance(ground_truth, Mapping):
        row = dict(ground_truth)
    elif isinstance(ground_truth, str) and ground_truth.lstrip().startswith("{"):
        row = json.loads(ground_truth)
    elif isinstance(ground_truth, str) and module_names(ground_truth):
        names = module_names(ground_truth)
        ref_top = extra.get("ref_top") or names[-1]
        row = {"ref": ground_truth, "ref_top": ref_top, "top": extra.get("top") or ref_top}
    else:
        raise ValueError("ground_truth must be a problem (JSON object) or a reference design's source")
    for k, v in extra.items():
        row.setdefault(k, v)
    return {k: [v] for k, v in row.items()}


def compute_score(data_source: str | None, solution_str: str, ground_truth: Any,
                  extra_info: Mapping[str, Any] | None = None, **_: Any) -> float:
    """The weighted default reward (functional 1.0, compile 0.1, format 0.2, length 0.1) of one sample.

    >>> compute_score("hdlgen", "no code here", {"top": "top", "ref": "module top(output y); "
    ...               "assign y = 0; endmodule", "ref_top": "top"})
    0.0
    """
    global _WEIGHTED
    if _WEIGHTED is None:
        _WEIGHTED = build_weighted()
    columns = problem_columns(ground_truth, extra_info)
    value = _WEIGHTED([data_source or ""], [solution_str], **columns)[0]
    return float(value or 0.0)
