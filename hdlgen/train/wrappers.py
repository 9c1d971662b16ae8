"""Reward-function wrappers for GRPO: prepend a prefilled reply start, and log every functional pass.

Both keep the wrapped reward's ``__name__`` (TRL logs ``rewards/<name>/mean``) and pass every other column
through unchanged, so the project's rewards in :mod:`hdlgen.rewards` do the judging.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hdlgen.rewards.completion import completion_text

AUDIT_COLUMNS = ("task_id", "top", "ref", "ref_top", "test", "test_kind", "test_top", "pass_regex", "fail_regex",
                 "extra_files")


def _col(columns: dict[str, Any], name: str, i: int) -> Any:
    v = columns.get(name)
    return v[i] if isinstance(v, (list, tuple)) else v


class Prefilled:
    """Judge ``prefill + completion``: the model continued a reply that the prompt had started (the fence and
    the module header), so the text to verify is the whole reply.

    >>> r = Prefilled(lambda prompts, completions, **kw: [len(c) for c in completions])
    >>> r(["p"], ["end"], prefill=["ab"])
    [5]
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.__name__ = getattr(inner, "__name__", "reward")

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        texts = [(_col(columns, "prefill", i) or "") + completion_text(c) for i, c in enumerate(completions)]
        return self.inner(prompts, texts, **columns)


class PassLog:
    """Calls the functional reward and appends every completion it paid 1.0 to a JSONL file (the problem's
    fields, the text as judged, the call number), so each pass can be re-judged alone afterwards. Wrap it in
    :class:`Prefilled`, not the other way round, so the logged text is the whole reply.

    Beside it, ``audit.jsonl`` gets one line per call: how many completions got each verdict status and how many
    were refused by each admission rule (``verilog_sim.admission``): how often the policy tries what the judge
    forbids. The verdicts come from the reward's cache, so the tally costs no second judging."""

    def __init__(self, inner: Any, path: str | Path) -> None:
        self.inner = inner
        self.__name__ = getattr(inner, "__name__", "reward")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("")
        self.tally_path = self.path.with_name("audit.jsonl")
        self.tally_path.write_text("")
        self.calls = 0

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        scores = self.inner(prompts, completions, **columns)
        self.calls += 1
        with self.path.open("a", encoding="utf-8") as fh:
            for i, (c, s) in enumerate(zip(completions, scores)):
                if s is not None and s >= 1.0:
                    text = completion_text(c)  # (under Prefilled, already the whole reply)
                    row = {k: _col(columns, k, i) for k in AUDIT_COLUMNS}
                    fh.write(json.dumps({"call": self.calls, "problem": row, "text": text}) + "\n")
        if hasattr(self.inner, "verdicts"):
            with self.tally_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"call": self.calls, **tally(self.inner.verdicts(completions, columns))}) + "\n")
        return scores


def tally(verdicts: Sequence[Any]) -> dict[str, Any]:
    """Counts of verdict statuses and of admission rules hit (a refused design names its rule in a diagnostic
    coded ``admission-<rule>``; one design counts once per rule)."""
    statuses: dict[str, int] = {}
    rules: dict[str, int] = {}
    for v in verdicts:
        if v is None:
            continue
        statuses[v.status.value] = statuses.get(v.status.value, 0) + 1
        for rule in sorted({d.code.removeprefix("admission-") for d in v.diagnostics
                            if d.code.startswith("admission-")}):
            rules[rule] = rules.get(rule, 0) + 1
    return {"completions": len(verdicts), "statuses": statuses, "admission": rules}
