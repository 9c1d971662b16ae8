"""vLLM's offline engine (``pip install 'hdlgen[vllm]'``, needs a GPU); imported only when chosen."""

from __future__ import annotations

from typing import Any

from ..models import ModelLoadError, ModelSpec, resolve_model
from .base import Backend, BackendError, Completion, GenerationParams, Prompt, cut_at_stop


class VLLMBackend(Backend):
    name = "vllm"

    def __init__(self, llm: Any, spec: ModelSpec | None = None) -> None:
        self.llm, self.spec = llm, spec
        self.tok = llm.get_tokenizer()

    @classmethod
    def load(cls, model: str | ModelSpec | None, **engine_kwargs: Any) -> VLLMBackend:
        try:
            import vllm
        except ModuleNotFoundError as exc:
            raise BackendError("the vllm backend needs vLLM: pip install 'hdlgen[vllm]' (Linux with a CUDA GPU); "
                               "or use --backend transformers, or --backend openai --base-url URL") from exc
        try:
            spec = model if isinstance(model, ModelSpec) else resolve_model(model)
        except ModelLoadError as exc:
            raise BackendError(str(exc)) from exc
        kwargs: dict[str, Any] = dict(engine_kwargs)
        target = spec.path
        if spec.gguf_file:
            target = f"{spec.path}/{spec.gguf_file}"
            kwargs.setdefault("tokenizer", spec.path)
        try:
            llm = vllm.LLM(model=target, **kwargs)
        except Exception as exc:  # vLLM raises many types on a bad model or too little GPU memory
            raise BackendError(f"vLLM could not load {target}: {exc}") from exc
        return cls(llm, spec)

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "model": self.spec.to_dict() if self.spec else None}

    def count_tokens(self, text: str) -> int:
        return len(self.tok(text, add_special_tokens=False)["input_ids"])

    def _generate(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]:
        from vllm import SamplingParams

        texts = [self.tok.apply_chat_template(list(p.messages), add_generation_prompt=True, tokenize=False) + p.prefix
                 for p in prompts]
        sp = SamplingParams(n=n, max_tokens=params.max_tokens, temperature=params.temperature, top_p=params.top_p,
                            stop=list(params.stop) or None, seed=params.seed)
        outs = self.llm.generate(texts, sp, use_tqdm=False)
        result: list[list[Completion]] = []
        for o in outs:
            row = []
            for c in o.outputs:
                text, which = cut_at_stop(c.text, params.stop)
                reason = c.stop_reason if isinstance(c.stop_reason, str) else None
                row.append(Completion(text=text, tokens=len(c.token_ids), prompt_tokens=len(o.prompt_token_ids or []),
                                      finish_reason="length" if c.finish_reason == "length" else "stop",
                                      stop=which or reason))
            result.append(row)
        return result
