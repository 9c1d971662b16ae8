"""Differential verification against a golden reference (verify → verilog_sim.judge.group), real Icarus + cocotb."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hdlgen.cli import cli
from verilog_sim import Problem, verify
from verilog_sim.judge.group import analyse_reference, reference_constants, wrapper_source

ACC = """module RefModule(input clk, input reset, input [3:0] d, output reg [3:0] q, output y);
  always @(posedge clk) if (reset) q <= 0; else q <= q + d;
  assign y = ^q;
endmodule
"""
GOOD = ACC.replace("RefModule", "TopModule")
PROBLEM = Problem(task_id="acc", top="TopModule", ref=ACC, ref_top="RefModule")


def test_reference_copy_passes_and_records_seed_and_samples():
    v = verify(PROBLEM, GOOD, seed=5, cycles=200)
    assert v.status.value == "pass" and v.stage.value == "compare", v.message
    # one compare of the initial values, then four per clock cycle: after each edge and each input change
    assert v.samples == 801 and v.mismatches == 0 and v.seed == 5
    assert v.tests.total == v.tests.passed == 801


def test_bug_fails_with_first_mismatch_details():
    v = verify(PROBLEM, GOOD.replace("q + d", "q - d"), seed=5, cycles=200)
    assert v.status.value == "fail" and v.stage.value == "compare"
    assert v.samples == 801 and 0 < v.mismatches <= 801
    fm = v.first_mismatch
    assert set(fm) >= {"time", "signal", "inputs", "expected", "got"}
    assert fm["signal"] == "q" and fm["expected"] != fm["got"]
    assert set(fm["inputs"]) == {"clk", "reset", "d"} and fm["inputs"]["d"].startswith("4'b")
    assert "first at" in v.message and v.to_dict()["first_mismatch"] == fm


def test_same_seed_same_result_and_seed_is_chosen_when_absent():
    bad = GOOD.replace("q + d", "q + d + (d == 4'd9)")
    a, b = (verify(PROBLEM, bad, seed=9, cycles=300) for _ in range(2))
    assert (a.mismatches, a.first_mismatch) == (b.mismatches, b.first_mismatch)
    v = verify(PROBLEM, GOOD, cycles=20)
    assert isinstance(v.seed, int) and v.status.value == "pass"


def test_x_on_reference_is_dont_care_and_x_on_candidate_is_a_mismatch():
    ref = "module R(input [1:0] s, output reg y); always @* case (s) 0: y = 0; 1: y = 1; default: y = 1'bx; endcase endmodule"
    prob = Problem(task_id="x", top="T", ref=ref, ref_top="R")
    anything = "module T(input [1:0] s, output y); assign y = s == 1 || s == 3; endmodule"
    assert verify(prob, anything, seed=1, cycles=50).status.value == "pass"
    xcand = "module T(input [1:0] s, output reg y); always @* y = (s == 0) ? 1'bx : s[0]; endmodule"
    v = verify(prob, xcand, seed=1, cycles=50)
    assert v.status.value == "fail" and v.first_mismatch["got"] == "1'bx"
    zcand = "module T(input [1:0] s, output y); assign y = (s == 0) ? 1'bz : s[0]; endmodule"
    assert verify(prob, zcand, seed=1, cycles=50).status.value == "fail"


def test_port_mismatch_is_a_compile_error_naming_the_port():
    v = verify(PROBLEM, GOOD.replace("output y", "output [1:0] y"), seed=1, cycles=10)
    assert v.status.value == "compile_error" and "'y' is 2 bits wide, the reference has 1" in v.message
    v = verify(PROBLEM, GOOD.replace("input [3:0] d", "input [3:0] data").replace("q + d", "q + data"), cycles=10)
    assert v.status.value == "compile_error" and "missing port d" in v.message and "unexpected port data" in v.message


def test_candidate_compile_error_points_into_the_candidate_file():
    # an unknown module passes the in-process parser (another file may define it); the compile finds it
    v = verify(PROBLEM, GOOD.replace("assign y = ^q;", "assign y = ^q;\n  nosuch u(.a(d));"), seed=1, cycles=10,
               filename="mine.v")
    assert v.status.value == "compile_error", v.message
    d = v.diagnostics[0]
    assert d.file == "mine.v" and d.line == 4 and "nosuch" in d.message
    assert "_hc0" not in v.message and "hdlgen_diff_top" not in v.message


def test_same_module_names_in_candidate_and_reference_do_not_clash():
    ref = """module add(input [3:0] a, b, output [3:0] s); assign s = a + b; endmodule
