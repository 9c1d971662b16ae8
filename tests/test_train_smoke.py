"""Smoke runs of the training recipes on a tiny random model (seconds on CPU): real TRL, real peft, real
verifier rewards; the model's text is noise, so these check the plumbing, not learning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reward_fixtures import PROBLEM

from hdlgen.cli import main

pytest.importorskip("trl")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    from hdlgen.testing import tiny_test_model

    return tiny_test_model(tmp_path_factory.mktemp("model"))


def _grpo(tiny: Path, tmp_path: Path, steps: int, *sets: str) -> Path:
    """``hdlgen train grpo`` on the one fixture problem, 2 completions of at most 8 tokens per step, plus
    ``sets`` (``key=value`` overrides); asserts exit 0 and returns the output folder."""
    problems = tmp_path / "problems.jsonl"
    problems.write_text(json.dumps(PROBLEM) + "\n")
    out = tmp_path / "grpo"
    args = ["train", "grpo", "--model", str(tiny), "--output-dir", str(out), "--max-steps", str(steps),
            "--set", f"data.problems={problems}", "--set", "grpo.num_generations=2",
            "--set", "grpo.per_device_train_batch_size=2", "--set", "grpo.max_completion_length=8"]
    for kv in sets:
        args += ["--set", kv]
    assert main(args) == 0
    return out


def test_grpo_two_steps_logs_reward_components_and_pass_rate(tiny, tmp_path):
    out = _grpo(tiny, tmp_path, 2, "data.repeat=2", "grpo.save_steps=1", "eval.every=2", "eval.max_new_tokens=4")
    records = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    train = [r for r in records if "rewards/functional/mean" in r]
    assert [r["step"] for r in train] == [1, 2]
    for name in ("functional", "compile", "format", "length"):
        assert f"rewards/{name}/mean" in train[0]
    evals = [r for r in records if "eval/verified_pass_rate" in r]
    assert [r["step"] for r in evals] == [0, 2]
    assert all(0.0 <= r["eval/verified_pass_rate"] <= 1.0 for r in evals)
    assert (out / "checkpoint-1").is_dir() and (out / "final" / "config.json").is_file()


def test_grpo_lora_on_chosen_layers_saves_a_merged_model(tiny, tmp_path):
    """``lora.layers`` puts the adapter on those layers only (the others stay the base's, bit for bit), and
    ``final`` is the merged model, loadable like any other (the SmolLM2 proxy evaluates it)."""
    import torch

    from hdlgen.models import load_causal_lm

    out = _grpo(tiny, tmp_path, 1, "grpo.learning_rate=0.05", "eval.every=0",
                "lora={r: 2, alpha: 4, dropout: 0.0, layers: [1], target_modules: [q_proj, v_proj]}")
    final = out / "final"
    assert (final / "config.json").is_file() and not (final / "adapter_config.json").exists()
    base, _ = load_causal_lm(str(tiny))
    merged, _ = load_causal_lm(str(final))
    b, m = base.state_dict(), merged.state_dict()
    assert set(b) == set(m)
    untouched = [k for k in b if ".layers.1.self_attn.q_proj" not in k and ".layers.1.self_attn.v_proj" not in k]
    assert all(torch.equal(b[k], m[k]) for k in untouched)


def test_lora_layers_need_named_modules(tiny, tmp_path, capsys):
    rc = main(["train", "grpo", "--model", str(tiny), "--output-dir", str(tmp_path / "o"),
               "--set", "lora={r: 2, layers: [0]}"])
    assert rc == 2 and "target_modules as a list" in capsys.readouterr().err
    from hdlgen.train.sft import _lora_config

    cfg = _lora_config({"r": 2, "layers": [1], "target_modules": ["q_proj"]}, "lora")
    assert cfg.layers_to_transform == [1] and set(cfg.target_modules) == {"q_proj"}


def test_open_prefill_template_continues_the_reply_and_leaves_others_alone():
    from hdlgen.models import CHATML_TEMPLATE
    from hdlgen.testing import tiny_tokenizer
    from hdlgen.train.data import open_prefill_template

    tok = tiny_tokenizer()
    tok.chat_template = CHATML_TEMPLATE
    chat = [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]
    before = tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
    open_prefill_template(open_prefill_template(tok))  # idempotent
    assert tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=False) == before
    assert tok.apply_chat_template(chat, tokenize=False) == before.rsplit("<|im_start|>assistant", 1)[0]
    prefilled = chat + [{"role": "assistant", "content": "```verilog\nmodule m(input a);\n"}]
    # what TRL's GRPOTrainer renders (add_generation_prompt=True): the reply continues, nothing closes it
    assert tok.apply_chat_template(prefilled, add_generation_prompt=True, tokenize=False) == \
        before + "```verilog\nmodule m(input a);\n"


def test_sft_lora_then_full_two_steps(tiny, tmp_path):
    from hdlgen.train.config import load_config
    from hdlgen.train.sft import run_sft

    cfg = load_config(None, {"model": str(tiny), "output_dir": str(tmp_path / "sft"), "sft.stages": [
        {"name": "lora", "data": str(REPO / "data/samples/sft_knowledge.jsonl"), "lora": {"r": 4, "alpha": 8},
         "merge": False, "args": {"max_steps": 2, "per_device_train_batch_size": 2}},
        {"name": "full", "data": str(REPO / "data/samples/sft_reasoning.jsonl"), "reasoning": True,
         "args": {"max_steps": 2, "per_device_train_batch_size": 2}}]})
    out = run_sft(cfg)
    assert (out["lora"] / "adapter_config.json").is_file()  # merge: false keeps the adapter
    assert (out["full"] / "config.json").is_file() and not (out["full"] / "adapter_config.json").exists()
    info = json.loads((out["lora"] / "hdlgen_stage.json").read_text())
    assert info == {"base": str(tiny), "adapter": True, "stage": "lora"}


def test_sft_records_use_the_shared_reply_format():
    from hdlgen.rewards import FormatReward
    from hdlgen.train.data import sft_dataset

    ds = sft_dataset(REPO / "data/samples/sft_reasoning.jsonl", with_reasoning=True)
    row = ds[0]
    assert row["completion"][0]["role"] == "assistant" and row["prompt"][-1]["role"] == "user"
    reply = row["completion"][0]["content"]
    assert FormatReward().score(reply, "and2") == 1.0


@pytest.mark.parametrize("args, message", [
    (["train", "grpo", "--config", "nope.yaml"], "does not exist"),
    (["train", "grpo", "--set", "bogus=1"], "unknown top-level key"),
    (["train", "grpo", "--set", "grpo.not_an_option=1", "--model", "x/y"], "unknown GRPOConfig option"),
    (["train", "sft", "--set", "sft.stages=[]"], "non-empty list"),
])
def test_config_mistakes_exit_2_with_one_line(args, message, capsys, tmp_path):
    rc = main(args + ["--output-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert rc == 2
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["grpo_cpu_tiny", "grpo_gpu_7b", "grpo_learn_tiny", "grpo_smollm2_proxy",
                                  "sft_cpu_tiny", "sft_gpu_7b"])
def test_shipped_configs_build(name):
    from trl import SFTConfig

    from hdlgen.rewards import build_rewards
    from hdlgen.train.config import load_config, resolve_path, trl_args
    from hdlgen.train.grpo import grpo_args

    cfg = load_config(REPO / "configs" / f"{name}.yaml")
    if name.startswith("grpo"):
        cfg["grpo"]["bf16"] = False  # no GPU here; the GPU config sets it automatically there
        assert Path(resolve_path(cfg, cfg["data"]["problems"])).is_dir()
        assert grpo_args(cfg, build_rewards(cfg["rewards"])[1]).num_generations >= 4
    else:
        for st in cfg["sft"]["stages"]:
            assert Path(resolve_path(cfg, st["data"])).is_file()
            trl_args(SFTConfig, {"output_dir": "/tmp/unused", **st["args"], "bf16": False}, st["name"])
