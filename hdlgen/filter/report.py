"""The run's report: counts per stage and reason, timings, throughput; as JSON and as a short summary."""

from __future__ import annotations

from typing import Any

from .config import FilterConfig

STAGE_ORDER = ("read", "extract", "quality", "syntax", "complexity", "dedup", "compile", "lint", "functional", "error")


def build_report(paths: Any, cfg: FilterConfig, counts: dict[str, Any], timings: dict[str, float], *, fmt: str,
                 workers: int, engine: str, resumed_from: int, runs: int, notes: list[str]) -> dict[str, Any]:
    wall = timings.get("wall", 0.0)
    return {
        "input": str(paths.input), "input_format": fmt, "output": str(paths.out),
        "rejected_file": str(paths.rejected) if paths.rejected else None,
        "rows": counts["rows"], "kept": counts["kept"], "rejected": counts["rejected"],
        "rejected_by_stage": {s: counts["stages"][s] for s in sorted(counts["stages"], key=_stage_key)},
        "rejected_by_reason": dict(sorted(counts["reasons"].items(), key=lambda kv: (-kv[1], kv[0]))),
        "timings_s": {k: round(v, 3) for k, v in sorted(timings.items())},
        "rows_per_s": round(counts["rows"] / wall, 1) if wall > 0 else None,
        "workers": workers, "engine": engine, "runs": runs, "resumed_from_row": resumed_from,
        "config": cfg.to_dict(), "notes": notes,
    }


def _stage_key(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


def summary_lines(report: dict[str, Any]) -> list[str]:
    rows = report["rows"] or 1
    lines = [f"{report['rows']} rows: {report['kept']} kept ({100 * report['kept'] / rows:.1f}%), "
             f"{report['rejected']} rejected  ->  {report['output']}"]
    if report["rejected_by_stage"]:
        lines.append("rejected by stage:  " + ", ".join(f"{k} {v}" for k, v in report["rejected_by_stage"].items()))
    if report["rejected_by_reason"]:
        lines.append("rejected by reason: " + ", ".join(f"{k} {v}" for k, v in report["rejected_by_reason"].items()))
    t = report["timings_s"]
    busy = ", ".join(f"{k} {t[k]:.2f}s" for k in ("cheap", "dedup", "compile", "functional", "lint") if t.get(k))
    rate = f"{report['rows_per_s']:.0f} rows/s" if report["rows_per_s"] else "-"
    lines.append(f"time: {t.get('wall', 0):.2f}s wall, {rate}, {report['workers']} worker(s) [{report['engine']}]"
                 + (f"; stage time (summed over workers): {busy}" if busy else ""))
    if report["resumed_from_row"]:
        lines.append(f"resumed at row {report['resumed_from_row']}")
    lines += [f"note: {n}" for n in report["notes"]]
    return lines
