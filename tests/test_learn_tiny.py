"""The learning setup: prefilled replies judged whole, functional passes logged for re-judging, the tiny
tokenizer's compact template, GRPO on synthesized problems through the CLI; and (slow) the learning run itself."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from hdlgen.curriculum import synth
from hdlgen.rewards import build_rewards
from hdlgen.train.data import grpo_rows, module_header, prefill_text, problem_messages
from hdlgen.train.wrappers import PassLog, Prefilled
from verilog_sim import Problem

pytest.importorskip("trl")
REPO = Path(__file__).resolve().parent.parent


def _problem(row: dict) -> Problem:
    return Problem.from_dict({k: v for k, v in row.items() if v is not None})


def test_prefill_is_the_header_and_rewards_judge_prefill_plus_body(tmp_path):
    row = synth(1, seed=3, families=["counter"])[0]
    prob = _problem(row)
    assert module_header(prob) == row["header"]
    assert module_header(Problem(task_id="t", prompt="Make it.\nmodule t(input a, output y);", top="t")) == \
        "module t(input a, output y);"
    msgs = problem_messages(prob, "none", 0, prefill=True)
    assert msgs[-1] == {"role": "assistant", "content": f"```verilog\n{row['header']}\n"}
    cols = {k: [v] for k, v in grpo_rows([prob], "none", 0, prefill=True)[0].items() if k != "prompt"}
    funcs, _ = build_rewards({"functional": {"weight": 1.0}, "compile": {"weight": 0.2}})
    functional = PassLog(funcs[0], tmp_path / "passes.jsonl")
    right, wrong = row["body"] + "endmodule\n```", "  assign q = 1;\nendmodule\n```"
    assert Prefilled(functional)(["p"], [[{"role": "assistant", "content": right}]], **cols) == [1.0]
    assert Prefilled(functional)(["p"], [wrong], **cols) == [0.0]
    assert Prefilled(funcs[1])(["p"], [right], **cols) == [1.0]
    assert funcs[0](["p"], [right], **cols) == [0.0]  # without the prefill the body alone is no module
    logged = [json.loads(x) for x in (tmp_path / "passes.jsonl").read_text().splitlines()]
    assert len(logged) == 1 and logged[0]["text"] == prefill_text(prob) + right
    assert logged[0]["problem"]["ref"] == row["ref"]
    # the audit tally: statuses per call, and a design that tries a forbidden system task counted by rule
    cheat = "  initial $finish;\n" + row["body"] + "endmodule\n```"
    assert Prefilled(functional)(["p", "p"], [cheat, right], **{k: v * 2 for k, v in cols.items()}) == [0.0, 1.0]
    calls = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [c["statuses"] for c in calls] == [{"pass": 1}, {"fail": 1}, {"compile_error": 1, "pass": 1}]
    assert calls[2]["admission"] == {"system-task": 1} and calls[0]["admission"] == {}


def test_learning_report_helpers(tmp_path):
    """The rollout tally sums audit.jsonl over reward calls (a missing file is an empty tally), and the spread
    tells systematic misses (p = 0 or 1) from sampling ones."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import audit_totals, spread

    audit = tmp_path / "audit.jsonl"
    audit.write_text(json.dumps({"call": 1, "completions": 3, "statuses": {"pass": 2, "compile_error": 1},
                                 "admission": {"system-task": 1}}) + "\n"
                     + json.dumps({"call": 2, "completions": 2, "statuses": {"pass": 1, "fail": 1},
                                   "admission": {}}) + "\n")
    assert audit_totals(audit) == {"completions": 5, "statuses": {"pass": 3, "compile_error": 1, "fail": 1},
                                   "admission": {"system-task": 1}}
    assert audit_totals(tmp_path / "none.jsonl") == {"completions": 0, "statuses": {}, "admission": {}}
    assert spread([0.0, 1.0, 0.5, 0.5]) == {"never": 1, "always": 1, "sometimes": 2, "mean_p_1_minus_p": 0.125}


