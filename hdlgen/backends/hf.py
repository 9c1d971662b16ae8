"""Local generation with Hugging Face transformers: chat template from the tokenizer, left-padded batches."""

from __future__ import annotations

from typing import Any

from ..models import ModelLoadError, ModelSpec, load_causal_lm, resolve_model
from .base import Backend, BackendError, Completion, GenerationParams, Prompt, cut_at_stop


class TransformersBackend(Backend):
    name = "transformers"
    streams = True  # through a transformers TextStreamer when one prompt is decoded alone

    def __init__(self, model: Any, tokenizer: Any, spec: ModelSpec | None = None, batch_size: int = 8) -> None:
        self.model, self.tok, self.spec, self.batch_size = model, tokenizer, spec, batch_size
        self.tok.padding_side = "left"
        eos = model.generation_config.eos_token_id if model.generation_config is not None else None
        eos_ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        if tokenizer.eos_token_id is not None:
            eos_ids.add(tokenizer.eos_token_id)
        self.eos_ids = eos_ids
        self.pad_id = tokenizer.pad_token_id

    @classmethod
    def load(cls, model: str | ModelSpec | None, device: str | None = None, dtype: Any = None) -> TransformersBackend:
        try:
            spec = model if isinstance(model, ModelSpec) else resolve_model(model)
            m, tok = load_causal_lm(spec, dtype=dtype, device=device)
        except ModelLoadError as exc:
            raise BackendError(str(exc)) from exc
        return cls(m, tok, spec)

    def render(self, prompt: Prompt) -> str:
        text = self.tok.apply_chat_template(list(prompt.messages), add_generation_prompt=True, tokenize=False)
        return text + prompt.prefix

    def count_tokens(self, text: str) -> int:
        return len(self.tok(text, add_special_tokens=False)["input_ids"])

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "model": self.spec.to_dict() if self.spec else None,
                "device": str(self.model.device)}

    def _generate(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]:
        import torch

        if params.seed is not None:
            torch.manual_seed(params.seed)
        out: list[list[Completion]] = []
        for i in range(0, len(prompts), self.batch_size):
            out.extend(self._batch(prompts[i:i + self.batch_size], n, params))
        return out

    def _batch(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]:
        import torch

        texts = [self.render(p) for p in prompts]
        enc = self.tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.model.device)
        sample = params.temperature > 0
        per = n if sample else 1  # greedy decoding gives one answer; it is repeated n times
        kwargs: dict[str, Any] = dict(max_new_tokens=params.max_tokens, do_sample=sample, num_return_sequences=per,
                                      pad_token_id=self.pad_id)
        if sample:
            kwargs.update(temperature=params.temperature, top_p=params.top_p)
        else:
            kwargs.update(temperature=None, top_p=None, top_k=None)
        if params.stop:
            kwargs["stopping_criteria"] = [_StopOnGenerated(self.tok, params.stop, enc["input_ids"].shape[1])]
        if params.on_text is not None and len(prompts) == 1 and per == 1:
            kwargs["streamer"] = _text_sink(self.tok, params.on_text)
        with torch.no_grad():
            gen = self.model.generate(**enc, **kwargs)
        width = enc["input_ids"].shape[1]
        prompt_lens = enc["attention_mask"].sum(dim=1).tolist()
        result: list[list[Completion]] = []
        for j, _ in enumerate(prompts):
            row: list[Completion] = []
            for k in range(n):
                ids = gen[j * per + (k if sample else 0), width:].tolist()
                row.append(self._completion(ids, int(prompt_lens[j]), params))
            result.append(row)
        return result

    def _completion(self, ids: list[int], prompt_tokens: int, params: GenerationParams) -> Completion:
        count, ended_eos = len(ids), False
        for idx, t in enumerate(ids):
            if t in self.eos_ids:
                count, ended_eos = idx + 1, True
                break
            if t == self.pad_id:
                count = idx
                break
        body = [t for t in ids[:count] if t not in self.eos_ids]
        text = self.tok.decode(body, skip_special_tokens=False)
        text, which = cut_at_stop(text, params.stop)
        finish = "stop" if ended_eos or which else ("length" if count >= params.max_tokens else "stop")
        return Completion(text=text, tokens=count, prompt_tokens=prompt_tokens, finish_reason=finish, stop=which)


def _text_sink(tok: Any, on_text: Any) -> Any:
    """A transformers streamer that hands decoded text (whole words) to ``on_text`` instead of printing it."""
    from transformers import TextStreamer

    class _Sink(TextStreamer):
        def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
            if text:
                on_text(text)

    return _Sink(tok, skip_prompt=True, skip_special_tokens=True)


def _stop_criteria_base() -> type:
    from transformers import StoppingCriteria

    return StoppingCriteria


class _StopOnGenerated(_stop_criteria_base()):  # type: ignore[misc]
    """Stop a row when a stop string appears in its generated text (transformers' own ``stop_strings`` also
    matches across the end of the prompt, which stops a reply whose prefix ends like a stop string)."""

    def __init__(self, tok: Any, stop: tuple[str, ...], width: int) -> None:
        self.tok, self.stop, self.width = tok, stop, width
        self.tail = max(len(s) for s in stop) + 8  # tokens to decode: enough to hold any stop string

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        done = []
        for row in input_ids[:, self.width:]:
            text = self.tok.decode(row[-self.tail:], skip_special_tokens=False)
            done.append(any(s in text for s in self.stop))
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)
