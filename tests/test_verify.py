"""The verify pipeline end to end on real Icarus + cocotb: each stage's verdict."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hdlgen.cli import cli
from verilog_sim import Problem, Stage, Status, verify
from verilog_sim.problem import ProblemError

COUNTER = """module counter(input clk, input rst, input en, output reg [3:0] q);
  always @(posedge clk) if (rst) q <= 4'd0; else if (en) q <= q + 4'd1;
endmodule
"""

COCOTB_TEST = """import random
import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, RisingEdge, ReadOnly

@cocotb.test()
async def counts_with_enable(dut):
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst.value = 1
    dut.en.value = 0
    await RisingEdge(dut.clk)
    await FallingEdge(dut.clk)
    dut.rst.value = 0
    model = 0
    for cycle in range(100):
        en = random.randint(0, 1)
        dut.en.value = en
        await RisingEdge(dut.clk)
        await ReadOnly()
        model = (model + en) % 16
        assert int(dut.q.value) == model, f"cycle {cycle}: expected {model}, got {int(dut.q.value)}"
        await FallingEdge(dut.clk)

@cocotb.test()
async def reset_clears(dut):
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst.value = 1
    dut.en.value = 1
    await RisingEdge(dut.clk)
    await ReadOnly()
    assert int(dut.q.value) == 0
"""

TB = """module tb;
  reg [3:0] a, b; wire [4:0] s; integer i, errors = 0;
  adder dut(.a(a), .b(b), .s(s));
  initial begin
    for (i = 0; i < 256; i = i + 1) begin {a, b} = i; #1; if (s !== a + b) errors = errors + 1; end
    $display("Mismatches: %0d in %0d samples", errors, 256);
    $finish;
  end