def test_side_summary_names_its_evaluation_and_its_sampling():
    """A second evaluation (held-out at T=1.0, fresh problems) is reported under its own prefix with the samples
    and temperature it was made with, so a summary never mixes two sampling settings under one name."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import side_summary

    settings = {"samples": 16, "temperature": 1.0}
    before = {"pass": 0.5, "per_problem": [0.5, 0.5], "by_family": {"mux": 0.5}, "statuses": {"pass": 16,
              "fail": 16}, "settings": settings}
    after = {"pass": 0.75, "per_problem": [0.75, 0.75], "by_family": {"mux": 0.75}, "statuses": {"pass": 24,
             "fail": 8}, "settings": settings}
    s = side_summary("heldout_t1", before, after, seed=0)
    assert s["heldout_t1_temperature"] == 1.0 and s["heldout_t1_samples"] == 16
    assert s["heldout_t1_pass_before"] == 0.5 and s["heldout_t1_pass_after"] == 0.75
    assert s["heldout_t1_gain_ci95"] == [0.25, 0.25]  # the same gain on every problem
    assert s["heldout_t1_verdicts_after"] == {"pass": 24, "fail": 8}
    assert not [k for k in s if not k.startswith("heldout_t1_")]


def test_tiny_template_is_compact_and_continues_the_prefill():
    from hdlgen.train.tiny import new_model, prompt_ids, train_tokenizer

    rows = synth(40, seed=0, families=["bitwise", "counter"])
    msgs = [problem_messages(_problem(r), "none", 0, prefill=True) for r in rows]
    tok = train_tokenizer([m[1]["content"] + m[2]["content"] + r["body"] for m, r in zip(msgs, rows)], 400)
    text = tok.apply_chat_template(msgs[0], add_generation_prompt=True, tokenize=False)
    assert text == rows[0]["prompt"].split("\n\n")[0] + "\n" + prefill_text(_problem(rows[0]))
    assert tok.decode(prompt_ids(tok, msgs[0])) == text
    model = new_model(len(tok), tok=tok)
    assert 0.5e6 < sum(p.numel() for p in model.parameters()) < 5e6


def test_iter_sample_yields_what_sample_returns_and_leaves_the_tokenizer_as_it_was():
    """The held-out evaluation judges replies while later batches are sampled: a reply per prompt in order, the
    same as the collected ``sample`` (consuming them between batches does not disturb the RNG), and between
    batches and after, the caller sees its tokenizer's own padding side (the stream pads left only while it
    generates)."""
    from hdlgen.train.tiny import iter_sample, new_model, sample, train_tokenizer

    rows = synth(5, seed=0, families=["bitwise"])
    msgs = [problem_messages(_problem(r), "none", 0, prefill=True) for r in rows]
    tok = train_tokenizer([m[1]["content"] + m[2]["content"] + r["body"] for m, r in zip(msgs, rows)], 300)
    model = new_model(len(tok), tok=tok, hidden=32, layers=1, ffn=64)
    tok.padding_side = "right"
    kw = {"n": 2, "temperature": 1.0, "max_new_tokens": 6, "seed": 3, "batch_prompts": 2}
    streamed, sides = [], []
    for outs in iter_sample(model, tok, msgs, **kw):
        sides.append(tok.padding_side)
        streamed.append(outs)
    assert streamed == sample(model, tok, msgs, **kw)
    assert len(streamed) == 5 and all(len(o) == 2 for o in streamed)
    assert sides == ["right"] * 5 and tok.padding_side == "right"


def test_grpo_cli_on_synthesized_problems_with_prefill_and_audit(tmp_path):
    from hdlgen.train.tiny import new_model, save, train_tokenizer

    rows = synth(4, seed=1, families=["bitwise"], split="train")
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    msgs = [problem_messages(_problem(r), "none", 0, prefill=True) for r in rows]
    tok = train_tokenizer([m[1]["content"] + m[2]["content"] + r["body"] for m, r in zip(msgs, rows)], 300)
    model_dir = save(new_model(len(tok), hidden=32, layers=1, heads=2, ffn=64, tok=tok), tok, tmp_path / "m")
    out = tmp_path / "grpo"
    res = subprocess.run([str(Path(sys.executable).parent / "hdlgen"), "train", "grpo", "--config",
                          str(REPO / "configs/grpo_learn_tiny.yaml"), "--model", str(model_dir), "--output-dir",
                          str(out), "--max-steps", "1", "--set", f"data.problems={tmp_path / 'p.jsonl'}",
                          "--set", "grpo.num_generations=2", "--set", "grpo.per_device_train_batch_size=4",
                          "--set", "grpo.max_completion_length=8"], capture_output=True, text=True, cwd=REPO,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    train = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert any("rewards/functional/mean" in r for r in train)
    assert (out / "passes.jsonl").is_file() and (out / "final" / "config.json").is_file()


def test_evaluation_judges_each_distinct_reply_once_per_run():
    """The memo shared by the four evaluations of a run: the same flags as judging afresh, one entry per distinct
    (problem, reply), and a later evaluation that repeats replies adds nothing. Real Icarus verdicts."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import judge

    rows = synth(2, seed=5, families=["parity"])
    probs = [_problem(r) for r in rows]
    pre = [prefill_text(p) for p in probs]
    right = [r["body"] + "endmodule\n```" for r in rows]
    wrong = "  assign y = 1'b0;\nendmodule\n```"
    samples = [[right[0], wrong, right[0]], [wrong, wrong, right[1]]]
    memo: dict = {}
    flags, passes, statuses = judge(probs, pre, samples, seed=0, cycles=None, memo=memo)
    assert flags == [[True, False, True], [False, False, True]]
    assert statuses == {"fail": 3, "pass": 3}
    assert flags == judge(probs, pre, samples, seed=0, cycles=None)[0]  # no memo: the same verdicts
    assert len(memo) == 4 and len(passes) == 3
    again, _, _ = judge(probs, pre, [[wrong], [right[1]]], seed=0, cycles=None, memo=memo)
    assert again == [[False], [True]] and len(memo) == 4


