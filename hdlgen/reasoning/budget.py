"""Depth made real: thinking is decoded under a hard token budget, then closed, and the answer is forced.

Each depth is a short sequence of decoding phases over one assistant reply, continued through the backend's
``prefix`` (so it works the same for transformers, vLLM and an HTTP server):

- ``none``:        the reply is pre-filled with an empty ``<think>\\n</think>`` and the code fence; only code is decoded.
- ``standard``:    ``<think>`` is decoded with ``max_tokens = budget`` and stop ``</think>``; whatever it wrote,
                   ``</think>`` and the code fence are then appended and the code is decoded.
- ``decomposed``:  as ``standard`` but thinking is two forced sections, ``Interface:`` (a third of the budget) and
                   ``Plan:`` (what is left), so the plan is always written.

Thinking tokens are counted by the model's own decoder, and every phase's ``max_tokens`` is the budget left,
so no attempt can think longer than its budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..backends.base import Backend, Completion, Message, Prompt

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
FENCE_OPEN, FENCE_CLOSE = "```verilog\n", "```"
INTERFACE_HEAD, PLAN_HEAD = "Interface:\n", "Plan:\n"
INTERFACE_SHARE = 3  # the interface section gets budget // 3


@dataclass(frozen=True)
class Reasoned:
    """One reply in the shared format, with its token accounting."""

    text: str  # the whole assistant reply: <think>...</think> then a fenced ```verilog answer
    think: str
    answer: str  # the code inside the fence
    think_tokens: int  # decoded thinking tokens (the model's count), never above budget
    answer_tokens: int
    budget: int
    budget_hit: bool  # thinking was cut by the budget rather than closed by the model
    answer_truncated: bool  # the code reached max answer tokens without closing its fence

    def to_dict(self) -> dict[str, Any]:
        return {"think_tokens": self.think_tokens, "answer_tokens": self.answer_tokens, "budget": self.budget,
                "budget_hit": self.budget_hit, "answer_truncated": self.answer_truncated}


OnText = Callable[[str], None]


def _phase(backend: Backend, messages: Sequence[Message], prefixes: list[str], *, max_tokens: int, stop: list[str],
           temperature: float, seed: int | None, n: int = 1, on_text: OnText | None = None) -> list[Completion]:
    """One decoding step for every running sample; a single prefix with ``n`` > 1 fans out into n samples."""
    if n > 1:
        return backend.generate([Prompt(tuple(messages), prefixes[0])], n=n, max_tokens=max_tokens,
                                temperature=temperature, stop=stop, seed=seed)[0]
    rows = backend.generate([Prompt(tuple(messages), p) for p in prefixes], n=1, max_tokens=max_tokens,
                            temperature=temperature, stop=stop, seed=seed, on_text=on_text)
    return [r[0] for r in rows]


def generate_reasoned(backend: Backend, messages: Sequence[Message], depth: str, *, budget: int, n: int = 1,
                      max_answer_tokens: int = 1024, temperature: float = 0.2, seed: int | None = None,
                      on_text: OnText | None = None) -> list[Reasoned]:
    """``n`` replies at ``depth`` with at most ``budget`` thinking tokens each.

    ``on_text`` (``n`` = 1) receives the reply as it is written: decoded text as the backend streams it, and
    the parts this layer forces (``<think>``, section heads, ``</think>``, the code fence) where they go.
    """
    if depth not in ("none", "standard", "decomposed"):
        raise ValueError(f"depth must be none, standard or decomposed, got {depth!r}")
    say = on_text if n == 1 else None
    if depth == "none" or budget <= 0:
        think_texts, think_tokens, hit = [""] * n, [0] * n, [False] * n
        prefixes = [f"{THINK_OPEN}\n{THINK_CLOSE}\n"] * n
        if say:
            say(prefixes[0])
    else:
        think_texts, think_tokens, hit = _think(backend, messages, depth, budget, n, temperature, seed, say)
        prefixes = [f"{THINK_OPEN}\n{t.rstrip()}\n{THINK_CLOSE}\n" for t in think_texts]
        if say:
            say(f"\n{THINK_CLOSE}\n")
    if say:
        say(FENCE_OPEN)
    answers = _phase(backend, messages, [p + FENCE_OPEN for p in prefixes], max_tokens=max_answer_tokens,
                     stop=[FENCE_CLOSE], temperature=temperature, seed=seed, on_text=say)
    if say:
        say(f"\n{FENCE_CLOSE}\n")
    out = []
    for i, a in enumerate(answers):
        code = a.text.rstrip()
        text = f"{prefixes[i]}{FENCE_OPEN}{code}\n{FENCE_CLOSE}\n"
        out.append(Reasoned(text=text, think=think_texts[i].strip(), answer=code, think_tokens=think_tokens[i],
                            answer_tokens=a.tokens, budget=budget if depth != "none" else 0, budget_hit=hit[i],
                            answer_truncated=a.finish_reason == "length"))
    return out


def _think(backend: Backend, messages: Sequence[Message], depth: str, budget: int, n: int, temperature: float,
           seed: int | None, say: OnText | None = None) -> tuple[list[str], list[int], list[bool]]:
    """Decode the think section(s) under ``budget``; returns texts (without tags), token counts, budget hits."""
    if say:
        say(f"{THINK_OPEN}\n" + (INTERFACE_HEAD if depth == "decomposed" else ""))
    if depth == "standard":
        first = _phase(backend, messages, [f"{THINK_OPEN}\n"], max_tokens=budget, stop=[THINK_CLOSE],
                       temperature=temperature, seed=seed, n=n, on_text=say)
        return ([c.text for c in first], [c.tokens for c in first],
                [c.finish_reason == "length" or c.tokens >= budget for c in first])
    part = max(1, budget // INTERFACE_SHARE)
    head = f"{THINK_OPEN}\n{INTERFACE_HEAD}"
    iface = _phase(backend, messages, [head], max_tokens=part, stop=[THINK_CLOSE, PLAN_HEAD.strip()],
                   temperature=temperature, seed=seed, n=n, on_text=say)
    texts = [INTERFACE_HEAD + c.text.rstrip() + "\n" for c in iface]
    used = [c.tokens for c in iface]
    left = [budget - u for u in used]
    running = [i for i in range(n) if left[i] > 0]
    hit = [False] * n
    if running:
        # each sample has its own remainder, so plans are decoded one sample at a time
        for i in running:
            if say:
                say(f"\n{PLAN_HEAD}")
            plan = _phase(backend, messages, [f"{THINK_OPEN}\n{texts[i]}{PLAN_HEAD}"], max_tokens=left[i],
                          stop=[THINK_CLOSE], temperature=temperature, seed=seed, on_text=say)[0]
            texts[i] += PLAN_HEAD + plan.text
            used[i] += plan.tokens
            hit[i] = plan.finish_reason == "length" or used[i] >= budget
    for i in range(n):
        if left[i] <= 0:
            hit[i] = True
    return texts, used, hit
