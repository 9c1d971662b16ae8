"""GRPO with verifier rewards on TRL's ``GRPOTrainer`` (TRL owns the RL loop; hdlgen supplies data and rewards).

    model: smollm2-135m                  # or a 7B id / an SFT stage's output
    output_dir: runs/grpo
    data: {problems: data/problems, difficulty: [easy], repeat: 8}
    prompt: {depth: standard, budget: 64}
    rewards: {functional: {weight: 1.0}, format: {weight: 0.2}, length: {weight: 0.1}}
    grpo: {max_steps: 20, num_generations: 4, max_completion_length: 128, use_vllm: auto}   # GRPOConfig
    lora: {r: 16, alpha: 32}             # optional: train an adapter instead of all weights
    eval: {every: 5, limit: 4, max_new_tokens: 128}

Writes checkpoints (``grpo.save_steps``), ``metrics.jsonl`` (TRL's logs: ``rewards/<name>/mean`` per reward
component, plus ``eval/verified_pass_rate``) and the final model under ``output_dir/final``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from .config import ConfigError, resolve_path, section, trl_args

DATA_KEYS = {"problems", "difficulty", "names", "limit", "repeat"}
EVAL_KEYS = {"every", "problems", "difficulty", "names", "limit", "max_new_tokens"}
PROMPT_KEYS = {"depth", "budget", "prefill"}
AUDIT_KEYS = {"passes"}


def _wrap_rewards(cfg: dict[str, Any], funcs: list[Any], prefill: bool, out: Path) -> list[Any]:
    """``prompt.prefill``: rewards judge prefill + completion. ``audit.passes: true``: every functional pass
    goes to ``output_dir/passes.jsonl`` for re-judging."""
    from .wrappers import PassLog, Prefilled

    audit = section(cfg, "audit")
    if unknown := set(audit) - AUDIT_KEYS:
        raise ConfigError(f"audit: unknown key(s) {sorted(unknown)}; allowed: {sorted(AUDIT_KEYS)}")
    wrapped = []
    for f in funcs:
        if audit.get("passes") and f.__name__ == "functional":
            f = PassLog(f, out / "passes.jsonl")
        wrapped.append(Prefilled(f) if prefill else f)
    return wrapped


def vllm_wanted(value: Any) -> bool:
    """``use_vllm: auto`` means: when vLLM is installed and a GPU is present."""
    if value == "auto":
        if importlib.util.find_spec("vllm") is None:
            return False
        from .model import cuda_available

        return cuda_available()
    return bool(value)


def grpo_args(cfg: dict[str, Any], n_rewards_weights: list[float]) -> Any:
    from trl import GRPOConfig

    from .model import cuda_available

    values = section(cfg, "grpo")
    values["use_vllm"] = vllm_wanted(values.get("use_vllm", "auto"))
    if values["use_vllm"]:
        values.setdefault("vllm_mode", "colocate")
    defaults = {"output_dir": str(cfg.get("output_dir") or "runs/grpo"), "report_to": "none", "logging_steps": 1,
                "seed": int(cfg.get("seed", 0)), "bf16": cuda_available(), "save_strategy": "steps",
                "save_steps": 50, "num_generations": 4, "per_device_train_batch_size": 4,
                "max_completion_length": 256, "beta": 0.0}
    merged = {**defaults, **values, "reward_weights": n_rewards_weights}
    return trl_args(GRPOConfig, merged, "grpo")


def _problems(cfg: dict[str, Any], spec: dict[str, Any]) -> list[Any]:
    from .data import load_problems

    src = resolve_path(cfg, spec.get("problems") or "data/problems")
    return load_problems(src, difficulty=spec.get("difficulty"), names=spec.get("names"), limit=spec.get("limit"))


def build_trainer(cfg: dict[str, Any], log: Any = None) -> tuple[Any, Any]:
    """(GRPOTrainer, PassRateEval callback or None), ready to ``train()``."""
    from trl import GRPOTrainer

    from hdlgen.rewards import RewardConfigError, build_rewards

    from .callbacks import MetricsFile, PassRateEval
    from .data import grpo_dataset, prefill_text, problem_messages
    from .model import load_for_training
    from .sft import _lora_config

    data = section(cfg, "data")
    if unknown := set(data) - DATA_KEYS:
        raise ConfigError(f"data: unknown key(s) {sorted(unknown)}; allowed: {sorted(DATA_KEYS)}")
    prompt = section(cfg, "prompt")
    if unknown := set(prompt) - PROMPT_KEYS:
        raise ConfigError(f"prompt: unknown key(s) {sorted(unknown)}; allowed: {sorted(PROMPT_KEYS)}")
    depth, budget = str(prompt.get("depth", "standard")), int(prompt.get("budget", 128))
    prefill = bool(prompt.get("prefill", False))
    problems = _problems(cfg, data)
    dataset = grpo_dataset(problems, depth, budget, repeat=int(data.get("repeat", 1)), prefill=prefill)
    try:
        funcs, weights = build_rewards(cfg.get("rewards"))
    except RewardConfigError as exc:
        raise ConfigError(str(exc)) from exc
    args = grpo_args(cfg, weights)
    funcs = _wrap_rewards(cfg, funcs, prefill, Path(args.output_dir))
    model, tok = load_for_training(str(cfg.get("model") or "smollm2-135m"))
    lora = cfg.get("lora")
    peft_config = _lora_config(dict(lora), "lora") if isinstance(lora, dict) else None
    metrics = MetricsFile(Path(args.output_dir) / "metrics.jsonl")
    callbacks: list[Any] = [metrics]
    evaluator = None
    ev = section(cfg, "eval")
    if unknown := set(ev) - EVAL_KEYS:
        raise ConfigError(f"eval: unknown key(s) {sorted(unknown)}; allowed: {sorted(EVAL_KEYS)}")
    if ev and int(ev.get("every", 0)) > 0:
        ev_problems = _problems(cfg, {**data, **ev} if not ev.get("problems") else ev)
        evaluator = PassRateEval(ev_problems, [problem_messages(q, depth, budget, prefill) for q in ev_problems],
                                 every=int(ev["every"]), max_new_tokens=int(ev.get("max_new_tokens", 256)),
                                 metrics=metrics,
                                 prefixes=[prefill_text(q) for q in ev_problems] if prefill else None)
        callbacks.append(evaluator)
    trainer = GRPOTrainer(model=model, reward_funcs=funcs, args=args, train_dataset=dataset,
                          processing_class=tok, callbacks=callbacks, peft_config=peft_config)
    if evaluator is not None:
        evaluator.trainer = trainer
    if log:
        log(f"grpo: {len(problems)} problems x{data.get('repeat', 1)}, rewards "
            f"{[f.__name__ for f in funcs]} weights {weights}, vLLM {'on' if args.use_vllm else 'off'}")
    return trainer, evaluator


def run_grpo(cfg: dict[str, Any], log: Any = None) -> Path:
    """Train, save the final model under ``output_dir/final`` (with ``lora``, the adapter merged into the
    weights); returns that folder."""
    trainer, _ = build_trainer(cfg, log)
    trainer.train()
    final = Path(trainer.args.output_dir) / "final"
    if hasattr(trainer.model, "merge_and_unload"):  # a LoRA run: final is the merged model, loadable as any other
        trainer.model.merge_and_unload().save_pretrained(final)
    else:
        trainer.save_model(str(final))
    trainer.processing_class.save_pretrained(final)
    return final