@pytest.mark.slow
@pytest.mark.timeout(3600)  # under 20 min alone on 2 cores (README)
def test_grpo_raises_heldout_pass_rate(tmp_path):
    """The CI-sized learning run (benchmarks/learn_tiny.py, default seed): held-out pass@1 rises with a 95%
    bootstrap interval above zero, the SFT level is moderate, and no pass the reward paid fails when judged
    again alone. GRPO alone on its core is deterministic, so this is the README's seed-0 row."""
    res = subprocess.run([sys.executable, str(REPO / "benchmarks/learn_tiny.py"), "--out", str(tmp_path),
                          "--no-results"], capture_output=True, text=True, cwd=REPO, timeout=3500)
    assert res.returncode == 0, res.stderr[-3000:]
    s = json.loads((tmp_path / "summary.json").read_text())
    assert 0.05 < s["heldout_pass_before"] < 0.9
    assert s["rejudge_failures"] == 0 and s["rejudge_distinct_judged"] > 0
    assert s["gain_ci95"][0] > 0, (s["heldout_pass_before"], s["heldout_pass_after"], s["gain_ci95"])


def test_pooled_gain_weights_seeds_equally_and_narrows_the_interval():
    """The pooled interval resamples problems within each run: a constant gain gives a zero-width interval at
    that gain, runs of different sizes count equally, and two noisy runs give a narrower interval than one."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import bootstrap_gain, pooled_gain

    flat = ([0.25] * 10, [0.5] * 10)
    assert pooled_gain([flat], reps=200) == (0.25, [0.25, 0.25])
    small, big = ([0.0] * 4, [0.1] * 4), ([0.5] * 40, [0.5] * 40)  # +0.1 on 4 problems, 0 on 40
    assert abs(pooled_gain([small, big], reps=200)[0] - 0.05) < 1e-12
    rng = random.Random(1)
    runs = []
    for _ in range(2):
        before = [rng.random() for _ in range(120)]
        runs.append((before, [min(1.0, max(0.0, b + 0.03 + rng.gauss(0, 0.15))) for b in before]))
    one_lo, one_hi = bootstrap_gain(*runs[0], reps=2000)
    _, (lo, hi) = pooled_gain(runs, reps=2000)
    assert hi - lo < (one_hi - one_lo) * 0.85


def test_design_bootstrap_counts_repeated_designs_once():
    """Problems that repeat a design under other names are not independent evidence: copying every problem three
    times narrows the problem-level interval, but the interval resampling designs stays where it was, and
    singleton clusters give the problem-level interval exactly."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import bootstrap_gain, design_key

    rng = random.Random(2)
    before = [rng.random() for _ in range(40)]
    after = [min(1.0, max(0.0, b + 0.02 + rng.gauss(0, 0.2))) for b in before]
    lo, hi = bootstrap_gain(before, after, reps=2000)
    assert bootstrap_gain(before, after, reps=2000, clusters=[f"d{i}" for i in range(40)]) == [lo, hi]
    rows = [{"family": "compare", "params": {"op": "==", "const": i, "width": 8}, "top": f"m{i}_{k}",
             "prompt": f"Variant {k} of the phrasing: y is 1 when a equals {i}."} for k in range(3) for i in range(40)]
    keys = [design_key(r) for r in rows]
    assert len(set(keys)) == 40  # the three copies of a problem share a key, whatever their module name
    b3, a3 = before * 3, after * 3
    lo3, hi3 = bootstrap_gain(b3, a3, reps=2000)
    dlo, dhi = bootstrap_gain(b3, a3, reps=2000, clusters=keys)
    assert hi3 - lo3 < (hi - lo) * 0.7
    assert abs((dhi - dlo) - (hi - lo)) < (hi - lo) * 0.15


