"""Mutation suite: the differential testbench (no official testbench) must kill ≥ 95% of the mutants that the
official testbench kills, and never fail an unmutated reference.

Official judgement: VerilogEval v2 — the mutant renamed to TopModule, compiled with the problem's ``tb`` and
reference, pass only on ``Mismatches: 0 in N samples`` and no TIMEOUT; bundled problems — their cocotb test.
The default run takes a fixed sample; ``-m slow`` runs every problem.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from mutation import sample

from verilog_sim import Problem, verify
from verilog_sim.judge.batch import verify_many

PASS_REGEX = r"^Mismatches: 0 in \d+ samples$"
SEED = 11
# Problems whose official verdict of a mutant says nothing about the mutant (measured on Icarus 11):
NO_OFFICIAL = {
    "Prob151_review2015_fsm": "reference does not compile on Icarus 11 (sorry: cast)",
    "Prob156_review2015_fancytimer": "reference does not compile on Icarus 11 (sorry: cast)",
    "Prob099_m2014_q6c": "testbench port names differ from the reference (upstream erratum)",
    "Prob082_lfsr32": "the testbench times out even for the reference",
    "Prob141_count_clock": "the testbench times out even for the reference",
}
ICARUS11_UNSUPPORTED = {"Prob151_review2015_fsm", "Prob156_review2015_fancytimer"}
KILLED = ("fail", "timeout", "error", "resource_limit")


@dataclass(frozen=True)
class Case:
    task_id: str
    ref: str
    top: str  # module name the mutant must define for the official judge
    ref_top: str
    official: Problem


def v2_cases(bench_dir: Path) -> list[Case]:
    rows = [json.loads(x) for x in (bench_dir / "verilog-eval-v2" / "spec-to-rtl.jsonl").read_text().splitlines()]
    return [Case(r["task_id"], r["ref"], "TopModule", "RefModule",
                 Problem(task_id=r["task_id"], top="TopModule", ref=r["ref"], test=r["test"], test_kind="verilog",
                         test_top="tb", pass_regex=PASS_REGEX, fail_regex=r"^TIMEOUT"))
            for r in rows]


def bundled_cases(repo: Path) -> list[Case]:
    out = []
    for d in sorted((repo / "data" / "problems").glob("*/ref.v")):
        p = Problem.from_dir(d.parent)
        if p.ref and p.test_kind == "cocotb":
            out.append(Case(p.task_id, p.ref, p.top, p.ref_top or p.top, p))
    return out


def judge_case(case: Case, k: int) -> list[dict]:
    """Official and differential verdicts of up to ``k`` mutants of one reference (plus the reference itself)."""
    rename = (lambda s: s.replace(case.ref_top, case.top)) if case.ref_top != case.top else (lambda s: s)
    mutants = sample(case.ref, k, seed=SEED) if case.task_id not in NO_OFFICIAL else []
    codes = [rename(case.ref)] + [rename(m.code) for m in mutants]
    diff_problem = Problem(task_id=case.task_id, top=case.top, ref=case.ref, ref_top=case.ref_top)
    diff = verify_many(diff_problem, codes, seed=SEED, extract=False, workers=1)
    out = [{"task_id": case.task_id, "mutant": None, "official": None, "diff": diff[0].status.value,
            "message": diff[0].message}]
    for m, code, d in zip(mutants, codes[1:], diff[1:]):
        o = verify(case.official, code, extract=False, seed=SEED)
        out.append({"task_id": case.task_id, "mutant": m.label, "official": o.status.value, "diff": d.status.value,
                    "message": d.message})
    return out


def run_suite(cases: list[Case], k: int, workers: int = 2) -> dict:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        records = [r for part in pool.map(lambda c: judge_case(c, k), cases) for r in part]
    refs = [r for r in records if r["mutant"] is None]
    muts = [r for r in records if r["mutant"] is not None]
    killed = [r for r in muts if r["official"] in KILLED]
    return {
        "references": len(refs),
        "reference_failures": [r for r in refs if r["diff"] == "fail"],
        "reference_not_pass": [r for r in refs if r["diff"] != "pass"],
        "mutants": len(muts),
        "official_compile_errors": sum(r["official"] in ("compile_error", "syntax_error") for r in muts),
        "official_kills": len(killed),
        "diff_kills_of_those": sum(r["diff"] != "pass" for r in killed),
        "diff_only_kills": sum(r["official"] == "pass" and r["diff"] != "pass" for r in muts),
        "diff_only": [r for r in muts if r["official"] == "pass" and r["diff"] != "pass"],
        "missed": [r for r in killed if r["diff"] == "pass"],
    }


def _check(stats: dict) -> None:
    summary = {k: v for k, v in stats.items() if not isinstance(v, list)} | {
        "missed": [(r["task_id"], r["mutant"]) for r in stats["missed"]],
        "diff_only": [(r["task_id"], r["mutant"], r["message"][:200]) for r in stats["diff_only"]],
        "reference_not_pass": [(r["task_id"], r["diff"], r["message"][:120]) for r in stats["reference_not_pass"]]}
    print(json.dumps(summary, indent=1))
    assert not stats["reference_failures"], stats["reference_failures"]
    assert stats["official_kills"] > 0
    rate = stats["diff_kills_of_those"] / stats["official_kills"]
    assert rate >= 0.95, (rate, stats["missed"])


def test_mutation_kill_sample(bench_dir, repo):
    rng = random.Random(SEED)
    v2 = [c for c in v2_cases(bench_dir) if c.task_id not in NO_OFFICIAL]
    cases = rng.sample(v2, 10) + rng.sample(bundled_cases(repo), 1)
    stats = run_suite(cases, k=4)
    assert not stats["reference_not_pass"], stats["reference_not_pass"]
    _check(stats)


@pytest.mark.slow
@pytest.mark.timeout(5400)
def test_mutation_kill_full(bench_dir, repo):
    cases = v2_cases(bench_dir) + bundled_cases(repo)
    stats = run_suite(cases, k=6)
    not_pass = {r["task_id"] for r in stats["reference_not_pass"]}
    assert not_pass <= ICARUS11_UNSUPPORTED, stats["reference_not_pass"]  # those are 'error', never 'fail'
    _check(stats)


def test_mutant_generator_makes_single_site_changes_of_every_kind():
    from mutation import mutants

    ref = """module m(input clk, input reset, input [3:0] d, output reg [3:0] q, output y);
  always @(posedge clk) if (reset) q <= 4'b0000; else q <= q + d[2:0];
  assign y = (q == 4'd9) && d[1];
endmodule"""
    ms = mutants(ref, seed=1)
    assert {m.kind for m in ms} == {"operator", "constant", "index", "edge", "reset"}
    header = ref[:ref.index(";")]
    for m in ms:
        assert m.code != ref and m.code[:m.offset] == ref[:m.offset]
        assert m.code[m.offset + len(m.after):] == ref[m.offset + len(m.before):]
        assert m.code.startswith(header)  # ports untouched
    assert not any(m.before == "<" for m in ms)  # non-blocking assignments are not relational operators
