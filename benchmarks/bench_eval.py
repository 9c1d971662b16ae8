"""VerilogEval v2 with 20 samples per problem: ``hdlgen eval``'s runner vs the official flow.

The official flow judges every sample alone: write sample/test/ref, ``iverilog``, ``vvp`` (waveform on),
one after another. ``run_eval`` adds what the samples allow: verdicts cached by the hash of the code judged
(identical completions, however they are wrapped in prose or fences, run once), provable rejects without
Icarus (no code, no ``TopModule``), vvp without the unread VCD, and parallel workers. Every sample's
status and mismatch count must be identical in both flows (asserted).

Samples per problem (deterministic, ``--seed``): the reference 7 times (raw, fenced, with reasoning text:
one distinct code), the reference with a different comment, 4 distinct mutants (operators, constants,
indices, edges) repeated 3/2/2/1 times, one syntax error, one module with the wrong name, two prose-only
answers. That is 20 samples, at most 8 distinct codes for Icarus.

    .venv/bin/python benchmarks/bench_eval.py --problems 40 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hdlgen.eval.runner import run_eval  # noqa: E402
from verilog_sim import tools  # noqa: E402
from verilog_sim.problem import Problem  # noqa: E402
from verilog_sim.verilog_eval import rules as verilog_eval  # noqa: E402

_MUTATIONS = [  # (pattern, replacement): one occurrence each
    (r"(?<![&|])&(?![&|])", "|"), (r"(?<![|&])\|(?![|&])", "&"), (r"\^", "&"), (r"\+", "-"), (r"(?<![<>=!])==", "!="),
    (r"\bposedge\b", "negedge"), (r"1'b0", "1'b1"), (r"1'b1", "1'b0"), (r"\[0\]", "[1]"), (r"\[1\]", "[0]"),
    (r"~", ""), (r"\belse\b", "else if (1'b0)"), (r"<(?!=)", ">"), (r"&&", "||"), (r"\d+'d(\d+)", "8'd3"),
]


def mutants(code: str, rng: random.Random, want: int = 4) -> list[str]:
    """Up to ``want`` distinct single-site mutants of ``code`` (comments left alone)."""
    head, sep, body = code.partition("(")  # keep the module name intact
    out: list[str] = []
    ops = list(_MUTATIONS)
    rng.shuffle(ops)
    for pat, rep in ops:
        sites = [m for m in re.finditer(pat, body) if "//" not in body[body.rfind("\n", 0, m.start()) + 1:m.start()]]
        if not sites:
            continue
        m = rng.choice(sites)
        new = head + sep + body[:m.start()] + m.expand(rep) + body[m.end():]
        if new != code and new not in out:
            out.append(new)
        if len(out) == want:
            break
    return out


def sample_set(p: Problem, rng: random.Random) -> list[str]:
    ref = verilog_eval.reference_completion(p)
    fenced = f"Here is the implementation:\n```verilog\n{ref}```\nIt meets the specification."
    reasoning = f"<think>I need a module TopModule.</think>\n```systemverilog\n{ref}\n```"
    commented = "// TopModule: written from the specification\n" + ref
    muts = mutants(ref, rng) or [ref.replace("endmodule", "  wire unused_w;\nendmodule", 1)]
    while len(muts) < 4:
        muts.append(muts[-1] if len(muts) % 2 else f"```verilog\n{muts[0]}```")
    body = ref.rstrip()
    syntax = body[: body.rfind(";")] + body[body.rfind(";") + 1:] + "\n" if ";" in body else ref + "endmodule\n"
    wrong_name = ref.replace("TopModule", "top_module")
    samples = ([ref, ref, ref, fenced, fenced, reasoning, reasoning, commented]
               + [muts[0]] * 3 + [muts[1]] * 2 + [muts[2]] * 2 + [muts[3]]
               + [syntax, wrong_name, "I am not able to design this circuit.", "The answer depends on the clock."])
    rng.shuffle(samples)
    assert len(samples) == 20
    return samples


def outcome(results: list) -> list[tuple[str, int, str, int | None, int | None]]:
    return [(r.task_id, r.completion_id, r.verdict.status.value, r.verdict.mismatches, r.verdict.samples)
            for r in results]


def seconds_by_task(results: list) -> Counter:
    """Judging time per problem (a cached verdict was not judged again: not counted)."""
    out: Counter = Counter()
    for r in results:
        if not r.cached:
            out[r.task_id] += r.verdict.seconds
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--problems", type=int, default=40, help="first N problems, evenly spread (0 = all 156)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    problems = verilog_eval.load_benchmark("verilog-eval-v2-spec")
    if args.problems and args.problems < len(problems):
        step = len(problems) / args.problems
        problems = [problems[int(i * step)] for i in range(args.problems)]
    rng = random.Random(args.seed)
    samples = {p.task_id: sample_set(p, rng) for p in problems}
    n = sum(len(v) for v in samples.values())
    print(f"machine: {os.cpu_count()} CPUs; load average before: {os.getloadavg()}; {tools.icarus_version()}")
    print(f"{len(problems)} problems x 20 = {n} samples; workers {args.workers}; repeats {args.repeats}")

    base_t, fast_t = [], []
    for rep in range(args.repeats):
        t0 = time.perf_counter()
        fast = run_eval(problems, samples, workers=args.workers)
        fast_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        base = run_eval(problems, samples, workers=1, cache=False, quick=False, waveform=True)
        base_t.append(time.perf_counter() - t0)
        assert outcome(fast) == outcome(base), [(a, b) for a, b in zip(outcome(fast), outcome(base)) if a != b][:5]
        judged = sum(not r.verdict.status.value == "no_code" and not r.cached for r in fast)
        print(f"  repeat {rep + 1}: official {base_t[-1]:.2f} s, eval {fast_t[-1]:.2f} s "
              f"({base_t[-1] / fast_t[-1]:.1f}x); verdicts identical; {judged} judged without cache")
    passed = sum(r.verdict.passed for r in fast)
    mb, mf = statistics.median(base_t), statistics.median(fast_t)
    print(f"passing samples: {passed}/{n}")
    print(f"median official {mb:.2f} s ({n / mb:.1f} samples/s), median eval {mf:.2f} s ({n / mf:.1f} samples/s): "
          f"speedup {mb / mf:.1f}x")
    slow_b, slow_f = seconds_by_task(base), seconds_by_task(fast)
    tb, tf = sum(slow_b.values()) or 1.0, sum(slow_f.values()) or 1.0
    print("where the time goes (last repeat; judging seconds per problem, share of the flow's total):")
    top = [tid for tid, _ in slow_f.most_common(5)]
    for tid in top:
        print(f"  {tid:<32} official {slow_b[tid]:7.2f} s ({slow_b[tid] / tb:5.1%})   "
              f"eval {slow_f[tid]:6.2f} s ({slow_f[tid] / tf:5.1%})")
    rest_b, rest_f = tb - sum(slow_b[t] for t in top[:2]), tf - sum(slow_f[t] for t in top[:2])
    print(f"  all but the two slowest: official {rest_b:.2f} s, eval {rest_f:.2f} s of judging time "
          f"({rest_b / max(rest_f, 1e-9):.1f}x less)")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