module TopModule(input [3:0] a, b, output [3:0] s); add u(.a(a), .b(b), .s(s)); endmodule"""
    prob = Problem(task_id="clash", top="TopModule", ref=ref, ref_top="TopModule")
    assert verify(prob, ref, seed=2, cycles=50).status.value == "pass"
    wrong = ref.replace("a + b", "a - b")
    assert verify(prob, wrong, seed=2, cycles=50).status.value == "fail"


def test_async_active_low_reset_is_exercised_mid_run():
    ref = """module R(input clk, input rst_n, input d, output reg [7:0] n);
  always @(posedge clk or negedge rst_n) if (!rst_n) n <= 8'd0; else n <= n + d;
endmodule"""
    prob = Problem(task_id="arst", top="T", ref=ref, ref_top="R")
    assert verify(prob, ref.replace("module R", "module T"), seed=3).status.value == "pass"
    sync = ref.replace("module R", "module T").replace(" or negedge rst_n", "")
    v = verify(prob, sync, seed=3)
    assert v.status.value == "fail" and v.first_mismatch["signal"] == "n"


def test_negedge_clock_design():
    ref = "module R(input clk, input [3:0] d, output reg [3:0] q); always @(negedge clk) q <= d; endmodule"
    prob = Problem(task_id="neg", top="T", ref=ref, ref_top="R")
    assert verify(prob, ref.replace("module R", "module T"), seed=4, cycles=100).status.value == "pass"
    pos = ref.replace("module R", "module T").replace("negedge", "posedge")
    assert verify(prob, pos, seed=4, cycles=100).status.value == "fail"


def test_hang_is_a_timeout_and_finish_is_an_error():
    hang = GOOD.replace("assign y = ^q;", "reg t; always @* begin while (d == 4'd9) t = ~t; end assign y = ^q;")
    v = verify(PROBLEM, hang, seed=1, timeout=3)
    assert v.status.value == "timeout" and "wall time" in v.message
    fin = GOOD.replace("assign y = ^q;", "assign y = ^q; always @(posedge clk) if (d == 4'd7) $finish;")
    v = verify(PROBLEM, fin, seed=1)  # refused before it runs (admission: a design may not end the run)
    assert v.status.value == "compile_error" and "$finish" in v.message


def test_reference_that_does_not_compile_is_an_error_not_the_candidates_fault():
    bad_ref = ACC.replace("assign y = ^q;", "assign y = ^q; nosuch u(.a(d));")
    v = verify(Problem(task_id="r", top="TopModule", ref=bad_ref, ref_top="RefModule"), GOOD, seed=1, cycles=10)
    assert v.status.value == "error" and "reference" in v.message


def test_wrapper_compares_with_the_verilog_eval_rule():
    src = wrapper_source(analyse_reference(PROBLEM), "RefModule_href", ["TopModule_hc0"])
    assert "hdH_q = hdR_q ^ {4{1'b0}}" in src  # z on the reference becomes x: don't-care
    assert "(hdH_q ^ hdC0_q ^ hdH_q) !== hdH_q" in src


def test_reference_constants_feed_the_stimulus():
    assert set(reference_constants("case (x) 16'he06b: y = 1; 8'd200: y = 0; 3: y = 1; endcase // 16'h1234")) == {0xE06B, 200, 3}


def test_cli_verify_with_ref(tmp_path):
    ref = tmp_path / "golden.v"
    ref.write_text(ACC.replace("RefModule", "acc"))
    good = tmp_path / "mine.v"
    good.write_text(ACC.replace("RefModule", "acc"))
    bad = tmp_path / "bad.v"
    bad.write_text(ACC.replace("RefModule", "acc").replace("q + d", "q ^ d"))
    r = CliRunner().invoke(cli, ["verify", str(good), "--ref", str(ref), "--cycles", "100", "--seed", "3",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["status"] == "pass" and out["seed"] == 3 and out["samples"] == 401
    r = CliRunner().invoke(cli, ["verify", str(bad), "--ref", str(ref), "--cycles", "100", "--seed", "3"])
    assert r.exit_code == 1 and "mismatch" in r.output


def test_initial_values_are_compared():
    ref = "module R(input clk, input [7:0] d, output reg [7:0] q); initial q = 8'h0; always @(posedge clk) q <= d; endmodule"
    prob = Problem(task_id="init", top="T", ref=ref, ref_top="R")
    assert verify(prob, ref.replace("module R", "module T"), seed=1, cycles=20).status.value == "pass"
    v = verify(prob, ref.replace("module R", "module T").replace("8'h0;", "8'h80;"), seed=1, cycles=20)
    assert v.status.value == "fail" and v.mismatches == 1 and v.first_mismatch["time"] == 1


def test_sources_with_macros_skip_the_in_process_port_check_but_not_the_compile():
    mac = "`define W 4\n" + GOOD.replace("[3:0]", "[`W-1:0]")
    assert verify(PROBLEM, mac, seed=2, cycles=50).status.value == "pass"
    renamed = mac.replace("output y", "output z").replace("assign y", "assign z")
    v = verify(PROBLEM, renamed, seed=2, cycles=50)
    assert v.status.value == "compile_error" and "port ``y''" in v.message and "top module" in v.message
