"""Every reward on known completions: the correct design is the maximum, and each failure mode scores lower."""

from __future__ import annotations

import pickle

import pytest
from reward_fixtures import (
    CODE,
    CODE_OUTSIDE,
    EMPTY_THINK,
    GOOD,
    LONG_GOOD,
    NO_CODE,
    NO_THINK,
    PROBLEM,
    SYNTAX,
    TWO_ANSWERS,
    TWO_THINKS,
    WRONG,
    WRONG_NAME,
    columns,
)

from hdlgen.rewards import (
    CompileReward,
    FormatReward,
    FunctionalReward,
    LengthReward,
    RewardConfigError,
    build_rewards,
    build_weighted,
    compute_score,
    shared_cache,
)
from hdlgen.rewards.completion import completion_text, parse

ALL = [GOOD, WRONG, SYNTAX, NO_CODE, WRONG_NAME]


def call(f, completions, **extra):
    return f(["spec"] * len(completions), completions, **columns(len(completions), **extra))


def test_functional_is_binary_and_max_for_the_correct_design():
    assert call(FunctionalReward(), ALL) == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_functional_partial_credit_is_opt_in_and_below_a_pass():
    f = FunctionalReward(partial_credit=True, partial_scale=0.5)
    good, wrong, syntax, none, _ = call(f, ALL)
    assert good == 1.0
    assert wrong == pytest.approx(0.25)  # 2 of 4 samples right, times the scale
    assert syntax == 0.0 and none == 0.0


def test_compile_reward_orders_failure_stages():
    assert call(CompileReward(), ALL) == [1.0, 1.0, 0.0, 0.0, 0.5]


def test_format_reward_on_format_hacks():
    f = FormatReward(penalty=0.5)
    scores = dict(zip(["good", "empty", "nothink", "two", "outside", "twothink", "none", "wrongname"],
                      call(f, [GOOD, EMPTY_THINK, NO_THINK, TWO_ANSWERS, CODE_OUTSIDE, TWO_THINKS, NO_CODE,
                               WRONG_NAME])))
    assert scores["good"] == 1.0
    for hack in ("empty", "nothink", "two", "outside", "twothink"):
        assert scores[hack] == 0.5, hack
    assert scores["none"] == 0.0 and scores["wrongname"] == 0.0
    assert f.violations(TWO_ANSWERS, "andgate") == ["several-answers"]
    assert f.violations(CODE_OUTSIDE, "andgate") == ["code-outside-answer"]
    assert f.violations(EMPTY_THINK, "andgate") == ["empty-think"]


def test_format_accepts_think_opened_by_the_chat_template():
    text = GOOD.replace("<think>", "")
    assert FormatReward().score(text, "andgate") == 1.0
    assert parse(text).think == "y is the AND of a and b."


def test_length_pays_only_passing_samples_and_prefers_less_reasoning():
    r = call(LengthReward(smoothing=0), [GOOD, LONG_GOOD, WRONG, NO_CODE])
    assert r[0] == 1.0
    assert 0.0 < r[1] < 1.0
    assert r[2] == 0.0 and r[3] == 0.0  # short but wrong earns nothing


def test_length_is_per_group_and_zero_when_nobody_passes():
    f = LengthReward(smoothing=0)
    prompts = ["p1", "p1", "p2", "p2"]
    out = f(prompts, [LONG_GOOD, WRONG, WRONG, NO_CODE], **columns(4))
    assert out == [1.0, 0.0, 0.0, 0.0]  # the only pass of group p1 is its shortest


def test_extra_dataset_columns_are_ignored():
    extra = dict(difficulty="easy", tags=["x"], source="unit", trainer_state=None)
    for f in (FunctionalReward(), CompileReward(), FormatReward(), LengthReward()):
        assert call(f, [GOOD, WRONG], **extra) == call(f, [GOOD, WRONG]), f.__name__


def test_chat_message_completions_score_like_strings():
    msgs = [[{"role": "assistant", "content": GOOD}], [{"role": "assistant", "content": WRONG}]]
    assert completion_text(msgs[0]) == GOOD
    assert call(FunctionalReward(), msgs) == [1.0, 0.0]
    assert call(FormatReward(), msgs) == [1.0, 1.0]


def test_rows_without_a_problem_are_not_applicable():
    assert FunctionalReward()(["p"], [GOOD], unrelated=["x"]) == [None]
    # a problem with neither test nor ref has nothing functional to check
    assert FunctionalReward()(["p"], [GOOD], top=["andgate"]) == [None]
    assert CompileReward()(["p"], [GOOD], top=["andgate"]) == [1.0]


def test_rewards_are_picklable_and_named():
    funcs, _ = build_rewards()
    for f in funcs:
        g = pickle.loads(pickle.dumps(f))
        assert g.__name__ == f.__name__
        assert g.__doc__ and ">>>" in g.__doc__
    assert [f.__name__ for f in funcs] == ["functional", "compile", "format", "length"]