def test_pool_reads_a_summary_as_it_reads_the_run_directory(tmp_path):
    """learn_pool.py pools committed summaries (the run directories are gone once a run is committed): a
    summary's per-problem rates and design keys give the same intervals, by problem and by design, as the run
    directory they came from; a file that is not a learning summary is refused."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_pool import main as pool
    from learn_tiny import design_key

    rows = synth(30, seed=5, families=["compare", "parity"], split="heldout")
    rng = random.Random(4)
    before = [rng.choice([0, 0.25, 0.5, 1.0]) for _ in rows]
    after = [min(1.0, b + rng.choice([0, 0, 0.25])) for b in before]
    run = tmp_path / "run"
    run.mkdir()
    (run / "eval_before.json").write_text(json.dumps({"per_problem": before}))
    (run / "eval_after.json").write_text(json.dumps({"per_problem": after}))
    (run / "heldout_problems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"heldout_per_problem_before": before, "heldout_per_problem_after": after,
                                   "heldout_design_keys": [design_key(r) for r in rows]}))
    results = []
    for arg in (run, summary):
        pool([str(arg), str(arg), "--out", str(tmp_path / "pooled.json")])
        got = json.loads((tmp_path / "pooled.json").read_text())
        results.append({k: got[k] for k in ("pooled_gain", "pooled_gain_ci95", "pooled_gain_ci95_by_design")})
    assert results[0] == results[1]
    assert results[0]["pooled_gain"] > 0
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(SystemExit, match="not a learning run's summary"):
        pool([str(tmp_path / "other.json")])


@pytest.mark.parametrize("results,summaries", [
    ("learn_tiny", ["summary.json", "seed1_summary.json", "seed2_summary.json"]),
    ("learn_smollm2", ["summary.json", "seed1/summary.json"]),
])
def test_committed_pooled_figures_follow_from_the_committed_summaries(tmp_path, results, summaries):
    """The pooled gains the README quotes are recomputed from the committed per-problem rates and design keys:
    an edited summary or a hand-typed pooled.json would not match."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_pool import main as pool

    base = REPO / "benchmarks" / "results" / results
    pool([str(base / s) for s in summaries] + ["--out", str(tmp_path / "pooled.json")])
    got = json.loads((tmp_path / "pooled.json").read_text())
    committed = json.loads((base / "pooled.json").read_text())
    for key in ("pooled_gain", "pooled_gain_ci95", "pooled_gain_ci95_by_design"):
        assert got[key] == committed[key], key
    assert committed["pooled_gain_ci95"][0] > 0


