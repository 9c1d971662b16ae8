"""The formal tier (verilog_sim.formal, judge.tiers) and the deep-state stimulus, with the real yosys/ABC/Icarus.

A counterexample fails a candidate only after the differential simulation reproduces it; a proof only
upgrades a pass; anything yosys cannot do leaves the simulation verdict with a note.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest
from click.testing import CliRunner
from corner_cases.cases import ALU8 as ALU
from corner_cases.cases import LOCK

from verilog_sim import Problem, UserError, Verdict, verify, verify_many
from verilog_sim.formal import check_equivalence
from verilog_sim.source.ports import detect_timing, module_ports

pytestmark = pytest.mark.skipif(shutil.which("yosys") is None, reason="yosys not installed")

RARE = ALU.replace("2'd0: y = a + b;", "2'd0: y = (a == 8'd200 && b == 8'd107) ? a + b + 8'd1 : a + b;")
LOCK_BUG = LOCK.replace("2'd2: st <= (key == 8'h19) ? 2'd3 : 2'd0;", "2'd2: st <= 2'd3;")


def _problem(ref: str) -> Problem:
    return Problem(task_id="t", top="top", ref=ref)


def test_combinational_proof_and_counterexample():
    ports = module_ports(ALU, "top")
    timing = detect_timing(ALU, ports)
    same = check_equivalence(ALU, "top", ALU, "top", ports, timing)
    assert same.outcome == "proved" and not same.sequential, same
    bad = check_equivalence(ALU, "top", RARE, "top", ports, timing)
    assert bad.outcome == "counterexample", bad
    assert bad.frames[0]["a"] == 200 and bad.frames[0]["b"] == 107 and bad.frames[0]["op"] == 0
    assert bad.words == ((200 << 10) | (107 << 2) | 0,)  # the harness's word: a, b, op (MSB first)


def test_rare_input_bug_passes_simulation_and_fails_by_formal_counterexample():
    off = verify(_problem(ALU), RARE, seed=2, extract=False, formal="off")
    assert off.passed and off.tier.startswith("simulated"), off
    v = verify(_problem(ALU), RARE, seed=2, extract=False)  # auto, the default
    assert v.status.value == "fail" and v.tier == "formal", v
    fm = v.first_mismatch
    assert fm["found_by"] == "formal" and fm["cycle"] == 0 and fm["signal"] == "y"
    assert fm["inputs"] == {"a": "8'b11001000", "b": "8'b01101011", "op": "2'b00"}
    assert fm["expected"] == "8'b00110011" and fm["got"] == "8'b00110100"
    assert "formal" in v.tools and "confirmed in simulation" in v.message
    ok = verify(_problem(ALU), ALU, seed=2, extract=False)
    assert ok.passed and ok.tier == "proved", ok
    assert Verdict.from_dict(json.loads(v.to_json())) == v.with_(seconds=round(v.seconds, 4))


def test_fsm_state_behind_a_key_sequence_is_reached_by_the_sequential_check():
    v = verify_many(_problem(LOCK), [LOCK_BUG, LOCK], seed=1, extract=False, formal="on", workers=1)
    assert v[0].status.value == "fail" and v[0].tier == "formal", v[0]
    assert v[0].first_mismatch["signal"] == "open" and v[0].first_mismatch["cycle"] >= 3
    assert v[1].passed and v[1].tier == "proved", v[1]


def test_a_counterexample_simulation_does_not_confirm_never_fails():
    """The reference's X is a don't-care in simulation; yosys reads it as 0, so the solver finds a 'difference'
    that the replay does not reproduce: the pass stands, with a note."""
    ref = ALU.replace("default: y = a ^ b;", "default: y = 8'bx;")
    v = verify(_problem(ref), ALU, seed=1, extract=False, formal="on")
    assert v.passed, v
    assert "did not reproduce in simulation" in v.message and v.tier.startswith("simulated"), v


def test_candidate_x_on_a_rare_input_is_a_free_value_for_the_solver():
    """An X only the candidate drives (where the reference is defined) must not let the solver prove it equal."""
    bug = ALU.replace("2'd0: y = a + b;", "2'd0: y = (a == 8'd200 && b == 8'd107) ? 8'bx : a + b;")
    v = verify(_problem(ALU), bug, seed=2, extract=False, formal="on")
    assert v.status.value == "fail" and v.tier == "formal", v
    assert "x" in v.first_mismatch["got"]


def test_yosys_is_bounded_by_the_sandbox_and_a_limit_is_no_verdict():
    """A design that makes yosys blow up (a 2^20-word memory mapped to flip-flops) stops at the limit; the
    result is 'unsupported', never a fail, and the time stays near the budget."""
    big = """module top(input clk, input [19:0] addr, input [31:0] d, input we, output [31:0] q);
  reg [31:0] mem [0:1048575];
  always @(posedge clk) if (we) mem[addr] <= d;
  assign q = mem[addr];
