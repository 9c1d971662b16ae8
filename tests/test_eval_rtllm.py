"""``rtllm:PATH``: an RTLLM checkout read as problems, and verdicts equal to the by-hand Icarus flow.

The tree under ``tests/rtllm_tree`` is ours (RTLLM's data is public but not committed here), in its layout:
a v1.1 folder at the top, v2.0 category folders (one with spaces), a reference file not named after its
folder, positional ports, a data file read through an absolute path, and a VCS-only system task.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutation import sample as mutants
from rtllm_shape import plain_icarus_passes, rtllm_folder

from hdlgen.cli import cli
from hdlgen.eval.export import reference_completion
from hdlgen.eval.runner import run_eval
from verilog_sim.problem import ProblemError, load_many
from verilog_sim.verilog_eval import rtllm
from verilog_sim.verilog_eval.rules import load_benchmark

TREE = Path(__file__).resolve().parent / "rtllm_tree"
LIMIT_S = 5  # a mutant can make a generate loop endless (adder_4bit with seed 3): both flows stop it, fail it


def _by_id(root: Path = TREE) -> dict:
    return {p.task_id: p for p in load_benchmark(f"rtllm:{root}")}


def test_tree_is_read_as_reference_named_problems() -> None:
    probs = _by_id()
    assert sorted(probs) == ["accu", "adder_4bit", "alu_lut", "seq_det"]
    for p in probs.values():
        assert p.test_kind == "verilog" and p.pass_regex == "Your Design Passed"
        assert p.ref_top == (p.top if p.task_id != "alu_lut" else "verified_alu_lut")
        assert p.meta["suite"] == "rtllm" and p.prompt.startswith("Please act as")
    adder, alu, accu, seq = probs["adder_4bit"], probs["alu_lut"], probs["accu"], probs["seq_det"]
    assert (adder.top, adder.test_top, adder.meta["path"]) == ("adder_4bit", "testbench", "Arithmetic/Adder/adder_4bit")
    assert "module full_adder" in adder.ref  # verified_adder4.v: named after neither folder nor top
    assert adder.fail_regex is None  # its testbench prints no failure banner: the pass line alone decides
    assert (alu.top, alu.test_top) == ("alu_lut", "test_alu")  # positional ports, tb named test_*
    assert "module alu_lut(" in reference_completion(alu)  # the reference renamed to what the tb instantiates
    assert list(alu.extra_files) == ["reference.dat"]  # notes.txt is not read by the testbench
    assert '$readmemh("reference.dat"' in alu.test and "/home/designer" not in alu.test
    assert alu.meta["rewritten"] and "/home/designer" in alu.meta["rewritten"][0]
    assert (accu.top, accu.test_top, accu.meta["path"]) == ("accu", "tb_accu", "accu")
    assert accu.fail_regex and not alu.meta["icarus_notes"]
    assert "$fsdbDumpvars" in seq.meta["icarus_notes"][0]


def test_references_and_mutants_get_the_plain_icarus_verdict() -> None:
    """hdlgen's verdict of each design's reference and of two mutants is the by-hand flow's (compile the
    design with the testbench, run, read the pass line), including the design Icarus cannot run."""
    probs = list(load_benchmark(f"rtllm:{TREE}"))
    refs = {p.task_id: reference_completion(p) for p in probs}
    samples = {t: [ref] + [m.code for m in mutants(ref, 2, seed=4)] for t, ref in refs.items()}
    results = run_eval(probs, samples, workers=2, timeout=LIMIT_S)
    by = {p.task_id: p for p in probs}
    ours = {(r.task_id, r.completion_id): r.verdict.passed for r in results}
    plain = {(t, i): plain_icarus_passes(code, by[t].test, by[t].extra_files, LIMIT_S)
             for t, codes in samples.items() for i, code in enumerate(codes)}
    assert ours == plain
    assert {t: ours[(t, 0)] for t in samples} == {"accu": True, "adder_4bit": True, "alu_lut": True,
                                                   "seq_det": False}  # $fsdbDumpvars
    assert not all(ours.values())  # mutants fail somewhere: both flows were tested on failures too


def test_export_problems_then_eval_the_jsonl_gives_the_same_report(tmp_path: Path) -> None:
    run = CliRunner()
    problems, refs = tmp_path / "rtllm.jsonl", tmp_path / "refs.jsonl"
    res = run.invoke(cli, ["eval", "--benchmark", f"rtllm:{TREE}", "--export-problems", str(problems),
                           "--reference-samples", str(refs)], catch_exceptions=False)
    assert res.exit_code == 0 and "wrote 4 problems" in res.stderr
    assert len(load_many(problems)) == 4 and len(refs.read_text().splitlines()) == 4
    reports = []
    for bench in (f"rtllm:{TREE}", str(problems)):
        res = run.invoke(cli, ["eval", "--benchmark", bench, "--samples", str(refs), "-k", "1", "--format", "json"],
                         catch_exceptions=False)
        assert res.exit_code == 1  # seq_det's reference cannot pass under Icarus
        reports.append(json.loads(res.stdout))
    statuses = [{t["task_id"]: [s["status"] for s in t["samples"]] for t in r["tasks"]} for r in reports]
    assert statuses[0] == statuses[1]
    assert reports[0]["pass_at_k"] == reports[1]["pass_at_k"] == {"1": 0.75}
    assert "seq_det" in reports[0]["simulator_notes"]  # said in the report; the JSONL carries no meta
    text = run.invoke(cli, ["eval", "--benchmark", f"rtllm:{TREE}", "--samples", str(refs), "-k", "1"]).stdout
    assert "sensitive seq_det: calls a VCS/Verdi-only system task" in text


def test_user_mistakes_are_one_line_exit_2(tmp_path: Path) -> None:
    from hdlgen.cli import main

    assert main(["eval", "--benchmark", f"rtllm:{tmp_path / 'nope'}", "--export-problems", "x.jsonl"]) == 2
    with pytest.raises(ProblemError, match="no design folders"):
        rtllm.load(tmp_path)
    bad = tmp_path / "odd"
    bad.mkdir()
    (bad / "testbench.v").write_text("module tb; initial $display(\"hi\"); endmodule\n")
    with pytest.raises(ProblemError, match="cannot tell which module"):
        rtllm.load(tmp_path)


def test_same_folder_name_in_two_categories_gets_path_ids(tmp_path: Path) -> None:
    for cat in ("v1", "v2/Arithmetic"):
        shutil.copytree(TREE / "accu", tmp_path / cat / "accu")
    assert sorted(_by_id(tmp_path)) == ["v1/accu", "v2/Arithmetic/accu"]


def test_a_hidden_folder_is_not_a_design(tmp_path: Path) -> None:
    shutil.copytree(TREE / "accu", tmp_path / "accu")
    shutil.copytree(TREE / "accu", tmp_path / ".git" / "accu")
    assert list(_by_id(tmp_path)) == ["accu"]


def _bundled_in_rtllm_shape(repo: Path, dest: Path, names: list[str] | None = None) -> list:
    bundled = [p for p in load_many(repo / "data" / "problems") if names is None or p.task_id in names]
    for i, p in enumerate(bundled):
        rtllm_folder(dest / "Bundled" / p.task_id, p.top, p.ref, p.prompt, seed=i)
    return bundled


def _check_bundled(repo: Path, dest: Path, names: list[str] | None = None) -> None:
    bundled = _bundled_in_rtllm_shape(repo, dest, names)
    probs = load_benchmark(f"rtllm:{dest}")
    assert sorted(p.task_id for p in probs) == sorted(p.task_id for p in bundled)
    samples = {p.task_id: [reference_completion(p)] + [m.code for m in mutants(p.ref, 2, seed=5)] for p in probs}
    results = run_eval(probs, samples, workers=2, timeout=LIMIT_S)
    by = {p.task_id: p for p in probs}
    ours = {(r.task_id, r.completion_id): r.verdict.passed for r in results}
    plain = {(t, i): plain_icarus_passes(code, by[t].test, by[t].extra_files, LIMIT_S)
             for t, codes in samples.items() for i, code in enumerate(codes)}
    assert ours == plain
    assert all(ours[(t, 0)] for t in samples), [r.verdict for r in results if r.completion_id == 0 and not r.verdict.passed]


def test_some_bundled_problems_in_rtllm_shape_match_plain_icarus(tmp_path: Path, repo: Path) -> None:
    _check_bundled(repo, tmp_path, ["counter", "mux4", "lifo_stack"])


@pytest.mark.slow
def test_every_bundled_problem_in_rtllm_shape_matches_plain_icarus(tmp_path: Path, repo: Path) -> None:
    """Every problem of data/problems rewritten as an RTLLM design (reference named like the top, a
    self-checking Verilog testbench with the pass line): its reference passes, and the reference and two
    mutants each get the verdict the by-hand Icarus flow gives."""
    _check_bundled(repo, tmp_path)


def test_a_testbench_driving_inputs_at_the_sampled_edge_is_noted(tmp_path: Path) -> None:
    """``@(posedge clk) d = 1;`` against a design clocked on posedge: the same-time race RTLLM testbenches
    written for VCS can have; at the other edge it is no race and is not noted."""
    folder = tmp_path / "dff"
    folder.mkdir()
    (folder / "verified_dff.v").write_text(
        "module dff(input clk, input d, output reg q);\n  always @(posedge clk) q <= d;\nendmodule\n")
    racy = ("module tb; reg c = 0, d = 0; wire q; integer n = 0;\n  dff u(.clk(c), .d(d), .q(q));\n"
            "  always #5 c = ~c;\n  initial begin @(posedge c) d = 1; @(posedge c) n = 1; #1\n"
            '    if (q === 1) $display("Your Design Passed"); $finish; end\nendmodule\n')
    (folder / "testbench.v").write_text(racy)
    (note,) = _by_id(tmp_path)["dff"].meta["icarus_notes"]
    assert note.startswith("drives d with a blocking assignment at the clock edge")
    (folder / "testbench.v").write_text(racy.replace("@(posedge c) d = 1;", "@(negedge c) d = 1;"))
    assert _by_id(tmp_path)["dff"].meta["icarus_notes"] == []
