"""Trainer callbacks: every log line to ``metrics.jsonl`` (reward components included), and a periodic
evaluation of the verified pass rate: greedy answers to held problems, judged by the verifier."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from verilog_sim.problem import Problem


class MetricsFile(TrainerCallback):
    """Appends ``{"step": …, **logs}`` per log event; plots and reports read this file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("")

    def write(self, record: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, default=float) + "\n")

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
        if logs:
            self.write({"step": state.global_step, **logs})


def verified_pass_rate(model: Any, tok: Any, problems: list[Problem], messages: list[list[dict[str, str]]],
                       max_new_tokens: int, seed: int | None = 0,
                       prefixes: list[str] | None = None) -> tuple[float, list[str]]:
    """Share of ``problems`` whose greedy answer passes verification, and the answers' statuses
    (``prefixes``: the prefilled start of each reply, judged with the answer)."""
    import torch

    from hdlgen.rewards.verdicts import VerifySettings, group_verdicts

    texts: list[str] = []
    was_training = model.training
    model.eval()
    pad_side = tok.padding_side
    tok.padding_side = "left"
    try:
        prompts = [tok.apply_chat_template(m, add_generation_prompt=True, tokenize=False) for m in messages]
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        with torch.no_grad():
            out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        texts = tok.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        if prefixes:
            texts = [p + t for p, t in zip(prefixes, texts)]
    finally:
        tok.padding_side = pad_side
        if was_training:
            model.train()
    verdicts = group_verdicts(problems, texts, VerifySettings(seed=seed))
    statuses = [v.status.value if v else "none" for v in verdicts]
    return sum(s == "pass" for s in statuses) / max(1, len(problems)), statuses


class PassRateEval(TrainerCallback):
    """Every ``every`` steps (and at the start and end) log ``eval/verified_pass_rate``."""

    def __init__(self, problems: list[Problem], messages: list[list[dict[str, str]]], every: int,
                 max_new_tokens: int, metrics: MetricsFile, seed: int | None = 0,
                 prefixes: list[str] | None = None) -> None:
        self.problems, self.messages, self.prefixes = problems, messages, prefixes
        self.every, self.max_new_tokens, self.metrics, self.seed = every, max_new_tokens, metrics, seed
        self.trainer: Any = None
        self.history: list[dict[str, Any]] = []

    def _run(self, state: Any) -> None:
        if self.trainer is None or not self.problems:
            return
        if self.history and self.history[-1]["step"] == state.global_step:
            return
        model = self.trainer.accelerator.unwrap_model(self.trainer.model)
        t0 = time.perf_counter()
        rate, statuses = verified_pass_rate(model, self.trainer.processing_class, self.problems, self.messages,
                                            self.max_new_tokens, self.seed, self.prefixes)
        rec = {"step": state.global_step, "eval/verified_pass_rate": rate, "eval/statuses": statuses,
               "eval/seconds": round(time.perf_counter() - t0, 2)}
        self.history.append(rec)
        state.log_history.append(dict(rec))
        self.metrics.write(rec)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self._run(state)

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        if self.every and state.global_step % self.every == 0:
            self._run(state)

    def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self._run(state)