def test_rejudge_reports_a_claimed_pass_that_fails_alone():
    """Re-judging is the audit of the reward: a (problem, text) logged as a pass that does not pass alone is
    reported with its status, identical claims are judged once, and a real pass is not reported. Real Icarus."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import Rejudge

    rows = synth(1, seed=7, families=["parity"])
    prob = _problem(rows[0])
    right = prefill_text(prob) + rows[0]["body"] + "endmodule\n```"
    wrong = prefill_text(prob) + "  assign y = 1'b0;\nendmodule\n```"
    rejudger = Rejudge()
    try:
        rejudger.submit([(prob, right)], seed=0, cycles=None)  # started before the rest is known
        n, bad = rejudger.failures([(prob, right), (prob, wrong), (prob, wrong)], seed=0, cycles=None)
    finally:
        rejudger.close()
    assert n == 2 and len(rejudger.jobs) == 2
    assert [(b["task_id"], b["status"], b["text"]) for b in bad] == [(prob.task_id, "fail", wrong)]
    assert rejudger.seconds() > 0


def test_score_run_rejudges_every_pass_grpo_logged(tmp_path):
    """A pass the reward logged (``passes.jsonl``) that fails alone is a re-judging failure, whatever the
    evaluations say: a forged line in the log is the attack. Real Icarus."""
    import argparse

    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import score_run

    rows = synth(1, seed=7, families=["parity"])
    prob = _problem(rows[0])
    right = prefill_text(prob) + rows[0]["body"] + "endmodule\n```"
    wrong = prefill_text(prob) + "  assign y = 1'b0;\nendmodule\n```"
    grpo_dir = tmp_path / "grpo"
    grpo_dir.mkdir()
    line = {"call": 1, "problem": rows[0]}
    (grpo_dir / "passes.jsonl").write_text("".join(json.dumps({**line, "text": t}) + "\n" for t in (right, wrong, right)))
    (grpo_dir / "metrics.jsonl").write_text("")
    res = {"pass": 1.0, "per_problem": [1.0], "by_family": {"parity": 1.0}, "statuses": {"pass": 1},
           "passes": [(prob, right)]}
    args = argparse.Namespace(seed=0, verify_seed=0, cycles=None, samples=1, temperature=0.2)
    fields, _, _ = score_run(res, res, grpo_dir, tmp_path, args)
    assert fields["rejudge_passes"] == 3 and fields["rejudge_distinct_judged"] == 2
    assert fields["rejudge_failures"] == 1
    assert fields["rejudge_failure_examples"][0]["text"] == wrong


def test_heldout_replies_are_judged_alone_by_verify(monkeypatch):
    """The held-out score takes each distinct reply's verdict from ``verilog_sim.verify`` (the strictest path:
    admission, sandbox, formal tier), not from a batch: with ``verify`` replaced by one that fails everything,
    nothing passes. The real ``verify`` (Icarus) judges the same replies otherwise."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import learn_tiny

    import verilog_sim

    rows = synth(1, seed=7, families=["parity"])
    prob = _problem(rows[0])
    right = rows[0]["body"] + "endmodule\n```"
    calls = []
    real = verilog_sim.verify

    def spy(p, text, **kw):
        calls.append(text)
        return real(p, text, **kw)

    monkeypatch.setattr(verilog_sim, "verify", spy)
    flags, _, _ = learn_tiny.judge([prob], [prefill_text(prob)], [[right, right]], seed=0, cycles=None, workers=2)
    assert flags == [[True, True]] and len(calls) == 1

    def refuse(p, text, **kw):
        return real(p, "module nothing; endmodule", **kw)

    monkeypatch.setattr(verilog_sim, "verify", refuse)
    flags, _, _ = learn_tiny.judge([prob], [prefill_text(prob)], [[right]], seed=0, cycles=None)
    assert flags == [[False]]


