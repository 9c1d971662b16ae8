"""The eval report: the contract's JSON document, its text form (per-problem table with a reason, pass@k,
tools), and the per-sample results file (one JSON line per sample, to diff two runs)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from verilog_sim.verdict import Status, Verdict

from .passk import pass_at_k
from .runner import SampleResult

# One letter per sample in the text table, in the spirit of VerilogEval's analyzer.
STATUS_MARK = {"pass": ".", "fail": "R", "no_code": "-", "syntax_error": "S", "compile_error": "C",
               "timeout": "T", "resource_limit": "L", "error": "E"}
MISSING_MARK = "x"
MISSING_MODES = ("skip", "fail")
MISSING_MESSAGE = "no sample in the samples file (counted as failed: --missing fail)"


def first_diagnostic(v: Verdict) -> dict[str, Any] | None:
    """The first error diagnostic (else the first of any severity) as ``{file, line, col, message}``."""
    diags = [d for d in v.diagnostics if d.severity == "error"] or list(v.diagnostics)
    if not diags:
        return None
    d = diags[0]
    return {"file": d.file, "line": d.line, "col": d.col, "message": d.message}


def reason(v: Verdict) -> str:
    """Why a sample did not pass, in one line: ``file:line: message`` where a diagnostic has a place."""
    if v.status is Status.PASS:
        return ""
    d = first_diagnostic(v)
    msg = v.message or (d["message"] if d else "") or v.status.value
    if d and v.stage.value in ("syntax", "compile"):
        text = d["message"] if not v.message or v.message in d["message"] else v.message
        return f"{d['file']}:{d['line']}: {text}"
    return msg


def _sample_entry(r: SampleResult) -> dict[str, Any]:
    v = r.verdict
    return {"completion_id": r.completion_id, "status": v.status.value, "mismatches": v.mismatches,
            "stage": v.stage.value, "message": v.message, "reason": reason(v)}


def build_report(*, benchmark: str, samples_file: str, task_order: Sequence[str],
                 results: Iterable[SampleResult], ks: Iterable[int], seconds: float, tools: dict[str, str],
                 lenient: bool, workers: int, missing_tasks: Sequence[str] = (),
                 missing: str = "skip", simulator_notes: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The report. ``missing="fail"`` scores every benchmark task on the same n (the most samples any task
    has): tasks without samples, and tasks with fewer, count their absent samples as failed, as published
    protocols do; ``"skip"`` scores only the samples there are. ``simulator_notes``: per task, why the
    simulator may not judge it as the benchmark's authors did (RTLLM's VCS-only constructs)."""
    if missing not in MISSING_MODES:
        raise ValueError(f"missing must be one of {MISSING_MODES}, got {missing!r}")
    by_task: dict[str, list[SampleResult]] = {t: [] for t in task_order}
    for r in results:
        by_task.setdefault(r.task_id, []).append(r)
    if missing == "fail":
        for t in missing_tasks:
            by_task.setdefault(t, [])
    n_target = max((len(rs) for rs in by_task.values()), default=0)
    tasks = []
    statuses: Counter[str] = Counter()
    for tid, rs in by_task.items():
        rs.sort(key=lambda r: r.completion_id)
        statuses.update(r.verdict.status.value for r in rs)
        absent = n_target - len(rs) if missing == "fail" else 0
        tasks.append({
            "task_id": tid, "n": len(rs) + absent, "passed": sum(r.verdict.status is Status.PASS for r in rs),
            "n_missing": absent, "samples": [_sample_entry(r) for r in rs],
        })
    counts = [(t["n"], t["passed"]) for t in tasks if t["n"]]
    judged = sum(len(rs) for rs in by_task.values())
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
        "missing": missing,
        "n_tasks": len(tasks),
        "n_samples": judged,
        "n_judged": unique,
        "n_missing_samples": sum(t["n_missing"] for t in tasks),
        "status_counts": dict(sorted(statuses.items())),
        "missing_tasks": list(missing_tasks),
        "simulator_notes": {t: list(n) for t, n in (simulator_notes or {}).items() if n},
        "tasks": tasks,
    }


def all_passed(report: dict[str, Any]) -> bool:
    return not report.get("n_missing_samples") and all(
        s["status"] == "pass" for t in report["tasks"] for s in t["samples"])


