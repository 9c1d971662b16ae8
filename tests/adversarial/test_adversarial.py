"""Every hostile design or testbench ends in a clear non-pass verdict within its limit, touches nothing
outside its scratch directory, leaves no process behind, and the test process survives."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from verilog_sim import Limits, Problem, verify
from verilog_sim.verdict import Status

from .cases import CASES, Case

VERILOG_TB = """module tb;
  reg [7:0] a; wire [7:0] y; integer i, errors = 0;
  TopModule dut(.a(a), .y(y));
  initial begin
    for (i = 0; i < 256; i = i + 1) begin a = i; #1; if (y !== a + 8'd1) errors = errors + 1; end
    $display("Mismatches: %0d in %0d samples", errors, 256);
    $finish;
  end
endmodule
"""

COCOTB_TEST = """import cocotb
from cocotb.triggers import Timer

@cocotb.test()
async def increments(dut):
    for a in range(256):
        dut.a.value = a
        await Timer(1, unit="ns")
        assert dut.y.value.is_resolvable and int(dut.y.value) == (a + 1) % 256, f"a={a} y={dut.y.value}"
"""

CORRECT = "module TopModule(input [7:0] a, output [7:0] y);\nassign y = a + 8'd1;\nendmodule\n"


@pytest.fixture()
def world(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n")
    hexfile = tmp_path / "secret.hex"
    hexfile.write_text("5a\n5a\n5a\n5a\n")
    inc = tmp_path / "secret_inc.v"
    inc.write_text("`define SECRET_OK 1'b1\n")
    scratch_parent = tmp_path / "scratch"
    scratch_parent.mkdir()
    monkeypatch.setenv("HDLGEN_SCRATCH", str(scratch_parent))
    values = {
        "SECRET": str(secret), "SECRET_REL": str(secret).lstrip("/"),
        "SECRET_HEX": str(hexfile), "SECRET_HEX_REL": str(hexfile).lstrip("/"),
        "SECRET_INC": str(inc), "SECRET_INC_REL": str(inc).lstrip("/"),
        "OUTSIDE": str(outside), "OUTSIDE_REL": str(outside).lstrip("/"),
        "UP": "../" * 40, "PARENT_PID": str(os.getpid()),
    }
    return values, outside, secret, scratch_parent


def _fill(text: str, values: dict[str, str]) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return text


def _problem(case: Case, source: str) -> tuple[Problem, str]:
    if case.kind == "cocotb":
        test = source if case.hostile_test else COCOTB_TEST
        return Problem(task_id=case.name, top="TopModule", test=test, test_kind="cocotb"), \
            CORRECT if case.hostile_test else source
    test = source if case.hostile_test else VERILOG_TB
    return Problem(task_id=case.name, top="TopModule", test=test, test_kind="verilog", test_top="tb",
                   pass_regex=r"^Mismatches: 0 in \d+ samples$"), CORRECT if case.hostile_test else source


def _stray_processes(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if marker in ln and "ps -eo" not in ln]


def test_suite_is_big_enough():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture()
def containment_only(monkeypatch):
    """The admission check (issue 11) rejects most of these designs before any tool runs; containment must hold
    without it, so these tests switch it off and let the designs reach the sandbox."""
    monkeypatch.setattr("verilog_sim.judge.verify.admit", lambda *a, **k: None)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, world, containment_only):
    values, outside, secret, scratch_parent = world
    problem, design = _problem(case, _fill(case.source, values))
    limits = Limits(wall_s=case.wall_s, memory_mb=case.memory_mb or Limits().memory_mb)
    started = time.perf_counter()
    v = verify(problem, design, limits=limits)
    elapsed = time.perf_counter() - started

    assert v.status.value in case.expect, f"{case.name}: {v.status.value}: {v.message}"
    assert v.status is not Status.PASS
    # two sandboxed steps (compile, simulate) each bounded by wall_s, plus start-up slack
    assert elapsed < 2 * case.wall_s + 6, f"{case.name} took {elapsed:.1f} s"
    if v.status in (Status.TIMEOUT, Status.RESOURCE_LIMIT):
        assert "limit" in v.message
    assert list(outside.iterdir()) == [], f"{case.name} wrote outside scratch"
    assert secret.read_text() == "top secret\n"
    assert not Path("/tmp/hdlgen-adversarial-pwned.txt").exists()
    assert list(scratch_parent.iterdir()) == [], "scratch directory was not removed"
    assert _stray_processes(str(scratch_parent)) == []
    if case.name == "cocotb_orphan_child":
        assert not [p for p in _stray_processes("sleep 1000")], "a child of the simulation outlived it"


def test_sandbox_hole_would_be_caught(world, containment_only):
    """The gated designs really pass when their hostile action succeeds: prove it with a permitted path."""
    values, outside, secret, scratch_parent = world
    design = ("module TopModule(input [7:0] a, output [7:0] y);\ninteger fd;\n"
              "initial fd = $fopen(\"/usr/lib/os-release\", \"r\");\n"
              "assign y = (fd != 0) ? a + 8'd1 : 8'd0;\nendmodule\n")
    problem, _ = _problem(CASES[0], "")
    assert verify(problem, design, timeout=10).status is Status.PASS


# --- hostile inputs: judged before any tool runs -------------------------------------------------------

INPUT_PROBLEM = Problem(task_id="inputs", top="TopModule", test=VERILOG_TB, test_kind="verilog", test_top="tb",
                        pass_regex=r"^Mismatches: 0 in \d+ samples$")


def test_fifty_megabyte_input_is_refused_quickly():
    text = "```verilog\n" + CORRECT + "// " + "x" * (50 * 2**20) + "\n```"
    t = time.perf_counter()
    v = verify(INPUT_PROBLEM, text)
    assert v.status is Status.RESOURCE_LIMIT and "input size" in v.message
    assert time.perf_counter() - t < 5


def test_binary_garbage_is_no_code_or_syntax_error():
    garbage = os.urandom(200_000).decode("latin-1")
    assert verify(INPUT_PROBLEM, garbage).status in (Status.NO_CODE, Status.SYNTAX_ERROR)
    with_module = "module TopModule(input [7:0] a, output [7:0] y);\x00\x01\xff assign y = a; endmodule"
    assert verify(INPUT_PROBLEM, with_module).status in (Status.SYNTAX_ERROR, Status.COMPILE_ERROR, Status.FAIL)


def test_deeply_nested_expression_is_rejected_not_crashing():
    depth = 20_000
    design = f"module TopModule(input [7:0] a, output [7:0] y);\nassign y = {'(' * depth}a{')' * depth};\nendmodule\n"
    v = verify(INPUT_PROBLEM, design, timeout=10)
    assert v.status in (Status.SYNTAX_ERROR, Status.COMPILE_ERROR, Status.TIMEOUT, Status.RESOURCE_LIMIT)


def test_pathological_fences_extract_in_bounded_time():
    text = "```verilog\nmodule " * 20_000
    t = time.perf_counter()
    v = verify(INPUT_PROBLEM, text, timeout=5)
    assert v.status is not Status.PASS
    assert time.perf_counter() - t < 15
