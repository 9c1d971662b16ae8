"""What the formal tier and the deep-state stimulus catch, what they cost per candidate, and that they never
fail a correct design (issue 16).

    .venv/bin/python benchmarks/bench_formal.py corner  [--formal off|auto|on] [--seeds 1,2] [--json OUT]
    .venv/bin/python benchmarks/bench_formal.py correct [--formal on] [--limit N]
    .venv/bin/python benchmarks/bench_formal.py mutants [--formal off|auto|on] [--problems 30] [--k 4] [--json OUT]

``corner``: the wrong designs of tests/corner_cases (random simulation passes them at the old defaults):
how many each setting catches, and seconds per candidate. ``correct``: bundled references against their
alternatives (tests/problem_mutants/alternatives) and every VerilogEval v2 reference against itself renamed:
the count of non-pass verdicts must be 0 for ``fail``. ``mutants``: single-site mutants of VerilogEval v2
references (tests/mutation.py, as tests/test_mutation_kill.py) that the official testbench kills: the share
the differential check kills, and seconds per candidate.

The baseline (before issue 16) is the same script run against the old tree, e.g.
``git worktree add /tmp/base16 cd39f27^`` and ``PYTHONPATH=/tmp/base16 .venv/bin/python benchmarks/...``
(there ``--formal`` is ignored: the old ``verify`` has no formal tier and no deep phase).
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from verilog_sim import Problem, verify, verify_many  # noqa: E402

BENCH = REPO.parent / "shared" / "benchmarks"


def _kw(fn, formal: str) -> dict:  # noqa: ANN001
    return {"formal": formal} if "formal" in inspect.signature(fn).parameters else {}


def _row(v, seconds: float) -> dict:  # noqa: ANN001 - a Verdict of either tree
    return {"status": v.status.value, "tier": getattr(v, "tier", ""), "seconds": round(seconds, 3),
            "message": v.message[:160]}


def corner(args: argparse.Namespace) -> list[dict]:
    from corner_cases.cases import CASES

    seeds = [int(s) for s in args.seeds.split(",")]

    def one(c) -> dict:  # noqa: ANN001
        p = Problem(task_id=c.name, top="top", ref=c.ref)
        out = {"case": c.name, "kind": c.kind, "runs": []}
        for s in seeds:
            t0 = time.perf_counter()
            v = verify(p, c.bug, seed=s, extract=False, **_kw(verify, args.formal))
            out["runs"].append(_row(v, time.perf_counter() - t0))
        t0 = time.perf_counter()
        ok = verify(p, c.ref, seed=seeds[0], extract=False, **_kw(verify, args.formal))
        out["reference"] = _row(ok, time.perf_counter() - t0)
        return out

    with ThreadPoolExecutor(args.workers) as pool:
        rows = list(pool.map(one, CASES))
    for r in rows:
        print(f"{r['case']:22s} {r['kind']:5s} " + " ".join(f"{x['status']:5s}" for x in r["runs"])
              + f"  {r['runs'][0]['tier']:24s} {r['runs'][0]['seconds']:6.2f} s   reference {r['reference']['status']}"
              f" {r['reference']['tier']}", flush=True)
    caught = sum(all(x["status"] != "pass" for x in r["runs"]) for r in rows)
    secs = [x["seconds"] for r in rows for x in r["runs"]]
    bad_refs = [r["case"] for r in rows if r["reference"]["status"] == "fail"]
    print(f"caught (every seed) {caught}/{len(rows)} = {caught / len(rows):.0%}; seconds per candidate: median "
          f"{statistics.median(secs):.2f}, mean {statistics.mean(secs):.2f}, max {max(secs):.2f}; "
          f"references failed: {bad_refs or 'none'}")
    return rows


def correct(args: argparse.Namespace) -> list[dict]:
    pairs: list[tuple[str, Problem, str]] = []
    for alt in sorted((REPO / "tests" / "problem_mutants" / "alternatives").glob("*.v")):
        prob = Problem.from_dir(REPO / "data" / "problems" / alt.stem)
        pairs.append((alt.stem, Problem(task_id=alt.stem, top=prob.top, ref=prob.ref, ref_top=prob.ref_top),
                      alt.read_text()))
    v2 = BENCH / "verilog-eval-v2" / "spec-to-rtl.jsonl"
    for line in v2.read_text().splitlines():
        r = json.loads(line)
        pairs.append((r["task_id"], Problem(task_id=r["task_id"], top="TopModule", ref=r["ref"], ref_top="RefModule"),
                       r["ref"].replace("RefModule", "TopModule")))
    if args.limit:
        pairs = pairs[:args.limit]

    def one(item: tuple[str, Problem, str]) -> dict:
        name, prob, code = item
        t0 = time.perf_counter()
        v = verify_many(prob, [code], seed=1, extract=False, workers=1, **_kw(verify_many, args.formal))[0]
        return {"task": name, **_row(v, time.perf_counter() - t0)}

    with ThreadPoolExecutor(args.workers) as pool:
        rows = list(pool.map(one, pairs))
    tiers: dict[str, int] = {}
    for r in rows:
        key = r["tier"].split()[0] if r["tier"] else r["status"]
        tiers[key] = tiers.get(key, 0) + 1
        if r["status"] != "pass":
            print(f"  {r['task']}: {r['status']} {r['tier']} {r['message']}")
    fails = [r["task"] for r in rows if r["status"] == "fail"]
    print(f"correct designs: {len(rows)}; failed: {len(fails)} {fails or ''}; by tier: {tiers}; seconds per "
          f"candidate: median {statistics.median(r['seconds'] for r in rows):.2f}")
    return rows


def mutants(args: argparse.Namespace) -> list[dict]:
    from mutation import sample
    from test_mutation_kill import KILLED, NO_OFFICIAL, v2_cases

    rng = random.Random(args.seed)
    cases = [c for c in v2_cases(BENCH) if c.task_id not in NO_OFFICIAL]
    forced = [c for c in cases if c.task_id in (args.tasks or "").split(",")]
    cases = forced + rng.sample([c for c in cases if c not in forced], min(args.problems, len(cases) - len(forced)))
    official_cache = Path(args.official) if args.official else None
    known = json.loads(official_cache.read_text()) if official_cache and official_cache.exists() else {}

    def one(case) -> list[dict]:  # noqa: ANN001
        rename = (lambda s: s.replace(case.ref_top, case.top))
        muts = sample(case.ref, args.k, seed=11)
        codes = [rename(m.code) for m in muts]
        prob = Problem(task_id=case.task_id, top=case.top, ref=case.ref, ref_top=case.ref_top)
        t0 = time.perf_counter()
        diff = verify_many(prob, codes, seed=11, extract=False, workers=1, **_kw(verify_many, args.formal))
        each = (time.perf_counter() - t0) / max(1, len(codes))
        out = []
        for m, code, d in zip(muts, codes, diff):
            key = f"{case.task_id}|{m.label}"
            if key not in known:
                known[key] = verify(case.official, code, extract=False, seed=11).status.value
            out.append({"key": key, "official": known[key], **_row(d, each)})
        return out

    with ThreadPoolExecutor(args.workers) as pool:
        rows = [r for part in pool.map(one, cases) for r in part]
    if official_cache:
        official_cache.write_text(json.dumps(known))
    killed = [r for r in rows if r["official"] in KILLED]
    caught = [r for r in killed if r["status"] != "pass"]
    extra = [r for r in rows if r["official"] == "pass" and r["status"] == "fail"]
    for r in killed:
        if r["status"] == "pass":
            print(f"  missed: {r['key']}")
    by_tier: dict[str, int] = {}
    for r in caught:
        key = r["tier"].split()[0] if r["tier"] else r["status"]
        by_tier[key] = by_tier.get(key, 0) + 1
    print(f"mutants {len(rows)} of {len(cases)} problems; official kills {len(killed)}; differential kills of those "
          f"{len(caught)} = {len(caught) / max(1, len(killed)):.3f}; by tier {by_tier}; fails the official passes "
          f"{len(extra)}; seconds per candidate: mean {statistics.mean(r['seconds'] for r in rows):.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("corner", "correct", "mutants"))
    ap.add_argument("--formal", default="auto", choices=("off", "auto", "on"))
    ap.add_argument("--seeds", default="1,2", help="corner: stimulus seeds (a case is caught when every seed fails it)")
    ap.add_argument("--limit", type=int, default=0, help="correct: first N designs only")
    ap.add_argument("--problems", type=int, default=30, help="mutants: VerilogEval v2 problems sampled")
    ap.add_argument("--k", type=int, default=4, help="mutants: mutants per problem")
    ap.add_argument("--seed", type=int, default=16, help="mutants: problem sampling seed")
    ap.add_argument("--tasks", help="mutants: task ids always included (comma-separated)")
    ap.add_argument("--official", help="mutants: JSON cache of the official verdicts (shared between runs)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", help="write the rows here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = {"corner": corner, "correct": correct, "mutants": mutants}[args.what](args)
    import verilog_sim

    print(f"({args.what}, formal={args.formal}, {time.perf_counter() - t0:.0f} s wall, verilog_sim from "
          f"{Path(verilog_sim.__file__).parent.parent})")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
