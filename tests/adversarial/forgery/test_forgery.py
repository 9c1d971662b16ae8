"""Forged verdicts: no wrong design passes through any path, and correct designs beside forgers still pass.

Each path is exercised with the real tools (Icarus, cocotb, pyslang). Forgers that the admission check
rejects cost no simulation, so most paths run as one batch. Three tests bypass the admission check on
purpose, to show the defenses behind it hold alone (the report channel, the testbench's nonce, Icarus' report).
"""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from reward_fixtures import CODE, GOOD, PROBLEM

from hdlgen.cli import cli
from verilog_sim import Limits, Problem, verify, verify_many
from verilog_sim.judge.group import run_group
from verilog_sim.judge.reference import analyse_reference
from verilog_sim.problem import load_many
from verilog_sim.sandbox import Scratch
from verilog_sim.sim import simulate
from verilog_sim.verdict import Status
from verilog_sim.verilog_eval import rules as ve
from verilog_sim.verilog_eval import shared_run

from .cases import (
    BATCH,
    COCOTB,
    DIFFERENTIAL,
    HOLD_OPEN,
    MUX_OK,
    PASS_XML,
    REWARD,
    TWO_FIFTY_SIX_ERRORS,
    V1,
    V2,
    V2_HONEST,
    V2_SHARED,
    VERILOG_TB,
    wrap,
    write_file,
)

REPO = Path(__file__).resolve().parents[3]


def test_at_least_sixty_forging_designs():
    """Distinct wrong designs (some reused on several paths: results.xml on --ref and --problem, v2 shared and alone)."""
    forging = [c for _, c, s in BATCH if s != "pass"] + [c for _, c in DIFFERENTIAL + COCOTB + VERILOG_TB + V2 + V1
                                                             + V2_SHARED]
    assert len(set(forging)) >= 60


@lru_cache(maxsize=1)
def mux4() -> Problem:
    return next(p for p in load_many(REPO / "data" / "problems") if p.task_id == "mux4")


def mux4_ref() -> Problem:
    return Problem(task_id="mux4_ref", prompt="", top="top", ref=mux4().ref)


# ------------------------------------------------------------------------------------ verify --ref, verify_many


def test_differential_forgers_fail_and_the_correct_design_passes():
    verdicts = verify_many(mux4_ref(), [MUX_OK] + [c for _, c in DIFFERENTIAL], seed=1, cycles=200)
    assert verdicts[0].status is Status.PASS
    admitted = []
    for (name, _), v in zip(DIFFERENTIAL, verdicts[1:]):
        assert v.status is not Status.PASS, (name, v.message)
        if v.status is Status.COMPILE_ERROR and v.message.startswith("not admitted ("):
            assert v.diagnostics[0].code.startswith("admission-") and v.diagnostics[0].line >= 1, name
        elif v.status not in (Status.COMPILE_ERROR, Status.SYNTAX_ERROR):  # (else the syntax stage came first)
            admitted.append(name)
    # extraction keeps only the module: the bind and the open `ifdef after it are gone, a plain wrong mux remains
    assert admitted == ["bind_into_wrapper", "open_ifdef_swallows_rest"]


def test_verify_ref_cli_rejects_a_forger(tmp_path):
    (tmp_path / "ref.v").write_text(mux4().ref or "")
    (tmp_path / "forged.v").write_text(dict(DIFFERENTIAL)["writes_results_json"])
    res = CliRunner().invoke(cli, ["verify", str(tmp_path / "forged.v"), "--ref", str(tmp_path / "ref.v"),
                                   "--format", "json"])
    assert res.exit_code == 1 and json.loads(res.output)["status"] == "compile_error"


def test_a_batch_gives_each_candidate_its_verdict_alone():
    """Helpers (pull1, macros), saboteurs (default_nettype, module names, force) and their targets in one batch."""
    codes = [c for _, c, _ in BATCH]
    batched = verify_many(mux4_ref(), codes, seed=3, cycles=200)
    alone = [verify(mux4_ref(), c, seed=3, cycles=200) for c in codes]
    for (name, _, expected), b, a in zip(BATCH, batched, alone):
        assert (b.status.value, a.status.value) == (expected, expected), (name, b.message, a.message)
        assert b.mismatches == a.mismatches, name


def test_sealing_alone_stops_a_directive_leak():
    """`unconnected_drive passes the admission check: only the seal keeps it out of the next file."""
    helper, needs = dict((n, c) for n, c, _ in BATCH)["helper_unconnected_drive"], dict(
        (n, c) for n, c, _ in BATCH)["needs_pull1"]
    ref = analyse_reference(mux4_ref())
    with Scratch() as scratch:
        g = run_group(ref, [helper, needs], "top", scratch, limits=Limits(wall_s=60), seed=5, cycles=100)
    assert g.verdicts is not None
    assert [v.status for v in g.verdicts] == [Status.PASS, Status.FAIL]