def test_verdicts_are_cached_by_content_hash():
    cache = shared_cache()
    cache.clear()
    call(FunctionalReward(), [GOOD])
    misses = cache.misses
    # different reasoning around the same code, another reward function: no new verification
    call(CompileReward(), [GOOD.replace("y is the AND", "AND it is")])
    assert cache.misses == misses and cache.hits >= 1
    call(FunctionalReward(seed=99), [GOOD])  # other settings are another key
    assert cache.misses == misses + 1


def test_weighted_combination_from_config():
    w = build_weighted({"functional": {"weight": 1.0}, "format": {"weight": 0.5}})
    good, wrong, none = call(w, [GOOD, WRONG, NO_CODE])
    assert good == pytest.approx(1.5) and wrong == pytest.approx(0.5) and none == 0.0
    default = call(build_weighted(), ALL)
    assert default[0] == max(default) and default.count(default[0]) == 1


def test_bad_reward_config_is_named():
    with pytest.raises(RewardConfigError, match="unknown reward"):
        build_rewards({"speed": {"weight": 1}})
    with pytest.raises(RewardConfigError, match="rewards.format: unknown option"):
        build_rewards({"format": {"weight": 1, "smoothing": 3}})
    with pytest.raises(RewardConfigError, match="no reward"):
        build_rewards({"functional": {"weight": 0}})


def test_compute_score_verl_style():
    gt = dict(PROBLEM)
    assert compute_score("hdlgen", GOOD, gt) == pytest.approx(1.4)
    assert compute_score("hdlgen", NO_CODE, gt) == 0.0
    import json
    assert compute_score("hdlgen", WRONG, json.dumps(gt), {"split": "train"}) == pytest.approx(0.1 + 0.2)
    # a bare reference source as ground truth: top taken from extra_info
    assert compute_score("x", NO_CODE, CODE, {"top": "andgate"}) == 0.0


def test_compute_score_loads_by_file_path_as_verl_does(repo):
    import importlib.util

    spec = importlib.util.spec_from_file_location("custom_module", repo / "hdlgen" / "rewards" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.compute_score("hdlgen", GOOD, dict(PROBLEM)) == pytest.approx(1.4)


def test_bundled_reference_is_the_maximum_and_its_mutant_fails(repo):
    """A real bundled problem judged by the batched differential path (reference only, no testbench)."""
    from verilog_sim.problem import Problem

    base = Problem.from_dir(repo / "data" / "problems" / "mux4").to_dict()
    base.update(test=None, test_kind=None)
    ref, mutant = base["ref"], (repo / "tests" / "problem_mutants" / "mux4.v").read_text()
    texts = [f"<think>select by sel</think>\n```verilog\n{c}```\n" for c in (ref, mutant)] + [NO_CODE]
    cols = {k: [v] * 3 for k, v in base.items()}
    assert FunctionalReward()(["p"] * 3, texts, **cols) == [1.0, 0.0, 0.0]
    total = build_weighted()(["p"] * 3, texts, **cols)
    assert total[0] == max(total) and total[1] < total[0]


def test_docstring_examples_hold():
    import doctest

    import hdlgen.rewards.functions as functions
    import hdlgen.rewards.score as score

    for mod in (functions, score):
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0 and result.attempted > 0, mod.__name__


def test_groups_of_a_batch_are_judged_at_once_with_the_same_verdicts(monkeypatch):
    """A GRPO step's prompts are judged concurrently (their simulations overlap: two at once with workers=2) and
    give the verdicts of judging them one after another. Real Icarus."""
    from overlap import Overlap

    import hdlgen.rewards.verdicts as verdicts
    from hdlgen.curriculum import synth
    from hdlgen.rewards.cache import VerdictCache
    from verilog_sim import Problem

    rows = synth(4, seed=11, families=["parity", "mux"], split="train")
    probs = [Problem.from_dict({k: v for k, v in r.items() if v is not None}) for r in rows]
    good = ["```verilog\n" + r["header"] + "\n" + r["body"] + "endmodule\n```" for r in rows]
    bad = ["```verilog\n" + r["header"] + "\nendmodule\n```" for r in rows]
    problems = [p for p in probs for _ in range(2)]
    texts = [t for pair in zip(good, bad) for t in pair]
    counted = Overlap(verdicts.verify_codes)
    monkeypatch.setattr(verdicts, "verify_codes", counted)
    together = verdicts.group_verdicts(problems, texts, verdicts.VerifySettings(workers=2), VerdictCache())
    assert counted.peak == 2
    counted.peak = 0
    alone = verdicts.group_verdicts(problems, texts, verdicts.VerifySettings(workers=1), VerdictCache())
    assert counted.peak == 1
    assert [v.status.value for v in together] == [v.status.value for v in alone] == ["pass", "fail"] * 4
