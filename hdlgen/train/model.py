"""Loading what a training stage starts from: a registered name, a local model, or an earlier stage's output
(a merged model, or a LoRA adapter that is merged into its base on load)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .config import ConfigError

STAGE_INFO = "hdlgen_stage.json"


def load_for_training(name: str, dtype: Any = None) -> tuple[Any, Any]:
    """(model, tokenizer) in training mode; an adapter-only stage output is merged into its recorded base."""
    from hdlgen.models import ModelLoadError, load_causal_lm

    info_path = Path(name) / STAGE_INFO
    info = json.loads(info_path.read_text()) if info_path.is_file() else {}
    try:
        if info.get("adapter"):
            from peft import PeftModel

            base, tok = load_causal_lm(info["base"], dtype=dtype)
            model = PeftModel.from_pretrained(base, name).merge_and_unload()
        else:
            model, tok = load_causal_lm(name, dtype=dtype)
    except ModelLoadError as exc:
        raise ConfigError(str(exc)) from exc
    _drop_gguf_marker(model)
    model.train()
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return model, tok


def _drop_gguf_marker(model: Any) -> None:
    """transformers de-quantizes GGUF weights to plain tensors on load but keeps a GGUF "quantizer" mark,
    which makes Trainer refuse full fine-tuning; the weights are ordinary floats, so drop the mark."""
    quantizer = getattr(model, "hf_quantizer", None)
    method = getattr(getattr(quantizer, "quantization_config", None), "quant_method", None)
    if quantizer is None or str(getattr(method, "value", method)) != "gguf":
        return
    model.hf_quantizer = None
    if "is_quantized" in vars(model):
        model.is_quantized = False
    if "quantization_method" in vars(model):
        model.quantization_method = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


def write_stage_info(out: Path, *, base: str, adapter: bool, stage: str) -> None:
    (out / STAGE_INFO).write_text(json.dumps({"base": base, "adapter": adapter, "stage": stage}, indent=1))


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()
