"""Model backends behind one interface: ``transformers`` (local), ``vllm`` (offline engine), ``openai`` (HTTP)."""

from __future__ import annotations

from typing import Any

from .base import Backend, BackendError, Completion, GenerationParams, Prompt

BACKENDS = ("transformers", "vllm", "openai")


def make_backend(name: str, *, model: str | None = None, base_url: str | None = None, api_key: str | None = None,
                 device: str | None = None, dtype: Any = None, timeout: float = 600.0) -> Backend:
    """Build a backend by name; the error lists the valid names. Imports heavy packages only when needed."""
    if name == "transformers":
        from .hf import TransformersBackend

        return TransformersBackend.load(model, device=device, dtype=dtype)
    if name == "vllm":
        from .vllm import VLLMBackend

        return VLLMBackend.load(model)
    if name == "openai":
        from .openai import OpenAIBackend

        if not base_url:
            raise BackendError("the openai backend needs --base-url (e.g. http://127.0.0.1:8000/v1)")
        return OpenAIBackend(base_url, model=model, api_key=api_key, timeout=timeout)
    raise BackendError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Backend", "BackendError", "Completion", "GenerationParams", "Prompt", "make_backend"]
