"""The eval report: the contract's JSON document, and its text form (per-problem table, pass@k, tools)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from verilog_sim.verdict import Status

from .passk import pass_at_k
from .runner import SampleResult

# One letter per sample in the text table, in the spirit of VerilogEval's analyzer.
STATUS_MARK = {"pass": ".", "fail": "R", "no_code": "-", "syntax_error": "S", "compile_error": "C",
               "timeout": "T", "resource_limit": "L", "error": "E"}


def build_report(*, benchmark: str, samples_file: str, task_order: Sequence[str],
                 results: Iterable[SampleResult], ks: Iterable[int], seconds: float, tools: dict[str, str],
                 lenient: bool, workers: int, missing_tasks: Sequence[str] = ()) -> dict[str, Any]:
    by_task: dict[str, list[SampleResult]] = {t: [] for t in task_order}
    for r in results:
        by_task.setdefault(r.task_id, []).append(r)
    tasks = []
    statuses: Counter[str] = Counter()
    for tid, rs in by_task.items():
        rs.sort(key=lambda r: r.completion_id)
        statuses.update(r.verdict.status.value for r in rs)
        tasks.append({
            "task_id": tid, "n": len(rs), "passed": sum(r.verdict.status is Status.PASS for r in rs),
            "samples": [{"completion_id": r.completion_id, "status": r.verdict.status.value,
                         "mismatches": r.verdict.mismatches, "message": r.verdict.message} for r in rs],
        })
    counts = [(t["n"], t["passed"]) for t in tasks if t["n"]]
    judged = sum(1 for t in tasks for _ in t["samples"])
    unique = sum(1 for rs in by_task.values() for r in rs if not r.cached)
    return {
        "benchmark": benchmark,
        "samples_file": samples_file,
        "pass_at_k": pass_at_k(counts, ks),
        "tools": dict(tools),
        "seconds": round(seconds, 3),
        "simulator": tools.get("simulator", "unknown"),
        "lenient": lenient,
        "workers": workers,
        "n_tasks": len(tasks),
        "n_samples": judged,
        "n_judged": unique,
        "status_counts": dict(sorted(statuses.items())),
        "missing_tasks": list(missing_tasks),
        "tasks": tasks,
    }


def all_passed(report: dict[str, Any]) -> bool:
    return all(s["status"] == "pass" for t in report["tasks"] for s in t["samples"])


def render_text(report: dict[str, Any]) -> list[str]:
    """Lines for humans: one row per problem (samples as letters), then totals and pass@k."""
    width = max([len("task"), *(len(t["task_id"]) for t in report["tasks"])])
    lines = [f"{'task':<{width}}  {'pass':>7}  samples (. pass, R fail, C compile, S syntax, T timeout, "
             "- no code, L limit, E error)"]
    for t in report["tasks"]:
        marks = "".join(STATUS_MARK.get(s["status"], "?") for s in t["samples"])
        marks = " ".join(marks[i:i + 5] for i in range(0, len(marks), 5))
        lines.append(f"{t['task_id']:<{width}}  {t['passed']:>3}/{t['n']:<3}  {marks}")
    lines.append("")
    mode = "lenient (upstream scoring defects fixed)" if report["lenient"] else "official"
    lines.append(f"benchmark   {report['benchmark']}  ({mode} verdicts)")
    lines.append(f"samples     {report['n_samples']} in {report['n_tasks']} tasks from {report['samples_file']}"
                 f"  ({report['n_judged']} distinct judged)")
    lines.append("statuses    " + ", ".join(f"{k} {v}" for k, v in report["status_counts"].items()))
    if report["missing_tasks"]:
        lines.append(f"missing     {len(report['missing_tasks'])} benchmark tasks have no samples (not scored)")
    for k, v in report["pass_at_k"].items():
        lines.append(f"pass@{k:<6} {v * 100:.2f}%")
    if not report["pass_at_k"]:
        lines.append("pass@k      none: every requested k exceeds some task's sample count")
    lines.append(f"simulator   {report['simulator']}")
    lines.append(f"time        {report['seconds']:.1f} s with {report['workers']} workers")
    return lines
