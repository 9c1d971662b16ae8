"""Any OpenAI-compatible server (``vllm serve``, llama.cpp ``llama-server``, others) over plain HTTP (stdlib).

Uses ``/chat/completions`` so the server applies the model's own chat template. A prompt ``prefix`` is sent as
a final assistant message with ``continue_final_message`` (vLLM's flag; llama.cpp continues a trailing
assistant message by itself). One request per sample, so every completion has its exact token count.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse

from .base import Backend, BackendError, Completion, GenerationParams, Prompt, cut_at_stop


def normalize_base_url(url: str) -> str:
    """``http://host:8000`` → ``http://host:8000/v1``; a URL with a path is kept as given."""
    u = urlparse(url)
    if u.scheme not in ("http", "https") or not u.netloc:
        raise BackendError(f"--base-url must be an http(s) URL like http://127.0.0.1:8000/v1, got {url!r}")
    return url.rstrip("/") + ("/v1" if u.path in ("", "/") else "")


class OpenAIBackend(Backend):
    name = "openai"

    def __init__(self, base_url: str, model: str | None = None, api_key: str | None = None, timeout: float = 600.0,
                 concurrency: int = 8) -> None:
        self.base_url = normalize_base_url(base_url)
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"
        self.timeout, self.concurrency = timeout, concurrency
        self.model = model or self._first_model()

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "base_url": self.base_url, "model": self.model}

    def _request(self, path: str, body: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {self.api_key}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise BackendError(f"{self.base_url}{path}: HTTP {exc.code}: {detail[0][:300] if detail else exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BackendError(f"cannot reach the server at {self.base_url}: {reason}") from exc
        except json.JSONDecodeError as exc:
            raise BackendError(f"{self.base_url}{path}: the server did not answer JSON") from exc

    def _first_model(self) -> str:
        data = self._request("/models", timeout=min(self.timeout, 10.0))
        models = [m.get("id") for m in (data.get("data") or []) if isinstance(m, dict) and m.get("id")]
        if not models:
            raise BackendError(f"{self.base_url}/models lists no model; pass --model NAME")
        return str(models[0])

    def _one(self, prompt: Prompt, params: GenerationParams, seed: int | None) -> Completion:
        messages = [dict(m) for m in prompt.messages]
        body: dict[str, Any] = {"model": self.model, "max_tokens": params.max_tokens,
                                "temperature": params.temperature, "top_p": params.top_p, "n": 1}
        if prompt.prefix:
            messages.append({"role": "assistant", "content": prompt.prefix})
            body.update(continue_final_message=True, add_generation_prompt=False)
        body["messages"] = messages
        if params.stop:
            body["stop"] = list(params.stop)
        if seed is not None:
            body["seed"] = seed
        data = self._request("/chat/completions", body)
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise BackendError(f"{self.base_url}/chat/completions: unexpected answer shape") from exc
        if prompt.prefix and text.startswith(prompt.prefix):  # some servers echo the continued message
            text = text[len(prompt.prefix):]
        text, which = cut_at_stop(text, params.stop)
        reason = choice.get("stop_reason")
        usage = data.get("usage") or {}
        return Completion(text=text, tokens=int(usage.get("completion_tokens") or 0),
                          prompt_tokens=int(usage.get("prompt_tokens") or 0),
                          finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
                          stop=which or (reason if isinstance(reason, str) else None))

    def _generate(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]:
        jobs = [(i, k) for i in range(len(prompts)) for k in range(n)]
        seed = params.seed

        def run(job: tuple[int, int]) -> Completion:
            i, k = job
            return self._one(prompts[i], params, None if seed is None else seed + k)

        with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(jobs)))) as pool:
            results = list(pool.map(run, jobs))
        out: list[list[Completion]] = [[] for _ in prompts]
        for (i, _), c in zip(jobs, results):
            out[i].append(c)
        return out
