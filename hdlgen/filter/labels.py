"""Row labels the filter attaches: the complexity judge shared with generation, and lint finding counts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hdlgen.reasoning.judge import judge
from verilog_sim.lint import lint_untrusted


def complexity_label(row: dict[str, Any], source: str = "judge") -> dict[str, Any]:
    """{"label", "source", "score"?}: generation's judge on the row's spec, or the data's complexity column.

    ``source="judge"`` falls back to the data's column when the row has no spec text.
    """
    spec = row.get("description") or row.get("prompt")
    if source == "judge" and isinstance(spec, str) and spec.strip():
        return dict(_judged(spec))
    value = row.get("complexity")
    if value not in (None, ""):
        return {"label": str(value), "source": "data"}
    return {"label": None, "source": "none"}


@lru_cache(maxsize=4096)
def _judged(spec: str) -> tuple[tuple[str, Any], ...]:
    """The judge's verdict on one spec text; cached because scraped data repeats its descriptions."""
    j = judge(spec)
    return (("label", str(j.level)), ("source", "judge"), ("score", round(float(j.score), 2)))


def lint_counts(rtl: str) -> tuple[dict[str, int], str]:
    """({"error": n, "warning": n, "info": n}, the first error or warning as ``line N: message [rule]``) of
    ``verilog_sim.lint`` on the row's code; a rejection names the rule, not only the counts."""
    counts = {"error": 0, "warning": 0, "info": 0}
    first = ""
    for d in lint_untrusted("row.v", rtl):
        counts[d.severity] += 1
        if not first and d.severity != "info":
            first = f"line {d.line}: {d.message} [{d.code}]"
    return counts, first
