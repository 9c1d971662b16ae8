"""Two-stage SFT in the ReasoningV manner: stage 1 LoRA on (spec, code) for knowledge, stage 2 full-parameter
on (spec, reasoning, code) for reasoning. Each stage starts from the previous stage's output.

    sft:
      stages:
        - {name: lora, data: data/samples/sft_knowledge.jsonl, lora: {r: 16, alpha: 32}, merge: true,
           args: {max_steps: 100, learning_rate: 2.0e-4}}
        - {name: full, data: data/samples/sft_reasoning.jsonl, reasoning: true,
           args: {max_steps: 100, learning_rate: 1.0e-5}}

``args`` are ``trl.SFTConfig`` options. A stage with a ``lora`` mapping trains an adapter; ``merge: true``
(default) saves the merged model, ``false`` keeps the adapter (the next stage merges it on load).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import ConfigError, resolve_path, section, trl_args
from .model import cuda_available, load_for_training, write_stage_info

LORA_KEYS = {"r", "alpha", "dropout", "target_modules", "layers"}


def stages(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    items = section(cfg, "sft").get("stages")
    if not isinstance(items, list) or not items:
        raise ConfigError("sft.stages must be a non-empty list of stages")
    names = [s.get("name") for s in items if isinstance(s, dict)]
    if len(names) != len(items) or not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
        raise ConfigError("every sft stage needs a unique string 'name'")
    return items


def run_sft(cfg: dict[str, Any], only: str | None = None, log: Any = None) -> dict[str, Path]:
    """Run the configured stages in order (or only the named one); returns each stage's output folder."""
    out_root = Path(cfg.get("output_dir") or "runs/sft")
    todo = stages(cfg)
    if only is not None and only not in [s["name"] for s in todo]:
        raise ConfigError(f"no sft stage named {only!r}; stages: {[s['name'] for s in todo]}")
    start = str(cfg.get("model") or "smollm2-135m")
    outputs: dict[str, Path] = {}
    for st in todo:
        out = out_root / st["name"]
        if only is None or st["name"] == only:
            _run_stage(cfg, st, start, out, log)
            outputs[st["name"]] = out
        start = str(out)
    return outputs


def _lora_config(spec: dict[str, Any], where: str) -> Any:
    from peft import LoraConfig

    if unknown := set(spec) - LORA_KEYS:
        raise ConfigError(f"{where}.lora: unknown option(s) {sorted(unknown)}; allowed: {sorted(LORA_KEYS)}")
    if spec.get("layers") is not None and isinstance(spec.get("target_modules", "all-linear"), str):
        raise ConfigError(f"{where}.lora: 'layers' needs target_modules as a list of module names "
                          "(e.g. [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj])")
    return LoraConfig(r=int(spec.get("r", 16)), lora_alpha=int(spec.get("alpha", 32)),
                      lora_dropout=float(spec.get("dropout", 0.05)),
                      target_modules=spec.get("target_modules", "all-linear"), task_type="CAUSAL_LM",
                      layers_to_transform=spec.get("layers"))


def _run_stage(cfg: dict[str, Any], st: dict[str, Any], start: str, out: Path, log: Any) -> None:
    from trl import SFTConfig, SFTTrainer

    from .data import sft_dataset

    where = f"sft.stages[{st['name']}]"
    unknown = set(st) - {"name", "data", "reasoning", "lora", "merge", "args"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
    if not st.get("data"):
        raise ConfigError(f"{where}: 'data' (a JSONL file) is required")
    dataset = sft_dataset(resolve_path(cfg, st["data"]), with_reasoning=bool(st.get("reasoning", False)))
    defaults = {"output_dir": str(out), "report_to": "none", "logging_steps": 1, "save_strategy": "no",
                "seed": int(cfg.get("seed", 0)), "bf16": cuda_available(), "max_length": 1024}
    args = trl_args(SFTConfig, {**defaults, **(st.get("args") or {})}, f"{where}.args")
    model, tok = load_for_training(start)
    lora = st.get("lora")
    peft_config = _lora_config(dict(lora), where) if isinstance(lora, dict) else None
    trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tok,
                         peft_config=peft_config)
    trainer.train()
    out.mkdir(parents=True, exist_ok=True)
    keep_adapter = peft_config is not None and not st.get("merge", True)
    if peft_config is not None and not keep_adapter:
        merged = trainer.model.merge_and_unload()
        merged.save_pretrained(out)
    else:
        trainer.save_model(str(out))
    tok.save_pretrained(out)
    write_stage_info(out, base=start, adapter=keep_adapter, stage=st["name"])
    if log:
        log(f"sft stage {st['name']}: {len(dataset)} records, {trainer.state.global_step} steps -> {out}")
