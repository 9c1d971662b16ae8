"""``hdlgen eval`` end to end on a small JSONL benchmark of our own: a Verilog testbench judged by
pass_regex with an extra data file, a cocotb test, and a reference-only (differential) problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hdlgen.cli import cli
from verilog_sim.problem import Problem

TB = """`timescale 1ns/1ps
module tb;
  reg [3:0] a; wire [3:0] y; reg [3:0] want [0:3]; integer i, bad = 0;
  inc4 dut(.a(a), .y(y));
  initial begin
    $readmemh("want.hex", want);
    for (i = 0; i < 4; i = i + 1) begin a = i; #1; if (y !== want[i]) bad = bad + 1; end
    if (bad == 0) $display("ALL TESTS PASSED"); else $display("FAILED %0d", bad);
    $finish;
  end
endmodule
"""
INC_OK = "module inc4(input [3:0] a, output [3:0] y);\n  assign y = a + 4'd1;\nendmodule\n"
INC_BAD = "module inc4(input [3:0] a, output [3:0] y);\n  assign y = a + 4'd2;\nendmodule\n"
XOR_REF = "module x2(input a, input b, output y);\n  assign y = a ^ b;\nendmodule\n"
XOR_BAD = "module x2(input a, input b, output y);\n  assign y = a | b;\nendmodule\n"


@pytest.fixture()
def bench(tmp_path: Path, repo: Path) -> Path:
    mux = Problem.from_dir(repo / "data" / "problems" / "mux4").to_dict()
    problems = [
        {"task_id": "inc4", "prompt": "increment", "top": "inc4", "test": TB, "test_kind": "verilog",
         "test_top": "tb", "pass_regex": "ALL TESTS PASSED", "fail_regex": "FAILED",
         "extra_files": {"want.hex": "1\n2\n3\n4\n"}},
        mux,
        {"task_id": "xor2", "prompt": "xor", "top": "x2", "ref": XOR_REF, "ref_top": "x2"},
    ]
    path = tmp_path / "bench.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in problems))
    return path


def _samples(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps({"task_id": t, "completion": c}) + "\n" for t, c in rows))
    return path


def _invoke(*args: str):  # noqa: ANN202
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def test_json_report_on_mixed_benchmark(tmp_path: Path, bench: Path, repo: Path) -> None:
    mux_ref = (repo / "data" / "problems" / "mux4" / "ref.v").read_text()
    mux_bad = mux_ref.replace("2'd1: pick = d1;", "2'd1: pick = d2;")
    assert mux_bad != mux_ref
    samples = _samples(tmp_path, [
        ("inc4", f"Sure:\n```verilog\n{INC_OK}```"), ("inc4", INC_BAD), ("inc4", "no idea"), ("inc4", INC_OK),
        ("mux4", mux_ref), ("mux4", mux_bad), ("xor2", XOR_REF), ("xor2", XOR_BAD)])
    res = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1,2,4", "--format", "json",
                  "--missing", "skip")
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert {"benchmark", "samples_file", "pass_at_k", "tools", "seconds", "tasks"} <= set(report)
    assert report["tools"]["simulator"].startswith("Icarus Verilog")
    tasks = {t["task_id"]: t for t in report["tasks"]}
    assert [t["task_id"] for t in report["tasks"]] == ["inc4", "mux4", "xor2"]  # benchmark order
    inc = tasks["inc4"]
    assert (inc["n"], inc["passed"]) == (4, 2)
    assert [s["completion_id"] for s in inc["samples"]] == [0, 1, 2, 3]
    assert [s["status"] for s in inc["samples"]] == ["pass", "fail", "no_code", "pass"]
    assert [s["status"] for s in tasks["mux4"]["samples"]] == ["pass", "fail"]
    assert [s["status"] for s in tasks["xor2"]["samples"]] == ["pass", "fail"]
    assert set(report["pass_at_k"]) == {"1", "2"}  # 4 > n of mux4 and xor2
    assert report["pass_at_k"]["1"] == pytest.approx((2 / 4 + 1 / 2 + 1 / 2) / 3)
    assert report["status_counts"] == {"fail": 3, "no_code": 1, "pass": 4}
    assert report["n_judged"] == 7  # the repeated INC_OK was judged once


def test_text_report_and_exit_zero_when_all_pass(tmp_path: Path, bench: Path) -> None:
    samples = _samples(tmp_path, [("inc4", INC_OK), ("inc4", INC_OK)])
    res = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1", "--missing", "skip")
    assert res.exit_code == 0, res.output
    assert "inc4" in res.stdout and "pass@1" in res.stdout and "100.00%" in res.stdout
    assert "Icarus Verilog" in res.stdout
    assert "2 of 3 tasks have no samples: not scored (--missing skip)" in res.stderr
    assert "--missing skip: 2 benchmark tasks have no samples" in res.stdout


def test_missing_tasks_count_as_failed_by_default(tmp_path: Path, bench: Path) -> None:
    """As published protocols score: absent tasks (and absent samples of short tasks) fail, up to n."""
    samples = _samples(tmp_path, [("inc4", INC_OK), ("inc4", INC_OK), ("xor2", XOR_REF)])
    res = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1,2", "--format", "json")
    assert res.exit_code == 1, res.output  # every given sample passed, but absent ones count as failed
    report = json.loads(res.stdout)
    assert report["missing"] == "fail" and report["missing_tasks"] == ["mux4"]
    tasks = {t["task_id"]: t for t in report["tasks"]}
    assert [t["task_id"] for t in report["tasks"]] == ["inc4", "mux4", "xor2"]
    assert [(tasks[t]["n"], tasks[t]["passed"], tasks[t]["n_missing"]) for t in ("inc4", "mux4", "xor2")] == [
        (2, 2, 0), (2, 0, 2), (2, 1, 1)]
    assert report["pass_at_k"]["1"] == pytest.approx((1 + 0 + 0.5) / 3)
    assert report["pass_at_k"]["2"] == pytest.approx((1 + 0 + 1) / 3)
    res = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1", "--missing", "skip",
                  "--format", "json")
    skip = json.loads(res.stdout)
    assert skip["missing"] == "skip" and [t["task_id"] for t in skip["tasks"]] == ["inc4", "xor2"]
    assert skip["pass_at_k"]["1"] == 1.0 and res.exit_code == 0
    text = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1").stdout
    assert "--missing fail: 3 absent samples counted as failed" in text
    assert "no samples: counted as failed" in text  # the mux4 row's reason


def test_results_file_and_reasons_with_file_and_line(tmp_path: Path, bench: Path) -> None:
    broken = INC_OK.replace("assign y = a + 4'd1;", "assign y = a + ;")
    samples = _samples(tmp_path, [("inc4", INC_OK), ("inc4", broken), ("inc4", INC_BAD), ("inc4", INC_OK)])
    out = tmp_path / "per_sample.jsonl"
    res = _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1", "--missing", "skip",
                  "--results", str(out))
    assert res.exit_code == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["task_id"], r["completion_id"], r["status"]) for r in rows] == [
        ("inc4", 0, "pass"), ("inc4", 1, "syntax_error"), ("inc4", 2, "fail"), ("inc4", 3, "pass")]
    assert {"stage", "mismatches", "message", "diagnostic", "reason", "cached"} <= set(rows[0])
    syntax = rows[1]
    assert syntax["stage"] == "syntax" and syntax["diagnostic"]["line"] == 2
    assert syntax["reason"].startswith(f"{syntax['diagnostic']['file']}:2: ")
    assert rows[2]["reason"] and rows[3]["cached"] is True
    # the text report's reason column names the first failing sample with its place
    row = next(line for line in res.stdout.splitlines() if line.startswith("inc4"))
    assert "#1 syntax_error: " in row and ":2: " in row
    # --missing fail writes the absent samples too, marked
    _invoke("--benchmark", str(bench), "--samples", str(samples), "-k", "1", "--results", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    missing = [r for r in rows if r.get("missing")]
    assert len(rows) == 12 and len(missing) == 8 and {r["status"] for r in missing} == {"fail"}
    assert sorted({r["task_id"] for r in missing}) == ["mux4", "xor2"]


def test_usage_errors_exit_2(tmp_path: Path, bench: Path) -> None:
    good = _samples(tmp_path, [("inc4", INC_OK)])
    res = _invoke("--benchmark", str(bench), "--samples", str(tmp_path / "missing.jsonl"))
    assert res.exit_code == 2 and "cannot read samples" in res.stderr
    unknown = tmp_path / "u.jsonl"
    unknown.write_text(json.dumps({"task_id": "nope", "completion": "x"}) + "\n")
    res = _invoke("--benchmark", str(bench), "--samples", str(unknown))
    assert res.exit_code == 2 and "'nope' not in benchmark" in res.stderr
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"task_id": "inc4", "completion": 3}\n')
    res = _invoke("--benchmark", str(bench), "--samples", str(broken))
    assert res.exit_code == 2 and "b.jsonl:1" in res.stderr
    res = _invoke("--benchmark", str(bench), "--samples", str(good), "-k", "0,x")
    assert res.exit_code == 2


def test_main_maps_unknown_benchmark_to_exit_2(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from hdlgen.cli import main

    samples = _samples(tmp_path, [("inc4", INC_OK)])
    assert main(["eval", "--benchmark", "verilog-eval-v9", "--samples", str(samples)]) == 2
    assert "not a benchmark name" in capsys.readouterr().err


def test_verilog_eval_by_name_with_lenient(tmp_path: Path, bench_dir: Path) -> None:
    from verilog_sim.verilog_eval import rules as ve

    p = {q.task_id: q for q in ve.load_benchmark("verilog-eval-v1-human")}["gatesv"]
    warned = "\tassign t = in[0];\n" + p.meta["canonical_solution"]
    samples = _samples(tmp_path, [("gatesv", p.meta["canonical_solution"]), ("gatesv", warned)])
    official = json.loads(_invoke("--benchmark", "verilog-eval-v1-human", "--samples", str(samples),
                                  "--format", "json", "--missing", "skip").stdout)
    assert [s["status"] for s in official["tasks"][0]["samples"]] == ["pass", "compile_error"]
    assert official["lenient"] is False and len(official["missing_tasks"]) == 155
    res = _invoke("--benchmark", "verilog-eval-v1-human", "--samples", str(samples), "--format", "json", "--lenient",
                  "--missing", "skip")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["lenient"] is True


def test_eval_accepts_the_bundled_problems_folder(tmp_path: Path, repo: Path):
    problems = repo / "data" / "problems"
    samples = tmp_path / "s.jsonl"
    rows = [{"task_id": "mux4", "completion": (problems / "mux4" / "ref.v").read_text()},
            {"task_id": "mux4", "completion": "no verilog here"}]
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = CliRunner().invoke(cli, ["eval", "--benchmark", str(problems), "--samples", str(samples),
                                   "--format", "json", "--missing", "skip"])
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    task = next(t for t in report["tasks"] if t["task_id"] == "mux4")
    assert [s["status"] for s in task["samples"]] == ["pass", "no_code"]
    assert report["pass_at_k"]["1"] == 0.5
