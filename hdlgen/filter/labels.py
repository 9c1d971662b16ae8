"""Pluggable labellers: the complexity judge shared with generation, and lint finding counts.

Both depend on modules other engineers are writing (``hdlgen.reasoning.judge``, ``verilog_sim.lint``).
When one is not importable the filter falls back (the data's own ``complexity`` column; no lint counts)
and the label records its ``source`` so nobody mistakes a fallback for the judge's opinion.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable


@lru_cache(maxsize=1)
def _judge() -> Callable[[str], Any] | None:
    try:
        from hdlgen.reasoning.judge import judge
    except ImportError:
        return None
    return judge


def complexity_label(row: dict[str, Any], source: str = "judge") -> dict[str, Any]:
    """{"label", "source", "score"?}: generation's judge on the row's spec, or the data's complexity column.

    ``source="judge"`` falls back to the data when the judge is missing or the row has no spec text.
    """
    spec = row.get("description") or row.get("prompt")
    judge = _judge() if source == "judge" else None
    if judge is not None and isinstance(spec, str) and spec.strip():
        return dict(_judged(spec))
    value = row.get("complexity")
    if value not in (None, ""):
        return {"label": str(value), "source": "data"}
    return {"label": None, "source": "none"}


@lru_cache(maxsize=4096)
def _judged(spec: str) -> tuple[tuple[str, Any], ...]:
    """The judge's verdict on one spec text; cached because scraped data repeats its descriptions."""
    j = _judge()(spec)  # type: ignore[misc]
    return (("label", str(j.level)), ("source", "judge"), ("score", round(float(j.score), 2)))


@lru_cache(maxsize=1)
def _linter() -> Callable[[str, str], Any] | None:
    try:
        from verilog_sim.lint import lint_untrusted
    except ImportError:
        return None
    return lambda code, name: lint_untrusted(name, code)


def lint_available() -> bool:
    return _linter() is not None


def lint_counts(rtl: str) -> dict[str, int] | None:
    """{"error": n, "warning": n, "info": n} of ``verilog_sim.lint`` on the code; None when lint is missing."""
    fn = _linter()
    if fn is None:
        return None
    result = fn(rtl, "row.v")
    findings = getattr(result, "findings", None) or getattr(result, "diagnostics", None) or result or ()
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        sev = getattr(f, "severity", None) or (f.get("severity") if isinstance(f, dict) else None) or "warning"
        sev = str(getattr(sev, "value", sev))
        counts[sev if sev in counts else "warning"] += 1
    return counts
