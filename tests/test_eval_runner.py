"""The eval runner: verdict cache keys, result order, callbacks, and the official-flow switches."""

from __future__ import annotations

import pytest

from hdlgen.eval.runner import canonical_code, run_eval
from hdlgen.eval.samples import SamplesError, read_samples
from verilog_sim.verilog_eval import rules as ve

ZERO = "module TopModule(output zero);\n  assign zero = 1'b0;\nendmodule\n"


def test_canonical_code_ignores_comments_and_blank_space_only() -> None:
    a = "// header\nmodule t(input a, output y);\n\n  assign y = a/*and*/& a;   // keep\nendmodule\n"
    b = "module t(input a,   output y);\nassign y = a & a;\nendmodule"
    assert canonical_code(a) == canonical_code(b)
    assert canonical_code(b) != canonical_code(b.replace("&", "|"))
    assert canonical_code("module t; a/*x*/b; endmodule") != canonical_code("module t; ab; endmodule")
    # strings (a comment marker may sit inside one) and line macros are left exactly as they are
    s = 'module t; initial $display("// %d", 1); endmodule\n'
    assert canonical_code(s) == s
    assert canonical_code("module t; // synopsys translate_off\nendmodule") == \
        "module t; // synopsys translate_off\nendmodule"
    escaped = "module t(input \\a+b , output y); // x\nendmodule"  # escaped identifier ends at a blank
    assert canonical_code(escaped) == escaped


@pytest.fixture(scope="module")
def zero_problem(bench_dir) -> object:  # noqa: ANN001
    return {p.task_id: p for p in ve.load_benchmark("verilog-eval-v2-spec")}["Prob001_zero"]


def test_duplicates_judged_once_and_results_in_order(zero_problem) -> None:  # noqa: ANN001
    p = zero_problem
    samples = {p.task_id: [ZERO, f"```verilog\n{ZERO}```", "// mine\n" + ZERO, ZERO.replace("1'b0", "1'b1"),
                           "no code here", ZERO.replace("TopModule", "Top")]}
    seen = []
    res = run_eval([p], samples, workers=2, on_result=seen.append)
    assert [r.completion_id for r in res] == list(range(6))
    assert [r.verdict.status.value for r in res] == ["pass", "pass", "pass", "fail", "no_code", "compile_error"]
    assert [r.cached for r in res] == [False, True, True, False, False, False]
    assert sorted((r.task_id, r.completion_id) for r in seen) == [(p.task_id, i) for i in range(6)]
    assert all(r.verdict.tools.get("simulator", "").startswith("Icarus") for r in res)
    official = run_eval([p], samples, workers=1, cache=False, quick=False, waveform=True)
    assert [r.verdict.status for r in official] == [r.verdict.status for r in res]
    assert not any(r.cached for r in official)


def test_read_samples_keeps_order_and_rejects_bad_lines(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "s.jsonl"
    path.write_text('{"task_id": "a", "completion": "1"}\n\n{"task_id": "b", "completion": "x"}\n'
                    '{"task_id": "a", "completion": "2"}\n')
    assert read_samples(path) == {"a": ["1", "2"], "b": ["x"]}
    path.write_text('{"task_id": "a"}\n')
    with pytest.raises(SamplesError, match="s.jsonl:1"):
        read_samples(path)
    path.write_text("not json\n")
    with pytest.raises(SamplesError, match="invalid JSON"):
        read_samples(path)
    path.write_text("")
    with pytest.raises(SamplesError, match="no samples"):
        read_samples(path)


def _mutants(code: str) -> list[str]:
    """A few single-site mutants (operator, constant, index, edge), enough to make shared runs disagree."""
    swaps = [("&", "|"), ("|", "&"), ("^", "&"), ("+", "-"), ("posedge", "negedge"), ("1'b0", "1'b1"),
             ("1'b1", "1'b0"), ("[0]", "[1]"), ("~", ""), ("==", "!=")]
    body_at = code.index("(")
    out = []
    for old, new in swaps:
        at = code.find(old, body_at)
        if at >= 0:
            out.append(code[:at] + new + code[at + len(old):])
    return out[:4]


@pytest.mark.slow
def test_shared_v2_runs_give_official_verdicts(bench_dir) -> None:  # noqa: ANN001
    """Every batchable v2 problem: reference and mutants in one shared run vs each judged alone."""
    from verilog_sim.sandbox import Limits
    from verilog_sim.verilog_eval import shared_run as v2batch

    checked = 0
    for p in ve.load_benchmark("verilog-eval-v2-spec"):
        if not v2batch.problem_batchable(p):
            continue
        codes = [c for c in [ve.reference_completion(p), *_mutants(ve.reference_completion(p))]
                 if v2batch.candidate_batchable(p, c)]
        shared = v2batch.judge_batch(p, codes, limits=Limits(wall_s=30))
        for code, got in zip(codes, shared):
            alone = ve.evaluate(p, code, quick=False, waveform=True)
            if got is not None:
                checked += 1
                assert (got.status, got.mismatches, got.samples) == (alone.status, alone.mismatches, alone.samples), \
                    (p.task_id, code)
    assert checked > 200


def test_shared_runs_and_fallbacks_give_official_verdicts(bench_dir) -> None:  # noqa: ANN001
    """Batchable problems (one with a $urandom testbench) share runs after their probe, a broken candidate
    runs alone, and problems that cannot share (stimulus reading the design; $urandom_range) run one by
    one: every verdict equals the official one-process-per-sample flow's."""
    from verilog_sim.verilog_eval import shared_run

    by_id = {p.task_id: p for p in ve.load_benchmark("verilog-eval-v2-spec")}
    chosen = [by_id[t] for t in ("Prob094_gatesv", "Prob125_kmap3", "Prob040_count10", "Prob118_history_shift")]
    assert [shared_run.problem_batchable(p) for p in chosen] == [True, True, False, False]  # kmap3: $urandom
    samples = {}
    for p in chosen:
        ref = ve.reference_completion(p)
        samples[p.task_id] = [ref, *_mutants(ref)[:3], ref.replace("endmodule", "wire w\nendmodule"), ref]
    fast = run_eval(chosen, samples, workers=2)
    official = run_eval(chosen, samples, workers=1, cache=False, quick=False, waveform=True)

    def key(rs):  # noqa: ANN001, ANN202
        return [(r.task_id, r.completion_id, r.verdict.status, r.verdict.mismatches, r.verdict.samples) for r in rs]

    assert key(fast) == key(official)
    assert {r.verdict.status.value for r in fast} >= {"pass", "fail", "compile_error"}