def result_rows(results: Iterable[SampleResult], report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One record per sample for ``--results``: the verdict in brief plus its first diagnostic; under
    ``--missing fail`` also one ``"missing": true`` record per absent sample (status fail)."""
    for r in results:
        v = r.verdict
        yield {"task_id": r.task_id, "completion_id": r.completion_id, "status": v.status.value,
               "stage": v.stage.value, "mismatches": v.mismatches, "samples": v.samples, "message": v.message,
               "diagnostic": first_diagnostic(v), "reason": reason(v), "cached": r.cached,
               "seconds": round(v.seconds, 4)}
    for t in report["tasks"]:
        first = len(t["samples"])
        for cid in range(first, first + t.get("n_missing", 0)):
            yield {"task_id": t["task_id"], "completion_id": cid, "status": "fail", "stage": None,
                   "mismatches": None, "samples": None, "message": MISSING_MESSAGE, "diagnostic": None,
                   "reason": MISSING_MESSAGE, "cached": False, "seconds": 0.0, "missing": True}


def write_results(path: str | Path, results: Iterable[SampleResult], report: dict[str, Any]) -> int:
    """Write :func:`result_rows` as JSON Lines; the number of lines."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for row in result_rows(results, report):
            fh.write(json.dumps(row) + "\n")
            n += 1
    return n


def _task_reason(t: dict[str, Any], limit: int = 90) -> str:
    bad = next((s for s in t["samples"] if s["status"] != "pass"), None)
    if bad is None:
        return "no samples: counted as failed" if t.get("n_missing") and not t["samples"] else ""
    text = f"#{bad['completion_id']} {bad['status']}: {bad['reason']}".replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_text(report: dict[str, Any]) -> list[str]:
    """Lines for humans: one row per problem (samples as letters, the first failure's reason), then totals
    and pass@k."""
    width = max([len("task"), *(len(t["task_id"]) for t in report["tasks"])])
    n_max = max([5, *(t["n"] for t in report["tasks"])])
    marks_w = min(n_max + (n_max - 1) // 5, 48)
    lines = [f"{'task':<{width}}  {'pass':>7}  {'samples':<{marks_w}}  first failure (#sample status: reason)"]
    for t in report["tasks"]:
        marks = "".join(STATUS_MARK.get(s["status"], "?") for s in t["samples"]) + MISSING_MARK * t.get("n_missing", 0)
        marks = " ".join(marks[i:i + 5] for i in range(0, len(marks), 5))
        lines.append(f"{t['task_id']:<{width}}  {t['passed']:>3}/{t['n']:<3}  {marks:<{marks_w}}  {_task_reason(t)}")
    lines.append("")
    lines.append("marks       . pass, R fail, C compile, S syntax, T timeout, - no code, L limit, E error, "
                 "x no sample")
    mode = "lenient (upstream scoring defects fixed)" if report["lenient"] else "official"
    lines.append(f"benchmark   {report['benchmark']}  ({mode} verdicts)")
    lines.append(f"samples     {report['n_samples']} in {report['n_tasks']} tasks from {report['samples_file']}"
                 f"  ({report['n_judged']} distinct judged)")
    lines.append("statuses    " + ", ".join(f"{k} {v}" for k, v in report["status_counts"].items()))
    n_miss = len(report["missing_tasks"])
    if report["missing"] == "fail" and report["n_missing_samples"]:
        lines.append(f"missing     --missing fail: {report['n_missing_samples']} absent samples counted as failed "
                     f"({n_miss} tasks without samples; every task scored on n = "
                     f"{max((t['n'] for t in report['tasks']), default=0)})")
    elif n_miss:
        lines.append(f"missing     --missing skip: {n_miss} benchmark tasks have no samples and are not scored")
    for k, v in report["pass_at_k"].items():
        lines.append(f"pass@{k:<6} {v * 100:.2f}%")
    if not report["pass_at_k"]:
        lines.append("pass@k      none: every requested k exceeds some task's sample count")
    lines.append(f"simulator   {report['simulator']}")
    for tid, notes in report.get("simulator_notes", {}).items():
        for note in notes:
            lines.append(f"  sensitive {tid}: {note}")
    lines.append(f"time        {report['seconds']:.1f} s with {report['workers']} workers")
    return lines
