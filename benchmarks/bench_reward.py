"""Reward throughput: verdicts per second for a GRPO group of 16 completions, batched vs one by one.

For each problem (bundled, easy) a group of 16 distinct completions is built: 8 correct (the reference with a
distinct comment each, so nothing is deduplicated), 4 buggy (the problem's mutant), 2 syntax errors, 1 with
no code, 1 defining the wrong module. Three ways to judge the group are timed (median of --repeats runs):

  one-by-one   verilog_sim.judge.verify.verify in a loop (what a naive reward function does)
  batched      verilog_sim.judge.batch.verify_many on the group
  reward       hdlgen.rewards.FunctionalReward on the group, cache cleared first (dedup + batched path)

Judged two ways: "ref" (the problem's reference only: differential check, many candidates per simulation)
and "test" (the problem's cocotb test: one simulation per candidate, batched = a thread pool).

    .venv/bin/python benchmarks/bench_reward.py --problems mux4 gray_code --repeats 3 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hdlgen.rewards import FunctionalReward, shared_cache  # noqa: E402
from verilog_sim.judge.batch import verify_many  # noqa: E402
from verilog_sim.judge.verify import verify  # noqa: E402
from verilog_sim.problem import Problem  # noqa: E402


def fenced(code: str, k: int) -> str:
    return f"<think>attempt {k}</think>\n```verilog\n// variant {k}\n{code.strip()}\n```\n"


def group_for(problem: Problem, mutant: str) -> list[str]:
    ref = problem.ref or ""
    out = [fenced(ref, k) for k in range(8)]
    out += [fenced(mutant, 8 + k) for k in range(4)]
    out += [fenced(ref.replace("endmodule", "endmodul", 1) + "\nendmodule", 12 + k) for k in range(2)]
    out.append("<think>no idea</think>\nI cannot write this module.")
    out.append(fenced(ref.replace(f"module {problem.top}", "module not_the_top", 1), 15))
    return out


def timed(fn, repeats: int) -> tuple[float, list]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def bench(problem: Problem, group: list[str], repeats: int, workers: int | None) -> dict:
    seed = 1
    one_s, one = timed(lambda: [verify(problem, c, seed=seed) for c in group], repeats)
    many_s, many = timed(lambda: verify_many(problem, group, seed=seed, workers=workers), repeats)
    cols = {k: [v] * len(group) for k, v in problem.to_dict().items()}
    reward = FunctionalReward(seed=seed, workers=workers or 0)

    def rewarded():
        shared_cache().clear()
        return reward(["p"] * len(group), group, **cols)

    rew_s, rewards = timed(rewarded, repeats)
    t0 = time.perf_counter()
    reward(["p"] * len(group), group, **cols)  # cached: the next reward function on the same batch
    cached_s = time.perf_counter() - t0
    agree = [a.status for a in one] == [b.status for b in many]
    n = len(group)
    return {"task_id": problem.task_id, "n": n, "one_by_one_s": round(one_s, 3), "batched_s": round(many_s, 3),
            "reward_s": round(rew_s, 3), "cached_reward_s": round(cached_s, 4),
            "one_by_one_verdicts_per_s": round(n / one_s, 2), "batched_verdicts_per_s": round(n / many_s, 2),
            "reward_verdicts_per_s": round(n / rew_s, 2), "speedup_batched": round(one_s / many_s, 2),
            "statuses_agree": agree, "passes": sum(v.passed for v in many), "rewards_sum": sum(rewards)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problems", nargs="+", default=["mux4", "gray_code"])
    ap.add_argument("--modes", nargs="+", default=["ref", "test"], choices=["ref", "test"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="verify_many workers (default: its own)")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    args = ap.parse_args(argv)
    rows = []
    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    for name in args.problems:
        base = Problem.from_dir(REPO / "data" / "problems" / name)
        mutant = (REPO / "tests" / "problem_mutants" / f"{name}.v").read_text()
        for mode in args.modes:
            d = base.to_dict()
            if mode == "ref":
                d.update(test=None, test_kind=None)
            problem = Problem.from_dict(d)
            row = {"mode": mode, **bench(problem, group_for(problem, mutant), args.repeats, args.workers)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    out = {"load_average_after": os.getloadavg(), "cpus": os.cpu_count(), "repeats": args.repeats, "rows": rows}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    print(f"load average after: {out['load_average_after']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
