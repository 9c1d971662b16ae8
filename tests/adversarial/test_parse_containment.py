"""Untrusted text is parsed only in the bounded worker: a parser crash, a parse that would take minutes or
gigabytes, or quadratic text gives that one input a verdict, and the caller (and the other candidates) live on."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from verilog_sim import Limits, Problem, verify, verify_many
from verilog_sim.sandbox import worker
from verilog_sim.source.extract import extract_verilog
from verilog_sim.source.rename import rename_units
from verilog_sim.verdict import Stage, Status

REF = "module TopModule(input [7:0] a, output [7:0] y);\nassign y = a + 8'd1;\nendmodule\n"
WRONG = REF.replace("8'd1", "8'd2")
DIFF = Problem(task_id="diff", top="TopModule", ref=REF)
# 200 KB: pyslang recurses once per operator and segfaults (exit 139 of `hdlgen verify` before the worker)
SEGFAULT = ("module TopModule(input [7:0] a, output [7:0] y);\nassign y = "
            + " + ".join(["a"] * 50_000) + ";\nendmodule\n")


def instance_tree(depth: int) -> str:
    """Every level instantiates two children with distinct parameters: 2**depth distinct instances, each
    elaborated by pyslang (30 s and 4.6 GB at depth 20 in the syntax stage before the worker)."""
    return (REF + "module node #(parameter N = 0, parameter K = 0) ();\n"
            "  generate if (N > 0) begin : g\n"
            "    node #(.N(N - 1), .K(2 * K)) l();\n    node #(.N(N - 1), .K(2 * K + 1)) r();\n"
            "  end endgenerate\nendmodule\n"
            f"module top2();\n  node #(.N({depth})) root();\nendmodule\n")


@pytest.fixture(autouse=True)
def _workers_stopped():
    yield
    worker.shutdown()


def test_parser_segfault_is_an_error_verdict_of_the_syntax_stage():
    t = time.perf_counter()
    v = verify(DIFF, SEGFAULT, timeout=20)
    assert (v.status, v.stage) == (Status.ERROR, Stage.SYNTAX) and "SIGSEGV" in v.message
    assert time.perf_counter() - t < 20
    assert verify(DIFF, REF, timeout=20).status is Status.PASS  # a fresh worker took over


def test_parser_segfault_costs_only_its_own_verdict_in_a_batch():
    vs = verify_many(DIFF, [REF, SEGFAULT, WRONG, SEGFAULT], timeout=20)
    assert [v.status for v in vs] == [Status.PASS, Status.ERROR, Status.FAIL, Status.ERROR]


def test_hdlgen_verify_survives_the_segfault(tmp_path):
    (tmp_path / "bad.v").write_text(SEGFAULT)
    (tmp_path / "ref.v").write_text(REF)
    out = subprocess.run([sys.executable, "-c", "from hdlgen.cli import main; raise SystemExit(main())", "verify", str(tmp_path / "bad.v"), "--ref",
                          str(tmp_path / "ref.v"), "--top", "TopModule"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode not in (-11, 139), out.stderr[-500:]
    assert "SIGSEGV" in out.stdout + out.stderr


def test_instance_tree_is_bounded_by_the_timeout():
    t = time.perf_counter()
    v = verify(DIFF, instance_tree(24), limits=Limits(wall_s=3, memory_mb=1024))
    assert v.status is Status.RESOURCE_LIMIT and v.stage is Stage.SYNTAX, v.message
    assert "limit" in v.message and time.perf_counter() - t < 8


@pytest.mark.slow  # grows a parser to its memory limit
def test_instance_tree_is_bounded_by_memory():
    v = verify(DIFF, instance_tree(24), limits=Limits(wall_s=60, memory_mb=400))
    assert v.status is Status.RESOURCE_LIMIT and v.stage is Stage.SYNTAX, v.message


def test_forty_thousand_modules_extract_and_rename_in_linear_time():
    text = "".join(f"module m{i}; endmodule\n" for i in range(40_000))  # 1 MB: 90 s when quadratic
    t = time.perf_counter()
    code = extract_verilog(text, "TopModule")
    renamed, mapping = rename_units(code, "_x")
    assert len(mapping) == 40_000 and "module m39999_x;" in renamed
    assert time.perf_counter() - t < 5


def test_eval_shared_run_routing_survives_the_segfault():
    """VerilogEval's shared runs ask pyslang whether a sample parses: in the worker, so the crash is a 'no'."""
    from verilog_sim.verilog_eval.shared_run import candidate_batchable

    problem = Problem(task_id="v2", top="TopModule", ref=REF.replace("TopModule", "RefModule"), meta={"suite": "v2"})
    assert candidate_batchable(problem, SEGFAULT) is False
    assert candidate_batchable(problem, REF) is True
