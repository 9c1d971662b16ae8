"""Mutation score of the bundled problems' tests: how many single-site textual mutants of each ref.v they kill.

The hand-written mutants in this folder show each test can fail; this tool asks the broader question, "does the
test notice *any* small change?". Each mutant changes one operator or one sized constant in the body of ref.v
(the header is left alone, so every mutant keeps the interface). A mutant that still passes is either equivalent
to the reference or a gap in the test: read it (``--show-survivors``) and decide.

    .venv/bin/python tests/problem_mutants/mutation_score.py [--per-problem 12] [--seed 1] [NAME ...]

Prints one line per problem (killed / survived / invalid) and a total; exit 0 always (a report, not a gate).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from verilog_sim.judge.verify import verify  # noqa: E402
from verilog_sim.problem import Problem  # noqa: E402
from verilog_sim.verdict import Status  # noqa: E402

# (pattern, replacement) applied at one match at a time; spaces in the patterns keep `<=` (assignment) and
# shifts out of the comparison rules.
OPERATORS = [
    (r"&&", "||"), (r"\|\|", "&&"), (r"(?<![&|])&(?![&])", "|"), (r"(?<![|&])\|(?![|])", "&"),
    (r"(?<=[\w)\]] )\+(?= )", "-"), (r"(?<=[\w)\]] )-(?= )", "+"), (r"==", "!="), (r"!=", "=="),
    (r" < ", " <= "), (r" > ", " >= "), (r" >= ", " > "), (r"(?<=[\w)\]] )\^(?= )", "|"),
    (r"<< ", ">> "), (r"(?<!>)>> ", "<< "), (r"!(?=[\w(])", ""), (r"~(?=[\w(])", ""),
]
SIZED = re.compile(r"\b(\d+)'([bdh])([0-9a-fA-F_]+)\b")


def _body_start(code: str) -> int:
    m = re.search(r"\bmodule\s+top\b.*?\)\s*;", code, flags=re.S)
    return m.end() if m else 0


def _comment_spans(code: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"//[^\n]*|/\*.*?\*/", code, flags=re.S)]


def mutants(code: str) -> list[tuple[str, str]]:
    """Every single-site mutant of the module body: (description, mutated source)."""
    start, comments = _body_start(code), _comment_spans(code)
    live = lambda i: i >= start and not any(a <= i < b for a, b in comments)  # noqa: E731
    line = lambda i: code.count("\n", 0, i) + 1  # noqa: E731
    out = []
    for pat, rep in OPERATORS:
        for m in re.finditer(pat, code):
            if live(m.start()):
                out.append((f"line {line(m.start())}: '{m.group(0)}' -> '{rep}'",
                            code[:m.start()] + rep + code[m.end():]))
    for m in SIZED.finditer(code):
        if not live(m.start()):
            continue
        width, base, digits = int(m.group(1)), m.group(2), m.group(3).replace("_", "")
        value = int(digits, {"b": 2, "d": 10, "h": 16}[base])
        for new in {(value + 1) % (1 << width), (value - 1) % (1 << width)} - {value}:
            text = f"{width}'d{new}"
            out.append((f"line {line(m.start())}: {m.group(0)} -> {text}", code[:m.start()] + text + code[m.end():]))
    return out


def judge(name: str, code: str) -> str:
    v = verify(Problem.from_dir(REPO / "data" / "problems" / name), code, seed=1, extract=False, timeout=20)
    return {Status.FAIL: "killed", Status.PASS: "survived"}.get(v.status, "invalid")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="problems (default: all)")
    ap.add_argument("--per-problem", type=int, default=12, help="mutants sampled per problem (0 = all)")
    ap.add_argument("--seed", type=int, default=1, help="sampling seed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show-survivors", action="store_true", help="print each surviving mutation")
    args = ap.parse_args(argv)
    names = args.names or sorted(p.parent.name for p in (REPO / "data" / "problems").glob("*/problem.json"))
    rng = random.Random(args.seed)
    totals = {"killed": 0, "survived": 0, "invalid": 0}
    for name in names:
        muts = mutants((REPO / "data" / "problems" / name / "ref.v").read_text())
        if args.per_problem and len(muts) > args.per_problem:
            muts = rng.sample(muts, args.per_problem)
        with ThreadPoolExecutor(args.workers) as pool:
            results = list(pool.map(lambda m, name=name: judge(name, m[1]), muts))
        counts = {k: results.count(k) for k in totals}
        for k in totals:
            totals[k] += counts[k]
        valid = counts["killed"] + counts["survived"]
        print(f"{name:18s} killed {counts['killed']:3d}  survived {counts['survived']:3d}  invalid {counts['invalid']:3d}"
              f"  score {counts['killed'] / valid if valid else 1:.2f}", flush=True)
        if args.show_survivors:
            for (desc, _), r in zip(muts, results):
                if r == "survived":
                    print(f"    survived: {desc}")
    valid = totals["killed"] + totals["survived"]
    print(f"{'total':18s} killed {totals['killed']:3d}  survived {totals['survived']:3d}  invalid {totals['invalid']:3d}"
          f"  score {totals['killed'] / valid if valid else 1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