endmodule
"""
    ports = module_ports(big, "top")
    t0 = time.perf_counter()
    r = check_equivalence(big, "top", big, "top", ports, detect_timing(big, ports), budget_s=4, memory_mb=512)
    assert time.perf_counter() - t0 < 20
    assert r.outcome == "unsupported" and ("limit" in r.note or "could not" in r.note), r


def test_formal_setting_is_validated_and_skips_what_it_cannot_read():
    with pytest.raises(UserError):
        verify(_problem(ALU), ALU, formal="sometimes")
    with pytest.raises(UserError):
        verify(_problem(ALU), ALU, reset_rate=1.5)
    with_macro = "`define PLUS +\n" + ALU.replace("a + b;", "a `PLUS b;")
    v = verify(_problem(ALU), with_macro, seed=1, extract=False, formal="on")
    assert v.passed and "formal tier skipped" in v.message, v


def test_a_pass_that_never_toggled_an_output_says_so():
    ref = """module top(input clk, input reset, input en, output reg [15:0] n, output full);
  always @(posedge clk) if (reset) n <= 16'd0; else if (en && !full) n <= n + 16'd1;
  assign full = n == 16'hffff;
endmodule
"""
    v = verify(_problem(ref), ref, seed=1, extract=False, formal="off")
    assert v.passed and "full" in v.coverage["outputs_never_toggled"], v.coverage
    assert "weak coverage" in v.message and "full" in v.message


def test_deep_phase_reaches_counter_saturation_that_random_resets_hide():
    ref = """module top(input clk, input reset, input en, output reg [7:0] q, output full);
  always @(posedge clk) begin
    if (reset) q <= 8'd0;
    else if (en && q != 8'hff) q <= q + 8'd1;
  end
  assign full = q == 8'hff;
endmodule
"""
    bug = ref.replace("else if (en && q != 8'hff) q <= q + 8'd1;", "else if (en) q <= q + 8'd1;")
    for seed in (1, 2, 3):
        v = verify(_problem(ref), bug, seed=seed, extract=False, formal="off")
        assert v.status.value == "fail" and v.tier.startswith("simulated"), (seed, v)


def test_cli_formal_flags(tmp_path):
    from hdlgen.cli import cli

    (tmp_path / "ref.v").write_text(ALU)
    (tmp_path / "mine.v").write_text(RARE)
    r = CliRunner().invoke(cli, ["verify", str(tmp_path / "mine.v"), "--ref", str(tmp_path / "ref.v"),
                                  "--seed", "2", "--format", "json"])
    assert r.exit_code == 1, r.output
    d = json.loads(r.stdout)
    assert d["tier"] == "formal" and d["first_mismatch"]["cycle"] == 0
    r = CliRunner().invoke(cli, ["verify", str(tmp_path / "mine.v"), "--ref", str(tmp_path / "ref.v"),
                                  "--seed", "2", "--formal", "off"])
    assert r.exit_code == 0 and "simulated" in r.output, r.output


def test_deep_phase_adds_failures_only_through_a_mismatch():
    """A deep-phase run that hits a limit (a heavy design, thousands more cycles) leaves the random pass."""
    from verilog_sim.judge.group import merge_deep
    from verilog_sim.verdict import Stage, Status

    passed = Verdict(Status.PASS, Stage.COMPARE, mismatches=0, samples=10, tier="simulated 2000 cycles",
                     coverage={"outputs_never_toggled": ["a", "b"]})
    timeout = Verdict(Status.TIMEOUT, Stage.SIMULATE, message="simulation stopped: wall time 30 s limit reached")
    v = merge_deep(passed, timeout, 6352)
    assert v.passed and "deep phase not completed" in v.message and v.tier == "simulated 2000 cycles"
    deep_pass = Verdict(Status.PASS, Stage.COMPARE, coverage={"outputs_never_toggled": ["b", "c"]})
    v = merge_deep(passed, deep_pass, 6352)
    assert v.passed and v.coverage == {"outputs_never_toggled": ["b"]} and v.tier == "simulated 6352 cycles"
    fail = Verdict(Status.FAIL, Stage.COMPARE, mismatches=3, samples=9, message="3 mismatches",
                   first_mismatch={"time": 25, "signal": "q"})
    v = merge_deep(passed, fail, 6352)
    assert v.status is Status.FAIL and v.first_mismatch["phase"] == "deep" and v.tier == "simulated 6352 cycles"


def test_reset_rate_controls_the_random_run():
    """reset_rate=1: a reset pulse at every input change, so the counter never leaves 0 in the random run;
    reset_rate=0: reset only at the start, so it counts."""
    from verilog_sim import sandbox
    from verilog_sim.judge.group import run_group
    from verilog_sim.judge.reference import analyse_reference

    ref = """module top(input clk, input reset, output reg [3:0] q);
  always @(posedge clk) if (reset) q <= 4'd0; else q <= q + 4'd1;
endmodule
"""
    problem = _problem(ref)
    r = analyse_reference(problem)
    never = {}
    for rate in (1.0, 0.0):
        with sandbox.Scratch() as scratch:
            g = run_group(r, [ref], "top", scratch, limits=sandbox.Limits(), seed=3, cycles=100, reset_rate=rate)
        never[rate] = g.verdicts[0].coverage["outputs_never_toggled"]
    assert never[1.0] == ["q"] and never[0.0] == []
