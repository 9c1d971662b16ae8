"""Tokens and time per reasoning depth and per repair attempt on the bundled problems, for a given model.

Two passes over the chosen problems, one model load:
1. every depth alone (``none``, ``standard``, ``decomposed``; one attempt each): thinking and answer tokens,
   generation wall and CPU seconds, tokens/s, verdict, and the largest thinking count against its budget;
2. the full loop (``--depth auto``, up to ``--attempts``): the judge's level and every attempt.

    .venv/bin/python benchmarks/bench_generate.py                          # SmolLM2-135M on CPU, 3 problems
    .venv/bin/python benchmarks/bench_generate.py --problems all --json > gen.json
    python benchmarks/bench_generate.py --model GipAI/ReasoningV-7B --device cuda --problems all   # on a GPU
    python benchmarks/bench_generate.py --backend openai --base-url http://127.0.0.1:8000/v1

CPU seconds (this process, all threads) are given beside wall seconds: on a shared machine wall time
mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_PROBLEMS = "mux4,gray_code,updown_counter"


def _timed_loop(problem: Any, backend: Any, **kw: Any) -> tuple[Any, float, float]:
    from hdlgen.generate import generate_verified

    w0, c0 = time.perf_counter(), time.process_time()
    result = generate_verified(problem, backend, **kw)
    return result, time.perf_counter() - w0, time.process_time() - c0


def attempt_row(task: str, pass_name: str, a: Any) -> dict[str, Any]:
    r = a.reasoned
    toks = r.think_tokens + r.answer_tokens
    return {"task": task, "pass": pass_name, "attempt": a.index, "depth": a.depth, "think_tokens": r.think_tokens,
            "budget": r.budget, "budget_hit": r.budget_hit, "answer_tokens": r.answer_tokens,
            "generate_s": round(a.generate_seconds, 2), "tokens_per_s": round(toks / a.generate_seconds, 1)
            if a.generate_seconds else None, "verify_s": round(a.verify_seconds, 2),
            "status": a.verdict.status.value}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from hdlgen.backends import make_backend
    from verilog_sim.problem import Problem

    root = REPO / "data" / "problems"
    names = sorted(p.name for p in root.iterdir() if (p / "problem.json").is_file()) if args.problems == "all" \
        else args.problems.split(",")
    problems = [Problem.from_dir(root / n) for n in names]
    t0 = time.perf_counter()
    backend = make_backend(args.backend, model=args.model, base_url=args.base_url, device=args.device)
    load_s = time.perf_counter() - t0
    common = dict(think_budget=args.think_budget, max_answer_tokens=args.max_tokens, temperature=args.temperature,
                  seed=args.seed, timeout=args.timeout)
    rows: list[dict[str, Any]] = []
    loops: list[dict[str, Any]] = []
    for p in problems:
        for depth in args.depths.split(","):
            res, wall, cpu = _timed_loop(p, backend, depth=depth, attempts=1, **common)
            row = attempt_row(p.task_id, "depth", res.attempts[0])
            row["cpu_s"] = round(cpu, 2)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
        res, wall, cpu = _timed_loop(p, backend, depth="auto", attempts=args.attempts, **common)
        loop_rows = [attempt_row(p.task_id, "loop", a) for a in res.attempts]
        rows.extend(loop_rows)
        loops.append({"task": p.task_id, "level": res.judgement.level if res.judgement else None,
                      "passed": res.passed, "attempts": len(res.attempts), "wall_s": round(wall, 2),
                      "cpu_s": round(cpu, 2)})
        print(json.dumps(loops[-1]), file=sys.stderr)
    per_depth = {}
    for depth in args.depths.split(","):
        rs = [r for r in rows if r["pass"] == "depth" and r["depth"] == depth]
        if rs:
            per_depth[depth] = {
                "n": len(rs),
                "think_tokens_median": statistics.median(r["think_tokens"] for r in rs),
                "think_tokens_max": max(r["think_tokens"] for r in rs),
                "budget": rs[0]["budget"],
                "answer_tokens_median": statistics.median(r["answer_tokens"] for r in rs),
                "generate_s_median": statistics.median(r["generate_s"] for r in rs),
                "cpu_s_median": statistics.median(r["cpu_s"] for r in rs),
                "passed": sum(r["status"] == "pass" for r in rs)}
    over = [r for r in rows if r["think_tokens"] > r["budget"]]
    return {"model": backend.describe(), "load_s": round(load_s, 1), "problems": names,
            "settings": {k: getattr(args, k) for k in ("think_budget", "max_tokens", "temperature", "seed",
                                                        "attempts", "depths", "threads")},
            "loadavg_before": list(args.loadavg), "loadavg_after": list(os.getloadavg()),
            "per_depth": per_depth, "loops": loops, "attempts": rows,
            "budget_violations": len(over), "max_think_over_budget": max(
                (r["think_tokens"] / r["budget"] for r in rows if r["budget"]), default=0.0)}


def print_table(doc: dict[str, Any]) -> None:
    print(f"model {doc['model']}  (load {doc['load_s']} s)  load average before {doc['loadavg_before']} "
          f"after {[round(x, 2) for x in doc['loadavg_after']]}")
    print(f"{'depth':<11}{'n':>3}{'think med':>10}{'think max':>10}{'budget':>8}{'answer med':>11}"
          f"{'gen s med':>10}{'cpu s med':>10}{'pass':>6}")
    for d, s in doc["per_depth"].items():
        print(f"{d:<11}{s['n']:>3}{s['think_tokens_median']:>10}{s['think_tokens_max']:>10}{s['budget']:>8}"
              f"{s['answer_tokens_median']:>11}{s['generate_s_median']:>10}{s['cpu_s_median']:>10}{s['passed']:>6}")
    print("\nloop (depth auto):")
    for lp in doc["loops"]:
        att = [r for r in doc["attempts"] if r["pass"] == "loop" and r["task"] == lp["task"]]
        steps = ", ".join(f"#{r['attempt']} {r['depth']} think {r['think_tokens']} ans {r['answer_tokens']} "
                          f"{r['generate_s']} s {r['status']}" for r in att)
        print(f"  {lp['task']:<18} judge {lp['level']:<7} {'PASS' if lp['passed'] else 'fail'}  {steps}")
    print(f"\nbudget violations: {doc['budget_violations']} (largest think/budget ratio "
          f"{doc['max_think_over_budget']:.2f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--backend", default="transformers", choices=["transformers", "vllm", "openai"])
    ap.add_argument("--base-url")
    ap.add_argument("--device")
    ap.add_argument("--problems", default=DEFAULT_PROBLEMS, help="comma-separated names under data/problems, or all")
    ap.add_argument("--depths", default="none,standard,decomposed")
    ap.add_argument("--attempts", type=int, default=3)
    ap.add_argument("--think-budget", type=int, default=128)
    ap.add_argument("--max-tokens", type=int, default=384)
    ap.add_argument("--temperature", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=None,
                    help="torch CPU threads (1 avoids thread contention on a busy shared machine)")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = ap.parse_args(argv)
    args.loadavg = os.getloadavg()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    doc = run(args)
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        print_table(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
