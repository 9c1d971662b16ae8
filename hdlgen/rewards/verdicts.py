"""From TRL's columns to Verdicts: rebuild each row's Problem, verify a group's completions together.

A GRPO batch holds several completions per prompt; rows with the same problem go through the batched path
(``verilog_sim.batch.verify_many`` when present, else a small thread pool over ``verify``) and every verdict
is cached by content hash, so the next reward function on the same batch costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

from verilog_sim.extract import extract_verilog
from verilog_sim.problem import Problem
from verilog_sim.tools import ToolMissing
from verilog_sim.verdict import Stage, Status, Verdict

from .cache import VerdictCache, problem_key, shared_cache, verdict_key

PROBLEM_FIELDS = tuple(f.name for f in fields(Problem) if f.name != "meta")


def problems_from_columns(n: int, columns: Mapping[str, Any]) -> list[Problem | None]:
    """One Problem per row from TRL keyword columns (lists of length n); None where the row has no ``top``
    or task. Columns that are not problem fields are ignored."""
    out: list[Problem | None] = []
    for i in range(n):
        row = {k: _at(columns[k], i) for k in PROBLEM_FIELDS if k in columns}
        if "problem" in columns and not row:  # a single column holding the whole problem
            p = _at(columns["problem"], i)
            row = dict(p) if isinstance(p, Mapping) else {}
        if not row.get("top") and not row.get("ref") and not row.get("test"):
            out.append(None)
            continue
        row["task_id"] = str(row.get("task_id") or f"row{i}")
        if isinstance(row.get("extra_files"), str):
            import json

            row["extra_files"] = json.loads(row["extra_files"])
        out.append(Problem.from_dict({k: v for k, v in row.items() if v is not None}))
    return out


def _at(col: Any, i: int) -> Any:
    if isinstance(col, (list, tuple)):
        return col[i] if i < len(col) else None
    return col  # a scalar broadcast to every row


@dataclass(frozen=True)
class VerifySettings:
    """How candidates are judged. The same seed for every completion of a group keeps the comparison fair."""

    seed: int | None = 0
    cycles: int | None = None
    timeout: float = 30.0
    workers: int = 0  # 0 = min(4, CPU count)

    def key(self) -> tuple:
        return (self.seed, self.cycles, self.timeout)


def _batched():
    try:
        from verilog_sim.batch import verify_many  # type: ignore[import-not-found]
    except ImportError:
        return None
    return verify_many


def verify_one(problem: Problem, code: str, settings: VerifySettings) -> Verdict:
    from verilog_sim.verify import verify

    try:
        return verify(problem, code, seed=settings.seed, cycles=settings.cycles, timeout=settings.timeout,
                      extract=False)
    except ToolMissing:
        raise
    except Exception as exc:  # a malformed problem row must not kill a training run
        return Verdict(Status.ERROR, Stage.EXTRACT, message=f"verification failed: {type(exc).__name__}: {exc}")


def verify_codes(problem: Problem, codes: Sequence[str], settings: VerifySettings) -> list[Verdict]:
    """Verdicts of distinct extracted designs against one problem, batched when the batch path exists."""
    if not codes:
        return []
    verify_many = _batched()
    if verify_many is not None:
        try:
            return list(verify_many(problem, list(codes), seed=settings.seed, cycles=settings.cycles,
                                    timeout=settings.timeout, workers=settings.workers or None))
        except ToolMissing:
            raise
        except Exception:  # noqa: BLE001 - fall back to one by one; verdicts stay correct
            pass
    workers = settings.workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(codes) == 1:
        return [verify_one(problem, c, settings) for c in codes]
    with ThreadPoolExecutor(max_workers=min(workers, len(codes))) as pool:
        return list(pool.map(lambda c: verify_one(problem, c, settings), codes))


def group_verdicts(problems: Sequence[Problem | None], texts: Sequence[str], settings: VerifySettings,
                   cache: VerdictCache | None = None) -> list[Verdict | None]:
    """A Verdict per completion (None where the row has no problem). Rows sharing a problem are one group."""
    cache = cache or shared_cache()
    out: list[Verdict | None] = [None] * len(texts)
    pending: dict[str, tuple[Problem, dict[str, list[int]]]] = {}
    for i, (prob, text) in enumerate(zip(problems, texts)):
        if prob is None:
            continue
        code = extract_verilog(text, prob.top)
        if not code or not code.strip():
            out[i] = Verdict(Status.NO_CODE, Stage.EXTRACT, message="no Verilog module found in the text")
            continue
        pkey = problem_key(prob)
        hit = cache.get(verdict_key(pkey, code, settings.key()))
        if hit is not None:
            out[i] = hit
            continue
        pending.setdefault(pkey, (prob, {}))[1].setdefault(code, []).append(i)
    for pkey, (prob, by_code) in pending.items():
        codes = list(by_code)
        for code, verdict in zip(codes, verify_codes(prob, codes, settings)):
            cache.put(verdict_key(pkey, code, settings.key()), verdict)
            for i in by_code[code]:
                out[i] = verdict
    return out