def test_rejudge_runs_one_verdict_at_a_time_until_widened():
    """While GRPO trains, re-judging holds one core at most (GRPO keeps the other); once widened every worker
    judges at once. Counts how many ``verify`` calls overlap (real Icarus)."""
    from overlap import Overlap

    sys.path.insert(0, str(REPO / "benchmarks"))
    import learn_tiny

    import verilog_sim

    rows = synth(1, seed=7, families=["parity"])
    prob = _problem(rows[0])
    texts = [prefill_text(prob) + rows[0]["body"] + f"// variant {i}\nendmodule\n```" for i in range(6)]
    real = verilog_sim.verify
    verilog_sim.verify = counted = Overlap(real)
    rejudger = learn_tiny.Rejudge(workers=3)
    try:
        rejudger.submit([(prob, t) for t in texts[:3]], seed=0, cycles=None)
        for key in list(rejudger.jobs):
            rejudger.jobs[key].result()
        narrow, counted.peak = counted.peak, 0
        n, bad = rejudger.failures([(prob, t) for t in texts], seed=0, cycles=None)  # widens
    finally:
        rejudger.close()
        verilog_sim.verify = real
    assert narrow == 1
    assert counted.peak >= 2 and n == 6 and bad == []


def test_grpo_passes_reads_only_finished_lines(tmp_path):
    """The rollouts' passes are read while GRPO still appends to ``passes.jsonl``: a line being written is left
    for the next read, and no file yet means no passes."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import grpo_passes, read_passes

    assert grpo_passes(tmp_path) == []
    row = synth(1, seed=7, families=["parity"])[0]
    line = json.dumps({"call": 1, "problem": row, "text": "t1"}) + "\n"
    (tmp_path / "passes.jsonl").write_text(line + line[:40])
    got = grpo_passes(tmp_path)
    assert [(p.task_id, t) for p, t in got] == [(row["task_id"], "t1")]
    (tmp_path / "passes.jsonl").write_text(line + line.replace('"t1"', '"t2"'))
    assert [t for _, t in grpo_passes(tmp_path)] == ["t1", "t2"]
    # polling reads only what is new since the last read; a file started over is read from its start
    first, at = read_passes(tmp_path / "passes.jsonl")
    assert [t for _, t in first] == ["t1", "t2"]
    assert read_passes(tmp_path / "passes.jsonl", at) == ([], at)
    with (tmp_path / "passes.jsonl").open("a") as fh:
        fh.write(line.replace('"t1"', '"t3"') + line[:30])
    more, at2 = read_passes(tmp_path / "passes.jsonl", at)
    assert [t for _, t in more] == ["t3"] and at2 == at + len(line.replace('"t1"', '"t3"').encode())
    (tmp_path / "passes.jsonl").write_text(line.replace('"t1"', '"t4"'))
    assert [t for _, t in read_passes(tmp_path / "passes.jsonl", at2)[0]] == ["t4"]


def test_curve_plot_draws_only_the_reward_components_the_run_had(tmp_path):
    """A run rewarded by the functional term alone must not show a flat 'compile reward' line at 0."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_tiny import plot

    summary = {"heldout_pass_before": 0.2, "heldout_pass_after": 0.3, "gain_ci95": [0.01, 0.2], "heldout_problems": 4,
               "samples_per_problem": 4, "temperature": 0.2, "model_label": "m", "seed": 0}
    rows = [{"step": i, "functional": 0.1 * i, "compile": None, "completion_length": 20.0 + i} for i in range(1, 4)]
    assert plot(rows, summary, tmp_path) == ["functional"]
    assert (tmp_path / "curve.png").stat().st_size > 0
    shaped = [{**r, "compile": 0.5} for r in rows]
    assert plot(shaped, summary, tmp_path) == ["functional", "compile"]
