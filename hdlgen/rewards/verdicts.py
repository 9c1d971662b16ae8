"""From TRL's columns to Verdicts: rebuild each row's Problem, verify a group's completions together.

A GRPO batch holds several completions per prompt; rows with the same problem go through the batched path
(``verilog_sim.judge.batch.verify_many``: one simulation for a group), the groups of a batch are judged at once in
threads (each simulation is a separate process that keeps one core busy), and every verdict is cached by content
hash, so the next reward function on the same batch costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

from verilog_sim import Problem, verify_many
from verilog_sim.judge.batch import default_workers
from verilog_sim.judge.outcomes import worker_verdict
from verilog_sim.sandbox import DEFAULT_TIMEOUT_S, worker
from verilog_sim.source.extract import extract_verilog
from verilog_sim.verdict import Stage, Verdict

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
    timeout: float = DEFAULT_TIMEOUT_S
    workers: int = 0  # 0 = min(4, CPU count)
    formal: str = "auto"  # the formal tier on candidates that pass simulation (verilog_sim.judge.tiers)

    def key(self) -> tuple:
        return (self.seed, self.cycles, self.timeout, self.formal)


def verify_codes(problem: Problem, codes: Sequence[str], settings: VerifySettings) -> list[Verdict]:
    """Verdicts of distinct extracted designs against one problem, batched by :func:`verilog_sim.verify_many`.

    A problem row that cannot be judged (malformed extra files, a broken reference) gives every completion an
    ``error`` verdict from ``verify_many`` itself; a missing simulator raises ``ToolMissing``.
    """
    if not codes:
        return []
    return verify_many(problem, list(codes), seed=settings.seed, cycles=settings.cycles, timeout=settings.timeout,
                       workers=settings.workers or None, extract=False, formal=settings.formal)


def group_verdicts(problems: Sequence[Problem | None], texts: Sequence[str], settings: VerifySettings,
                   cache: VerdictCache | None = None) -> list[Verdict | None]:
    """A Verdict per completion (None where the row has no problem). Rows sharing a problem are one group; up to
    ``settings.workers`` groups (0: :func:`verilog_sim.judge.batch.default_workers`) are judged at once, since a
    GRPO step's prompts wait on each other's simulations otherwise (4 prompts: four simulations in a row)."""
    cache = shared_cache() if cache is None else cache  # an empty cache is falsy, and still the one asked for
    out: list[Verdict | None] = [None] * len(texts)
    pending: dict[str, tuple[Problem, dict[str, list[int]]]] = {}
    for i, (prob, text) in enumerate(zip(problems, texts)):
        if prob is None:
            continue
        try:  # completions are untrusted text: extracted in the bounded worker, never holding our GIL
            code = worker.call(extract_verilog, text, prob.top, timeout_s=settings.timeout)
        except worker.WorkerFailed as exc:
            out[i] = worker_verdict(exc, Stage.EXTRACT)
            continue
        if not code or not code.strip():
            out[i] = Verdict.no_code()
            continue
        pkey = problem_key(prob)
        hit = cache.get(verdict_key(pkey, code, settings.key()))
        if hit is not None:
            out[i] = hit
            continue
        pending.setdefault(pkey, (prob, {}))[1].setdefault(code, []).append(i)
    groups = list(pending.items())
    n = min(len(groups), settings.workers or default_workers())
    with ThreadPoolExecutor(max(1, n)) as pool:
        judged = list(pool.map(lambda g: verify_codes(g[1][0], list(g[1][1]), settings), groups))
    for (pkey, (_, by_code)), verdicts in zip(groups, judged):
        for code, verdict in zip(by_code, verdicts):
            cache.put(verdict_key(pkey, code, settings.key()), verdict)
            for i in by_code[code]:
                out[i] = verdict
    return out
