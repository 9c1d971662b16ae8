"""Reference-named problems: the reference module has the same name as ``top`` (RTLLM's ``verified_accu.v``
defines ``accu``; the testbench instantiates ``accu``). A testbench judges the candidate alone; the
differential path renames the reference apart."""

from __future__ import annotations

from verilog_sim import Problem, verify, verify_many
from verilog_sim.judge.verify import reference_beside_testbench
from verilog_sim.verdict import Status

ACC_REF = """module accu(input clk, input rst_n, input [3:0] d, output reg [7:0] sum);
  always @(posedge clk or negedge rst_n)
    if (!rst_n) sum <= 8'd0; else sum <= sum + d;
endmodule
"""
ACC_BAD = ACC_REF.replace("sum + d", "sum - d")
ACC_TB = """`timescale 1ns/1ps
module testbench;
  reg clk = 0, rst_n = 0; reg [3:0] d = 0; wire [7:0] sum; integer i, error = 0; reg [7:0] want = 0;
  accu uut(.clk(clk), .rst_n(rst_n), .d(d), .sum(sum));
  always #5 clk = ~clk;
  initial begin
    #12 rst_n = 1;
    for (i = 0; i < 20; i = i + 1) begin
      d = i[3:0]; @(posedge clk); #1 want = want + i[3:0];
      if (sum !== want) error = error + 1;
    end
    if (error == 0) $display("===========Your Design Passed===========");
    else $display("===========Error=========== %0d", error);
    $finish;
  end
endmodule
"""
ACC_COCOTB = """import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge, Timer


@cocotb.test()
async def sums(dut):
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst_n.value = 0
    dut.d.value = 0
    await Timer(12, unit="ns")
    dut.rst_n.value = 1
    want = 0
    for i in range(10):
        dut.d.value = i
        await RisingEdge(dut.clk)
        await Timer(1, unit="ns")
        want = (want + i) % 256
        assert int(dut.sum.value) == want
"""


def _problem(**kw: object) -> Problem:
    return Problem(task_id="accu", prompt="accumulate d", top="accu", ref=ACC_REF, ref_top="accu", **kw)  # type: ignore[arg-type]


def test_verilog_testbench_judges_the_candidate_alone() -> None:
    p = _problem(test=ACC_TB, test_kind="verilog", test_top="testbench", pass_regex="Your Design Passed")
    assert not reference_beside_testbench(p)
    good = verify(p, ACC_REF, timeout=20)
    assert good.status is Status.PASS, good  # before: compile_error "'accu' has already been declared"
    bad = verify(p, ACC_BAD, timeout=20)
    assert bad.status is Status.FAIL and bad.stage.value == "simulate", bad
    # the batch path every consumer calls gives the same verdicts
    assert [v.status for v in verify_many(p, [ACC_REF, ACC_BAD], timeout=20)] == [Status.PASS, Status.FAIL]


def test_verilog_testbench_still_gets_a_separately_named_reference() -> None:
    """VerilogEval v2's shape: the testbench instantiates ``RefModule`` beside the candidate."""
    ref = "module RefModule(input a, output y);\n  assign y = ~a;\nendmodule\n"
    tb = """module tb;
  reg a; wire y1, y2; integer i, bad = 0;
  TopModule dut(.a(a), .y(y1)); RefModule r(.a(a), .y(y2));
  initial begin
    for (i = 0; i < 2; i = i + 1) begin a = i; #1; if (y1 !== y2) bad = bad + 1; end
    $display("Mismatches: %0d in 2 samples", bad);
  end
endmodule
"""
    p = Problem(task_id="inv", top="TopModule", ref=ref, ref_top="RefModule", test=tb, test_kind="verilog",
                test_top="tb")
    assert reference_beside_testbench(p)
    good = "module TopModule(input a, output y);\n  assign y = !a;\nendmodule\n"
    assert verify(p, good, timeout=20).status is Status.PASS
    assert verify(p, good.replace("!a", "a"), timeout=20).mismatches == 2


def test_cocotb_testbench_judges_the_candidate_alone() -> None:
    p = _problem(test=ACC_COCOTB, test_kind="cocotb")
    assert verify(p, ACC_REF, timeout=60).status is Status.PASS
    assert verify(p, ACC_BAD, timeout=60).status is Status.FAIL


def test_differential_path_renames_a_reference_named_like_top() -> None:
    p = _problem()
    verdicts = verify_many(p, [ACC_REF, ACC_BAD], timeout=30, seed=1)
    assert [v.status for v in verdicts] == [Status.PASS, Status.FAIL]
    assert verify(p, ACC_BAD, timeout=30, seed=1).status is Status.FAIL
