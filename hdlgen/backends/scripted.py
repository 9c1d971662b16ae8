"""A backend that replays given replies: for tests of the loop and for dry runs of a pipeline without a model.

Each script entry is one whole assistant reply. A call whose prompt prefix continues the reply in progress
(same messages, prefix extending what was returned so far) continues that entry; any other call starts the
next entry. Continuation resumes after the prefix, or at the matching place if the caller forced text
the entry does not contain (a closed ``</think>``, a code fence, section heads). Tokens are whitespace-separated words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import Backend, Completion, GenerationParams, Prompt, cut_at_stop

_WORD = re.compile(r"\s*\S+")


class ScriptedBackend(Backend):
    name = "scripted"
    streams = True  # word by word, like a model decoding

    def __init__(self, replies: Sequence[str], cycle: bool = False) -> None:
        if not replies:
            raise ValueError("ScriptedBackend needs at least one reply")
        self.replies, self.cycle = list(replies), cycle
        self.index = -1  # entry in progress
        self.calls: list[Prompt] = []  # every prompt seen, for assertions
        self._last: tuple[tuple, str] | None = None  # (messages, prefix + returned text)

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text))

    def _entry(self, prompt: Prompt) -> str:
        key = tuple(tuple(sorted(m.items())) for m in prompt.messages)
        continuing = (self._last is not None and self._last[0] == key and prompt.prefix
                      and prompt.prefix.startswith(self._last[1][: max(0, len(self._last[1]) - 1)] or "\0"))
        if not continuing or self.index < 0:
            self.index += 1
        if self.index >= len(self.replies):
            if not self.cycle:
                raise IndexError(f"ScriptedBackend: script of {len(self.replies)} replies is used up")
            self.index = 0
        return self.replies[self.index]

    def _continuation(self, reply: str, prefix: str) -> str:
        """What follows ``prefix`` in ``reply``, understanding the forced parts of the reasoning format."""
        if not prefix or reply.startswith(prefix):
            return reply[len(prefix):]
        if prefix.endswith("```verilog\n"):  # forced code fence: continue inside the reply's code block
            i = reply.find("```verilog")
            return reply[reply.find("\n", i) + 1:] if i != -1 and "\n" in reply[i:] else reply
        if "</think>" in prefix:
            j = reply.find("</think>")
            return reply[j + len("</think>"):].lstrip("\n") if j != -1 else reply
        if "<think>" in prefix:  # inside a (possibly sectioned) think: skip the words already given
            start, end = reply.find("<think>"), reply.find("</think>")
            body = reply[start + len("<think>"):end if end != -1 else None] if start != -1 else ""
            seen = [w for w in _WORD.findall(prefix.split("<think>", 1)[1]) if w.strip() not in ("Interface:", "Plan:")]
            rest = "".join(_WORD.findall(body)[len(seen):])
            return rest + ("\n</think>" if end != -1 else "")
        return reply

    def _generate(self, prompts: list[Prompt], n: int, params: GenerationParams) -> list[list[Completion]]:
        out = []
        for p in prompts:
            row = []
            for _ in range(n):
                self.calls.append(p)
                reply = self._entry(p)
                text, which = cut_at_stop(self._continuation(reply, p.prefix), params.stop)
                words = _WORD.findall(text)
                length = len(words) > params.max_tokens
                if length:
                    text = "".join(words[: params.max_tokens])
                self._last = (tuple(tuple(sorted(m.items())) for m in p.messages), p.prefix + text)
                if params.on_text is not None:
                    for w in _WORD.findall(text):
                        params.on_text(w)
                row.append(Completion(text=text, tokens=min(len(words), params.max_tokens),
                                      finish_reason="length" if length else "stop", stop=None if length else which))
            out.append(row)
        return out
