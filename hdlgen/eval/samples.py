"""The samples file: ``{"task_id", "completion"}`` per line, many lines per task, order = completion_id."""

from __future__ import annotations

import json
from pathlib import Path

from verilog_sim.errors import UserError


class SamplesError(UserError, ValueError):
    """The samples file is unreadable or malformed; the message names the file and line."""


def read_samples(path: str | Path) -> dict[str, list[str]]:
    """task_id -> completions in file order (index = completion_id), tasks in order of first appearance."""
    out: dict[str, list[str]] = {}
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise SamplesError(f"cannot read samples {path}: {exc.strerror or exc}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SamplesError(f"{path}:{n}: invalid JSON: {exc.msg}") from exc
            if not isinstance(rec, dict) or not isinstance(rec.get("task_id"), str):
                raise SamplesError(f"{path}:{n}: each line needs a string 'task_id'")
            completion = rec.get("completion")
            if not isinstance(completion, str):
                raise SamplesError(f"{path}:{n}: 'completion' must be a string")
            out.setdefault(rec["task_id"], []).append(completion)
    if not out:
        raise SamplesError(f"{path}: no samples")
    return out
