"""One interface for every model backend: n samples for a batch of chat prompts, with token counts.

A :class:`Prompt` is chat messages plus an optional ``prefix``: text the assistant's reply already starts with.
The prefix is how the reasoning layer continues a reply after forcing ``</think>`` (thinking budgets), so
every backend must support it; returned text excludes the prefix.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from verilog_sim.errors import UserError

Message = dict[str, str]


class BackendError(UserError, RuntimeError):
    """The backend cannot run (missing package, unreachable server, model load failure); one clear line."""


@dataclass(frozen=True)
class Prompt:
    messages: tuple[Message, ...]
    prefix: str = ""  # start of the assistant's reply, already written for it

    @classmethod
    def of(cls, p: Prompt | Sequence[Message] | str, prefix: str = "") -> Prompt:
        if isinstance(p, Prompt):
            return p
        if isinstance(p, str):
            return cls(({"role": "user", "content": p},), prefix)
        return cls(tuple(dict(m) for m in p), prefix)


@dataclass(frozen=True)
class Completion:
    text: str  # generated text only (no prompt, no prefix); a matched stop string is removed
    tokens: int  # generated tokens as the model counted them
    prompt_tokens: int = 0
    finish_reason: str = "stop"  # "stop" (eos or stop string) | "length" (max_tokens reached)
    stop: str | None = None  # the stop string that ended it, if any


@dataclass
class GenerationParams:
    max_tokens: int = 512
    temperature: float = 0.7
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    on_text: Callable[[str], None] | None = None  # receives generated text as it is decoded (one prompt, n=1)


class Backend(ABC):
    """Subclasses implement :meth:`_generate`; callers use :meth:`generate`."""

    name = "base"
    streams = False  # True: _generate calls params.on_text as it decodes; else the whole text comes at the end

    def generate(self, prompts: Sequence[Prompt | Sequence[Message] | str], *, n: int = 1, max_tokens: int = 512,
                 temperature: float = 0.7, top_p: float = 1.0, stop: Sequence[str] = (),
                 seed: int | None = None, on_text: Callable[[str], None] | None = None) -> list[list[Completion]]:
        """``n`` completions for each prompt, in prompt order; ``max_tokens`` bounds each completion.

        ``on_text`` (one prompt, ``n`` = 1) receives the generated text piece by piece as it is decoded, so a
        user watching a slow local model sees it work; a backend that cannot stream passes it whole at the end.
        """
        if n < 1 or max_tokens < 1:
            raise ValueError("n and max_tokens must be >= 1")
        ps = [Prompt.of(p) for p in prompts]
        if not ps:
            return []
        sink = on_text if len(ps) == 1 and n == 1 else None
        params = GenerationParams(max_tokens, temperature, top_p, tuple(s for s in stop if s), seed, on_text=sink)
        out = self._generate(ps, n, params)
        if sink is not None and not self.streams and out and out[0]:
            sink(out[0][0].text)
        return out

    @abstractmethod
    def _generate(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]: ...

    def count_tokens(self, text: str) -> int | None:
        """Tokens of ``text`` under this backend's tokenizer, or None when it has none locally."""
        return None

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name}


def cut_at_stop(text: str, stop: Sequence[str]) -> tuple[str, str | None]:
    """``text`` up to the earliest stop string, and that stop string (None if none occurs)."""
    best, which = len(text), None
    for s in stop:
        i = text.find(s)
        if i != -1 and i < best:
            best, which = i, s
    return text[:best], which
