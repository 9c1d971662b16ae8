"""verify_many: N candidates in one simulation, isolation of compile failures and hangs, same verdicts as verify."""

from __future__ import annotations

import time

import pytest

from verilog_sim import Problem, verify
from verilog_sim.judge.batch import verify_many
from verilog_sim.problem import ProblemError

REF = """module RefModule(input clk, input reset, input [3:0] d, output reg [3:0] q, output y);
  always @(posedge clk) if (reset) q <= 0; else q <= q + d;
  assign y = ^q;
endmodule
"""
GOOD = REF.replace("RefModule", "TopModule")
PROBLEM = Problem(task_id="acc", top="TopModule", ref=REF, ref_top="RefModule")
WITH_SUB = """module add(input [3:0] a, b, output [3:0] s); assign s = a OP b; endmodule
module TopModule(input clk, input reset, input [3:0] d, output reg [3:0] q, output y);
  wire [3:0] n;
  add u(.a(q), .b(d), .s(n));
  always @(posedge clk) if (reset) q <= 0; else q <= n;
  assign y = ^q;
endmodule
"""


def _key(v):
    return (v.status.value, v.stage.value, v.mismatches, v.samples, v.first_mismatch)


def test_verdicts_in_order_and_equal_to_one_by_one_verify():
    cands = [
        GOOD,
        GOOD.replace("q + d", "q - d"),
        "```verilog\n" + GOOD + "```\nThis accumulates d.",  # raw LLM text: extracted
        WITH_SUB.replace("OP", "+"),
        WITH_SUB.replace("OP", "^"),  # same submodule name as the previous candidate, other behaviour
        GOOD.replace("output y", "output [1:0] y"),  # port mismatch
        GOOD.replace("assign y = ^q;", "assign y = ^q; nosuch u(.a(d));"),  # does not compile
        "I cannot write this module.",  # no code
        GOOD.replace("endmodule", ""),  # syntax error
        GOOD,  # duplicate: simulated once
    ]
    many = verify_many(PROBLEM, cands, seed=7, cycles=150)
    assert len(many) == len(cands)
    assert [v.status.value for v in many] == ["pass", "fail", "pass", "pass", "fail", "compile_error",
                                                "compile_error", "no_code", "syntax_error", "pass"]
    single = [verify(PROBLEM, c, seed=7, cycles=150) for c in cands]
    assert [_key(v) for v in many] == [_key(v) for v in single]
    assert all(v.seed == 7 and v.tools.get("simulator") for v in many)
    assert "nosuch" in many[6].message and many[6].diagnostics[0].line == 3


def test_workers_and_batch_size_do_not_change_verdicts():
    cands = [GOOD, GOOD.replace("q + d", "q + d + 1"), WITH_SUB.replace("OP", "+"), GOOD.replace("^q", "&q")] * 2
    cands = [c + f"// variant {i}\n" for i, c in enumerate(cands)]  # distinct texts: no dedupe
    one = verify_many(PROBLEM, cands, seed=3, cycles=100, workers=1)
    two = verify_many(PROBLEM, cands, seed=3, cycles=100, workers=2, batch_size=3)
    assert [_key(v) for v in one] == [_key(v) for v in two]
    assert [v.status.value for v in one] == ["pass", "fail", "pass", "fail"] * 2


def test_a_hanging_candidate_does_not_take_the_batch_with_it():
    hang = GOOD.replace("assign y = ^q;", "reg t; always @* begin while (d == 4'd9) t = ~t; end assign y = ^q;")
    finish = GOOD.replace("assign y = ^q;", "assign y = ^q; always @(posedge clk) if (d == 4'd7) $finish;")
    cands = [GOOD, hang, GOOD.replace("q + d", "q - d"), finish]
    t0 = time.perf_counter()
    vs = verify_many(PROBLEM, cands, seed=1, cycles=300, timeout=3)
    # $finish never runs: the admission check refuses it (a testbench's final block would count 0 mismatches)
    assert [v.status.value for v in vs] == ["pass", "timeout", "fail", "compile_error"]
    assert "wall time 3 s" in vs[1].message and "$finish" in vs[3].message
    assert vs[2].mismatches and vs[2].samples == 1201
    assert time.perf_counter() - t0 < 60


def test_reference_that_does_not_compile_gives_error_verdicts():
    bad = Problem(task_id="r", top="TopModule", ref=REF.replace("assign y = ^q;", "assign y = ^q; nosuch u();"),
                  ref_top="RefModule")
    vs = verify_many(bad, [GOOD, GOOD.replace("q + d", "q - d")], seed=1, cycles=10)
    assert [v.status.value for v in vs] == ["error", "error"] and "reference" in vs[0].message


def test_problems_with_their_own_testbench_fall_back_to_verify(repo):
    prob = Problem.from_dir(repo / "data" / "problems" / "gray_code")
    good = prob.ref
    bad = good.replace("^", "&", 1)
    vs = verify_many(prob, [good, bad, "no code"], workers=2)
    assert [v.status.value for v in vs] == ["pass", "fail", "no_code"]
    assert vs[0].stage.value == "simulate"  # judged by the problem's cocotb test, not differentially


def test_empty_input():
    assert verify_many(PROBLEM, []) == []


def test_a_candidate_driving_its_inputs_cannot_disturb_the_others():
    rogue = GOOD.replace("assign y = ^q;", "assign y = ^q; assign d = 4'd0; assign reset = 1'b1;")
    vs = verify_many(PROBLEM, [rogue, GOOD, GOOD + "// twin\n"], seed=2, cycles=100)
    assert [v.status.value for v in vs] == ["fail", "pass", "pass"]


def test_extra_files_reach_the_simulation_and_bad_names_are_the_problems_fault():
    ref = """module R(input [1:0] a, output [7:0] y); reg [7:0] rom [0:3];
  initial $readmemh("data/rom.hex", rom); assign y = rom[a]; endmodule"""
    prob = Problem(task_id="rom", top="T", ref=ref, ref_top="R", extra_files={"data/rom.hex": "11\n22\n33\n44\n"})
    good = ref.replace("module R", "module T")
    vs = verify_many(prob, [good, good.replace("rom[a]", "rom[~a]")], seed=1, cycles=20)
    assert [v.status.value for v in vs] == ["pass", "fail"]
    assert verify(prob, good, seed=1, cycles=20).status.value == "pass"
    assert vs[1].first_mismatch["expected"] in ("8'b00010001", "8'b00100010", "8'b00110011", "8'b01000100")
    with pytest.raises(ProblemError, match="relative path"):  # the problem's fault, said before any candidate
        Problem(task_id="rom", top="T", ref=ref, ref_top="R", extra_files={"../escape.hex": "11\n"})


def test_a_candidates_macro_does_not_reach_the_other_candidates():
    """A `define in one candidate must not make a later candidate (which uses it without defining it) pass."""
    defines = "`define STEP d\n" + GOOD.replace("q + d", "q + `STEP")
    uses_only = GOOD.replace("q + d", "q + `STEP")  # alone: undefined macro, Icarus rejects it
    alone = verify(PROBLEM, uses_only, seed=5, cycles=50)
    assert not alone.passed
    together = verify_many(PROBLEM, [defines, uses_only], seed=5, cycles=50)
    assert together[0].passed
    assert together[1].status is alone.status
