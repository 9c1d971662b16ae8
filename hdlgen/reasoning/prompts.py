"""The chat messages for each depth and for a repair attempt. The reply format is shared with the rewards:
``<think>…</think>`` then one fenced ```verilog block."""

from __future__ import annotations

from verilog_sim.verdict import Verdict

SYSTEM = ("You are an expert digital designer who writes synthesizable Verilog-2001/SystemVerilog RTL. "
          "Reply with your reasoning inside <think></think>, then the complete design in one ```verilog block.")

_INSTRUCTIONS = {
    "none": "Write the code directly, without reasoning.",
    "standard": "Think briefly about the behaviour first (at most about {budget} tokens), then write the code.",
    "decomposed": ("Think in two parts (at most about {budget} tokens): 'Interface:' the ports, widths, clocking "
                   "and reset; 'Plan:' the state encoding, registers and datapath, and the transitions. "
                   "Then write the code."),
}

MAX_CODE_CHARS = 6000
MAX_DIAGNOSTICS = 8


def _top_line(top: str | None) -> str:
    return f" The top module must be named `{top}`." if top else ""


def build_messages(spec: str, depth: str, *, top: str | None = None, budget: int = 0,
                   feedback: str | None = None) -> list[dict[str, str]]:
    """System + user messages for one attempt; ``feedback`` (from :func:`repair_feedback`) makes it a repair."""
    user = spec.strip() + "\n\n" + _INSTRUCTIONS[depth].format(budget=budget) + _top_line(top)
    if feedback:
        user += "\n\n" + feedback
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def describe_verdict(v: Verdict) -> str:
    """The verifier's findings in a few lines: status, message, diagnostics with lines, tests, first mismatch."""
    lines = [f"Verifier result: {v.status.value} (stage: {v.stage.value})" + (f": {v.message}" if v.message else "")]
    errs = [d for d in v.diagnostics if d.severity == "error"] or list(v.diagnostics)
    lines += [d.format() for d in errs[:MAX_DIAGNOSTICS]]
    if v.tests.total:
        lines.append(f"Tests passed: {v.tests.passed} of {v.tests.total}")
    if v.mismatches is not None:
        lines.append(f"Mismatches: {v.mismatches} in {v.samples} samples")
    if v.first_mismatch:
        lines.append("First mismatch: " + ", ".join(f"{k}={val}" for k, val in v.first_mismatch.items()))
    return "\n".join(lines)


def repair_feedback(code: str | None, verdict: Verdict, attempt: int) -> str:
    """What the next attempt is told about the last one (its code and why the verifier rejected it)."""
    parts = [f"Attempt {attempt} was rejected by the verifier. Fix the problems and give the complete corrected design."]
    if code:
        shown = code if len(code) <= MAX_CODE_CHARS else code[:MAX_CODE_CHARS] + "\n// ... (truncated)"
        parts.append("Previous code (diagnostic line numbers refer to it):\n```verilog\n" + shown.rstrip() + "\n```")
    else:
        parts.append("The previous reply contained no usable Verilog module.")
    parts.append(describe_verdict(verdict))
    return "\n\n".join(parts)
