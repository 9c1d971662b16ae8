"""The samples file: ``{"task_id", "completion"}`` per line, many lines per task, order = completion_id."""

from __future__ import annotations

from pathlib import Path

from verilog_sim.errors import UserError
from verilog_sim.jsonl import read_jsonl


class SamplesError(UserError, ValueError):
    """The samples file is unreadable or malformed; the message names the file and line."""


def read_samples(path: str | Path) -> dict[str, list[str]]:
    """task_id -> completions in file order (index = completion_id), tasks in order of first appearance."""
    out: dict[str, list[str]] = {}
    for where, rec in read_jsonl(path, SamplesError, "samples"):
        if not isinstance(rec, dict) or not isinstance(rec.get("task_id"), str):
            raise SamplesError(f"{where}: each line needs a string 'task_id'")
        completion = rec.get("completion")
        if not isinstance(completion, str):
            raise SamplesError(f"{where}: 'completion' must be a string")
        out.setdefault(rec["task_id"], []).append(completion)
    if not out:
        raise SamplesError(f"{path}: no samples")
    return out
