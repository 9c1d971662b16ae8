"""Differential verification throughput: candidates per second, batched vs one cocotb runner call per candidate.

Candidates are VerilogEval v2 references (renamed to TopModule, a distinct comment each so nothing is
deduplicated) and single-site mutants of them, for a few clocked and combinational problems. Both paths use
the same seed and number of stimulus cycles:

  batched     verilog_sim.judge.batch.verify_many(problem, candidates)   (N candidates per simulation)
  per-call    verilog_sim.judge.verify.verify(problem, candidate) in a loop (one cocotb runner call each), timed on
              --baseline candidates per problem and extrapolated as candidates per second

Verdicts of the baseline's candidates are checked to be identical (status, mismatches, samples) in both paths.
Medians over --repeats. The machine is shared: the load average is printed next to the figures; the ratio
(measured in the same run) and the CPU time per candidate (this process plus its compilers and simulators)
are the figures that survive a busy machine.

    .venv/bin/python benchmarks/bench_verify.py --candidates 256 --cycles 1000 --repeats 3 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from mutation import sample  # noqa: E402

from verilog_sim.judge.batch import verify_many  # noqa: E402
from verilog_sim.judge.verify import verify  # noqa: E402
from verilog_sim.problem import Problem  # noqa: E402
from verilog_sim.tools import icarus_version  # noqa: E402
from verilog_sim.verilog_eval.rules import benchmarks_dir  # noqa: E402

DEFAULT_PROBLEMS = ("Prob035_count1to10", "Prob096_review2015_fsmseq", "Prob045_edgedetect2",
                    "Prob025_reduction", "Prob061_2014_q4a")


bench_dir = benchmarks_dir


def load_problems(names: list[str]) -> list[tuple[Problem, str]]:
    rows = {}
    for line in (bench_dir() / "verilog-eval-v2" / "spec-to-rtl.jsonl").read_text().splitlines():
        r = json.loads(line)
        rows[r["task_id"]] = r
    out = []
    for n in names:
        key = next((k for k in rows if k == n or k.startswith(n)), None)
        if key is None:
            raise SystemExit(f"unknown problem {n}")
        r = rows[key]
        out.append((Problem(task_id=key, top="TopModule", ref=r["ref"], ref_top="RefModule"), r["ref"]))
    return out


def candidates_for(ref: str, n: int, seed: int) -> list[str]:
    """3/4 correct variants, 1/4 mutants, all textually distinct, shuffled."""
    mutants = [m.code for m in sample(ref, 32, seed=seed)] or [ref]
    out = []
    for k in range(n):
        base = ref if k % 4 else mutants[(k // 4) % len(mutants)]
        out.append(base.replace("RefModule", "TopModule") + f"// candidate {k}\n")
    random.Random(seed).shuffle(out)
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (compilers, simulators): immune to a busy machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def key(v) -> tuple:  # noqa: ANN001
    return v.status.value, v.mismatches, v.samples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--problems", nargs="*", default=list(DEFAULT_PROBLEMS))
    ap.add_argument("--candidates", type=int, default=256, help="candidates per problem (batched path)")
    ap.add_argument("--baseline", type=int, default=4, help="candidates per problem timed one call each")
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    load_before = os.getloadavg()
    rows = []
    for problem, ref in load_problems(args.problems):
        cands = candidates_for(ref, args.candidates, seed=1)
        batch_times, batch_cpu, verdicts = [], [], []
        for _ in range(args.repeats):
            t0, c0 = time.perf_counter(), cpu_seconds()
            verdicts = verify_many(problem, cands, seed=1, cycles=args.cycles, workers=args.workers)
            batch_times.append(time.perf_counter() - t0)
            batch_cpu.append(cpu_seconds() - c0)
        single_times, single_cpu, same = [], [], True
        for i, c in enumerate(cands[:args.baseline]):
            t0, c0 = time.perf_counter(), cpu_seconds()
            v = verify(problem, c, seed=1, cycles=args.cycles)
            single_times.append(time.perf_counter() - t0)
            single_cpu.append(cpu_seconds() - c0)
            same &= key(v) == key(verdicts[i])
        batched_cps = len(cands) / statistics.median(batch_times)
        single_cps = 1 / statistics.median(single_times)
        row = {"problem": problem.task_id, "candidates": len(cands), "cycles": args.cycles,
               "batched_s_median": round(statistics.median(batch_times), 3),
               "batched_candidates_per_s": round(batched_cps, 1),
               "per_call_s_median": round(statistics.median(single_times), 3),
               "per_call_candidates_per_s": round(single_cps, 2),
               "speedup": round(batched_cps / single_cps, 1),
               "batched_cpu_ms_per_candidate": round(1000 * statistics.median(batch_cpu) / len(cands), 2),
               "per_call_cpu_ms_per_candidate": round(1000 * statistics.median(single_cpu), 1),
               "verdicts_identical": same,
               "statuses": {s: sum(v.status.value == s for v in verdicts) for s in sorted({v.status.value for v in verdicts})},
               "samples_per_candidate": verdicts[0].samples}
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "simulator": icarus_version(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "median_batched_candidates_per_s": round(statistics.median(r["batched_candidates_per_s"] for r in rows), 1),
        "median_per_call_candidates_per_s": round(statistics.median(r["per_call_candidates_per_s"] for r in rows), 2),
        "median_speedup": round(statistics.median(r["speedup"] for r in rows), 1),
        "median_batched_cpu_ms_per_candidate": statistics.median(r["batched_cpu_ms_per_candidate"] for r in rows),
        "median_per_call_cpu_ms_per_candidate": statistics.median(r["per_call_cpu_ms_per_candidate"] for r in rows),
        "all_verdicts_identical": all(r["verdicts_identical"] for r in rows),
    }
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "problems": rows}, indent=1))
    return 0 if summary["all_verdicts_identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
