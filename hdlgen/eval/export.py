"""A benchmark written out: its problems as contract-format JSONL (RTLLM converted once, then read like any
other problem file), and its references as a samples file (score them to see which problems the simulator
judges as their authors meant: a reference that fails is a simulator-sensitive problem)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from verilog_sim import Problem
from verilog_sim.verilog_eval import rules as verilog_eval


def write_problems(problems: Sequence[Problem], path: str | Path) -> int:
    """One contract-format JSON object per line; the number written."""
    with open(path, "w", encoding="utf-8") as fh:
        for p in problems:
            fh.write(json.dumps(p.to_dict()) + "\n")
    return len(problems)


def reference_completion(problem: Problem) -> str | None:
    """The problem's own solution as a sample: VerilogEval's canonical solution or renamed reference, else
    ``ref`` (which defines ``top`` in reference-named problems such as RTLLM's; renamed to ``top`` where
    it is called otherwise)."""
    if verilog_eval.is_verilog_eval(problem):
        return verilog_eval.reference_completion(problem)
    if not problem.ref or not problem.ref_top or problem.ref_top == problem.top:
        return problem.ref
    return re.sub(rf"\b{re.escape(problem.ref_top)}\b", problem.top, problem.ref)


def write_reference_samples(problems: Sequence[Problem], path: str | Path) -> tuple[int, list[str]]:
    """A samples file holding each problem's reference once: (lines written, task_ids without one)."""
    none: list[str] = []
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for p in problems:
            ref = reference_completion(p)
            if not ref:
                none.append(p.task_id)
                continue
            fh.write(json.dumps({"task_id": p.task_id, "completion": ref}) + "\n")
            n += 1
    return n, none