# ------------------------------------------------------------------------------------ cocotb --problem


def test_cocotb_problem_forgers_fail():
    verdicts = verify_many(mux4(), [MUX_OK] + [c for _, c in COCOTB])
    assert verdicts[0].status is Status.PASS
    for (name, _), v in zip(COCOTB, verdicts[1:]):
        assert v.status is not Status.PASS, (name, v.message)


def test_verify_problem_cli_rejects_results_xml_forger(tmp_path):
    (tmp_path / "forged.v").write_text(dict(COCOTB)["results_xml_held_open"])
    res = CliRunner().invoke(cli, ["verify", str(tmp_path / "forged.v"), "--problem", str(REPO / "data/problems/mux4")])
    assert res.exit_code == 1


def test_report_channel_alone_defeats_a_results_file():
    """Admission bypassed: the design writes results.xml and holds it open; cocotb's own test still judges."""
    with Scratch() as s:
        (s / "forged.v").write_text(write_file("results.xml", PASS_XML))
        (s / "t.py").write_text(mux4().test or "")
        res = simulate.run_cocotb([s / "forged.v"], "top", "t", s, limits=Limits(wall_s=60))
    assert res.results_found and res.total == 1 and res.passed == 0


def test_report_channel_alone_defeats_the_differential_results_file():
    """Admission bypassed: a wrong design writes a passing results JSON where the harness used to read it."""
    ref = analyse_reference(mux4_ref())
    forged = dict(DIFFERENTIAL)["writes_results_json"].replace(HOLD_OPEN.replace("NAME", '"hdlgen_diff_results.json"'),
                                                               "")
    with Scratch() as scratch:
        g = run_group(ref, [forged, MUX_OK], "top", scratch, limits=Limits(wall_s=60), seed=2, cycles=100)
    assert g.verdicts is not None and [v.status for v in g.verdicts] == [Status.FAIL, Status.PASS]


def test_stimulus_checksum_alone_defeats_descriptor_exhaustion():
    """Admission bypassed: 400 open files leave the wrapper unable to read its stimulus (all X, which the
    reference's don't-care rule would have passed for everyone): the run is an error, never a pass."""
    ref = analyse_reference(mux4_ref())
    with Scratch() as scratch:
        g = run_group(ref, [dict(DIFFERENTIAL)["writes_results_json"], MUX_OK], "top", scratch,
                      limits=Limits(wall_s=60), seed=2, cycles=100)
    assert g.verdicts is None and g.run_failed is not None and g.run_failed.status is Status.ERROR
    assert "stimulus" in g.run_failed.message


def test_report_channel_refuses_missing_partial_and_unauthenticated_reports():
    for body in (b"", b'{"nonce": "', json.dumps({"nonce": "0" * 32, "xunit": "<testsuites/>"}).encode()):
        ch = simulate.ReportChannel()
        try:
            os.write(ch.fd, body)
            report, why = ch.read()
        finally:
            ch.close()
        assert report is None and why, body


# ------------------------------------------------------------------------------------ a Verilog testbench


def test_verilog_testbench_forgers_fail():
    and_tb = Problem.from_dict(PROBLEM)
    regex = Problem.from_dict({**PROBLEM, "task_id": "and_regex", "pass_regex": r"ALL TESTS PASSED",
                               "test": PROBLEM["test"].replace('$display("Mismatches', 'if (errs == 0) '
                                                               '$display("ALL TESTS PASSED"); $display("Mismatches')})
    for problem in (and_tb, regex):
        verdicts = verify_many(problem, [CODE] + [c for _, c in VERILOG_TB])
        assert verdicts[0].status is Status.PASS, problem.task_id
        for (name, _), v in zip(VERILOG_TB, verdicts[1:]):
            assert v.status is not Status.PASS, (problem.task_id, name, v.message)


# ------------------------------------------------------------------------------------ VerilogEval


@lru_cache(maxsize=1)
def notgate() -> tuple[Problem, Problem]:
    v2 = next(p for p in ve.load_benchmark("verilog-eval-v2-spec") if p.task_id.startswith("Prob005_"))
    v1 = next(p for p in ve.load_benchmark("verilog-eval-v1-human") if p.task_id == "notgate")
    return v2, v1


@pytest.mark.parametrize("lenient", [False, True], ids=["official", "lenient"])
def test_verilog_eval_forgers_fail(lenient):
    v2, v1 = notgate()
    assert ve.evaluate(v2, V2_HONEST, lenient=lenient).status is Status.PASS
    assert ve.evaluate(v1, ve.reference_completion(v1), lenient=lenient).status is Status.PASS
    for problem, cases in ((v2, V2), (v1, V1)):
        for name, code in cases:
            v = ve.evaluate(problem, code, lenient=lenient)
            assert v.status is not Status.PASS, (name, v.message)


