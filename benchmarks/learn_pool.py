"""Held-out gain of the learning runs pooled over seeds: one seed's 120 problems give an interval about ±0.03
wide, wider than the gain GRPO makes at this budget, so the seeds are combined.

    python benchmarks/learn_pool.py /tmp/lt0 /tmp/lt1 /tmp/lt2 /tmp/lt3 --out benchmarks/results/learn_tiny/pooled.json

Each argument is an ``--out`` directory of ``benchmarks/learn_tiny.py`` or ``benchmarks/learn_smollm2.py``
(its ``eval_before.json`` and ``eval_after.json``: pass rate per held-out problem), or a run's ``summary.json``
(a committed one in ``benchmarks/results/``: it keeps the same rates); the JSON written keeps those rates, so
the result can be checked without the run directories. The pooled gain is the mean over seeds of each seed's
mean gain; its 95% interval is a stratified paired bootstrap (problems resampled within each seed, so every
seed keeps its weight), printed beside each seed's own interval. Where the run kept its
``heldout_problems.jsonl`` (or its summary their ``heldout_design_keys``), the intervals are also given resampling
designs instead of problems
(``learn_tiny.design_key``: family and drawn parameters; one held-out draw repeats designs under other names
and phrasing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learn_tiny import bootstrap_gain, design_key, pooled_gain  # noqa: E402


def load_run(out: Path) -> tuple[list[float], list[float], list[str] | None]:
    """Pass rate per held-out problem before and after GRPO, and each problem's design
    (``learn_tiny.design_key``; None where the run kept neither its problems nor their keys), from a finished
    run's directory (evaluation caches, ``heldout_problems.jsonl``) or its ``summary.json``."""
    if out.is_file():
        summary = json.loads(out.read_text())
        if "heldout_per_problem_after" not in summary:
            raise SystemExit(f"{out}: no heldout_per_problem_after (not a learning run's summary.json)")
        before, after = summary["heldout_per_problem_before"], summary["heldout_per_problem_after"]
        keys = summary.get("heldout_design_keys")
    else:
        if not (out / "eval_after.json").is_file():
            raise SystemExit(f"{out}: no eval_after.json (not a finished benchmarks/learn_tiny.py run)")
        before = json.loads((out / "eval_before.json").read_text())["per_problem"]
        after = json.loads((out / "eval_after.json").read_text())["per_problem"]
        path = out / "heldout_problems.jsonl"
        keys = ([design_key(json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
                if path.is_file() else None)
    if len(before) != len(after):
        raise SystemExit(f"{out}: {len(before)} problems before GRPO, {len(after)} after")
    if keys is not None and len(keys) != len(before):
        raise SystemExit(f"{out}: {len(keys)} held-out designs, the evaluations have {len(before)} problems")
    return before, after, keys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path,
                    help="--out directories of benchmarks/learn_tiny.py or learn_smollm2.py, or their summary.json")
    ap.add_argument("--out", type=Path, help="write the result as JSON here")
    args = ap.parse_args(argv)
    runs, per_run, designs = [], [], []
    for d in args.runs:
        before, after, keys = load_run(d)
        runs.append((before, after))
        designs.append(keys)
        lo, hi = bootstrap_gain(before, after)
        rec: dict[str, Any] = {"run": str(d), "problems": len(before),
                               "before": round(sum(before) / len(before), 4), "after": round(sum(after) / len(after), 4),
                               "gain": round((sum(after) - sum(before)) / len(before), 4),
                               "gain_ci95": [round(lo, 4), round(hi, 4)],
                               "per_problem_before": before, "per_problem_after": after}
        by_design = ""
        if keys is not None:
            dlo, dhi = bootstrap_gain(before, after, clusters=keys)
            rec.update(designs=len(set(keys)), gain_ci95_by_design=[round(dlo, 4), round(dhi, 4)])
            by_design = f"; by design ({len(set(keys))} designs) [{dlo:+.3f}, {dhi:+.3f}]"
        per_run.append(rec)
        print(f"{d}: {rec['before']:.3f} -> {rec['after']:.3f}, gain {rec['gain']:+.3f} "
              f"[{lo:+.3f}, {hi:+.3f}]{by_design}")
    point, (lo, hi) = pooled_gain(runs)
    pooled_by_design: dict[str, Any] = {}
    if all(k is not None for k in designs):
        _, (dlo, dhi) = pooled_gain(runs, clusters=designs)  # type: ignore[arg-type]
        pooled_by_design = {"pooled_gain_ci95_by_design": [round(dlo, 4), round(dhi, 4)]}
        print(f"pooled, resampling designs: [{dlo:+.4f}, {dhi:+.4f}]")
    print(f"pooled over {len(runs)} runs ({sum(len(b) for b, _ in runs)} problem-runs): gain {point:+.4f} "
          f"[{lo:+.4f}, {hi:+.4f}]")
    if args.out:
        args.out.write_text(json.dumps({"runs": per_run, "pooled_gain": round(point, 4),
                                        "pooled_gain_ci95": [round(lo, 4), round(hi, 4)], **pooled_by_design,
                                        "command": "python benchmarks/learn_pool.py "
                                                   + " ".join(argv or sys.argv[1:])}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