endmodule
"""
ADDER = "module adder(input [3:0] a, input [3:0] b, output [4:0] s);\n  assign s = a + b;\nendmodule\n"


@pytest.fixture(scope="module")
def cocotb_problem():
    return Problem(task_id="counter", top="counter", test=COCOTB_TEST, test_kind="cocotb")


@pytest.fixture(scope="module")
def tb_problem():
    return Problem(task_id="adder", top="adder", test=TB, test_kind="verilog", test_top="tb",
                   pass_regex=r"^Mismatches: 0 in \d+ samples$")


def test_cocotb_pass_counts_tests(cocotb_problem):
    v = verify(cocotb_problem, f"Here you go:\n```verilog\n{COUNTER}```\n", seed=3)
    assert v.status is Status.PASS and v.stage is Stage.SIMULATE
    assert (v.tests.total, v.tests.passed) == (2, 2)
    assert v.seed == 3 and v.tools["simulator"].startswith("Icarus Verilog")


def test_cocotb_failure_names_the_test_and_cycle(cocotb_problem):
    v = verify(cocotb_problem, COUNTER.replace("q + 4'd1", "q + 4'd2"), seed=1)
    assert v.status is Status.FAIL and v.tests.total == 2 and v.tests.passed == 1
    assert "counts_with_enable" in v.message and "cycle" in v.message


def test_no_code(cocotb_problem):
    v = verify(cocotb_problem, "I cannot write this module, sorry.")
    assert (v.status, v.stage) == (Status.NO_CODE, Stage.EXTRACT)


def test_syntax_error_has_a_line_number(cocotb_problem):
    broken = COUNTER.replace("q <= 4'd0;", "q <= 4'd0")
    v = verify(cocotb_problem, broken, filename="mine.v")
    assert v.status is Status.SYNTAX_ERROR and v.stage is Stage.SYNTAX
    assert v.diagnostics and v.diagnostics[0].file == "mine.v" and v.diagnostics[0].line == 2


def test_missing_top_module(cocotb_problem):
    v = verify(cocotb_problem, COUNTER.replace("module counter", "module count"))
    assert v.status is Status.COMPILE_ERROR and "counter" in v.message


def test_compile_error_diagnostics_point_at_the_design(cocotb_problem):
    v = verify(cocotb_problem, COUNTER.replace("  always", "  missing_sub u0(.x(q));\n  always"),
               filename="mine.v")
    assert v.status is Status.COMPILE_ERROR and v.stage is Stage.COMPILE
    assert any(d.file == "mine.v" and d.line == 2 for d in v.diagnostics)


def test_undeclared_name_is_a_compile_error_not_a_syntax_error(cocotb_problem):
    v = verify(cocotb_problem, COUNTER.replace("q + 4'd1", "q + undeclared_sig"), filename="mine.v")
    assert (v.status, v.stage) == (Status.COMPILE_ERROR, Stage.COMPILE)
    assert v.diagnostics[0].line == 2 and "undeclared_sig" in v.diagnostics[0].message


def test_verilog_testbench_pass_and_fail(tb_problem):
    good = verify(tb_problem, ADDER)
    assert good.status is Status.PASS and (good.mismatches, good.samples) == (0, 256)
    bad = verify(tb_problem, ADDER.replace("a + b", "a | b"))
    assert bad.status is Status.FAIL and bad.mismatches and bad.mismatches > 0


def test_fail_regex_wins(tb_problem):
    p = Problem.from_dict({**tb_problem.to_dict(), "fail_regex": r"^Mismatches"})
    assert verify(p, ADDER).status is Status.FAIL


def test_extra_files_are_placed_beside_the_sources():
    design = ("module rom(input [1:0] a, output [7:0] d);\n reg [7:0] m [0:3];\n"
              " initial $readmemh(\"rom.hex\", m);\n assign d = m[a];\nendmodule\n")
    tb = ("module tb; reg [1:0] a; wire [7:0] d; rom r(.a(a), .d(d));\n"
          " initial begin a = 2; #1 if (d === 8'h33) $display(\"PASS\"); else $display(\"FAIL %h\", d); $finish; end\n"
          "endmodule\n")
    p = Problem(task_id="rom", top="rom", test=tb, test_kind="verilog", test_top="tb", pass_regex=r"^PASS$",
                extra_files={"rom.hex": "11\n22\n33\n44\n"})
    assert verify(p, design).status is Status.PASS
    for bad_name in ("../evil.hex", "/tmp/evil.hex"):  # the problem's fault, said when it is loaded
        with pytest.raises(ProblemError, match="relative path"):
            Problem.from_dict({**p.to_dict(), "extra_files": {bad_name: "00"}})


def test_compile_only_when_no_test_or_reference():
    v = verify(Problem(task_id="bare", top="adder"), ADDER)
    assert v.status is Status.PASS and v.stage is Stage.COMPILE and "compilation only" in v.message


def test_cli_verify_test_exit_codes_and_json(tmp_path):
    design = tmp_path / "counter.v"
    design.write_text(COUNTER)
    test = tmp_path / "test_counter.py"
    test.write_text(COCOTB_TEST)
    runner = CliRunner()
    ok = runner.invoke(cli, ["verify", str(design), "--test", str(test), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert doc["status"] == "pass" and doc["tests"] == {"total": 2, "passed": 2}
    design.write_text(COUNTER.replace("4'd1", "4'd3"))
    bad = runner.invoke(cli, ["verify", str(design), "--test", str(test)])
    assert bad.exit_code == 1 and "FAIL" in bad.output


def test_cli_verify_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["verify", str(tmp_path / "x.v")]).exit_code == 2
    from hdlgen.cli import main

    assert main(["verify", str(tmp_path / "missing.v"), "--test", str(tmp_path / "t.py")]) == 2


def test_compiler_messages_do_not_leak_scratch_paths():
    from verilog_sim.sim.simulate import iverilog_diagnostics

    text = "/tmp/hdlgen-ab12/candidate.v:3: error: 'q' already declared at /tmp/x/hdlgen-ab12/candidate.v:2"
    d = iverilog_diagnostics(text)[0]
    assert (d.file, d.line) == ("candidate.v", 3)
    assert "hdlgen-" not in d.message and d.message.endswith("at candidate.v:2")