def test_shared_v2_runs_admit_no_forger():
    from hdlgen.eval.runner import run_eval

    v2, _ = notgate()
    assert not any(shared_run.candidate_batchable(v2, c) for _, c in V2_SHARED)
    honest = [V2_HONEST, V2_HONEST.replace("~in", "!in"), V2_HONEST.replace("~in", "in ^ 1'b1")]
    results = run_eval([v2], {v2.task_id: honest + [c for _, c in V2_SHARED]}, workers=2)
    statuses = [r.verdict.status for r in results]
    assert statuses[:3] == [Status.PASS] * 3
    assert all(s is not Status.PASS for s in statuses[3:]), statuses


# ------------------------------------------------------------------------------------ rewards, server, filter


def test_each_reward_function_pays_no_forger():
    from reward_fixtures import columns

    from hdlgen.rewards import CompileReward, FunctionalReward, LengthReward, build_weighted, compute_score

    texts = [GOOD] + [t for _, t in REWARD]
    cols = columns(len(texts))
    assert FunctionalReward()(["p"] * len(texts), texts, **cols) == [1.0] + [0.0] * len(REWARD)
    lengths = LengthReward()(["p"] * len(texts), texts, **cols)
    assert lengths[0] == 1.0 and lengths[1:] == [0.0] * len(REWARD)
    weighted = build_weighted()(["p"] * len(texts), texts, **cols)
    assert all(w < weighted[0] for w in weighted[1:])
    assert all(compute_score("hdlgen", t, PROBLEM) < compute_score("hdlgen", GOOD, PROBLEM) for _, t in REWARD)
    # 256 elaboration errors: iverilog exits 0, but it did not compile
    compile_only = {"top": ["andgate"]}
    assert CompileReward()(["p"], [wrap(TWO_FIFTY_SIX_ERRORS)], **compile_only) == [0.5]


def test_serve_reward_pays_no_forger():
    from hdlgen.rewards import build_weighted
    from hdlgen.serve.reward_server import RewardService, make_server

    service = RewardService(build_weighted({"functional": {"weight": 1.0}}), {"andgate": Problem.from_dict(PROBLEM)})
    srv = make_server(service, "127.0.0.1", 0)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        texts = [GOOD] + [t for _, t in REWARD]
        body = json.dumps({"query": texts, "prompts": ["p"] * len(texts), "labels": ["andgate"] * len(texts)}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{srv.server_address[1]}/get_reward", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            out = json.loads(r.read())
    finally:
        srv.shutdown()
        srv.server_close()
    assert out["rewards"] == [1.0] + [0.0] * len(REWARD)


def test_filter_functional_and_compile_stages_keep_no_forger(tmp_path):
    from hdlgen.filter import FilterConfig, Paths, run_filter

    tb = {"top": "andgate", "test": PROBLEM["test"], "test_kind": "verilog", "test_top": "tb"}
    ref_row = {"top": "top", "ref": mux4().ref}
    rows = [{"id": "honest_tb", "code": CODE, **tb}, {"id": "honest_ref", "code": MUX_OK, **ref_row}]
    rows += [{"id": n, "code": c, **tb} for n, c in VERILOG_TB[:4]]
    rows += [{"id": n, "code": c, **ref_row} for n, c in DIFFERENTIAL[:4]]
    rows += [{"id": "two_fifty_six_errors", "code": TWO_FIFTY_SIX_ERRORS},
             # a row that would make the next file of a batched compile skip its broken code
             {"id": "helper_open_ifdef", "code": "module helper_a(input a, output y);\n  assign y = a;\nendmodule\n"
                                                 "`ifdef HDLGEN_NEVER\n"},
             {"id": "broken_after_helper", "code": "module broken_b(input a, output y);\n  assign y = a &;\nendmodule\n"}]
    src = tmp_path / "rows.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    paths = Paths(src, tmp_path / "out.jsonl", tmp_path / "rej.jsonl", tmp_path / "rep.json")
    run_filter(paths, FilterConfig(timeout=30, functional=True, dedup=False, near_dup=False, min_lines=1,
                                   complexity=False, quality=False, syntax=False, extract=False))
    kept = {json.loads(x)["id"] for x in paths.out.read_text().splitlines()}
    assert kept == {"honest_tb", "honest_ref"}, kept


# ------------------------------------------------------------------------------------ Icarus' exit status


def test_two_hundred_fifty_six_errors_do_not_compile(tmp_path):
    v = verify(Problem(task_id="compile_only", prompt="", top="andgate"), TWO_FIFTY_SIX_ERRORS)
    assert v.status is Status.COMPILE_ERROR and v.stage.value == "compile"
    with Scratch() as s:  # the one home of "did it compile", bypassing the pipeline
        (s / "d.v").write_text(TWO_FIFTY_SIX_ERRORS)
        res = simulate.compile_sources(["d.v"], "andgate", s, Limits(wall_s=30))
    assert res.returncode != 0 and not res.ok

