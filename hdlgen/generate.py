"""Generate → verify → repair: each attempt is verified by the core; a rejected one is retried one depth deeper
with the verifier's findings in the prompt, up to a number of attempts. Every attempt is recorded.

What "verified" means depends on the problem, and the result says which (``mode``):
``tests`` (the problem's cocotb or Verilog testbench), ``reference`` (differential check against a golden
module), or ``compile-only`` (a bare prompt: syntax, compilation and lint only, which does not show it is
correct; a lint error such as an inferred latch or an undriven output rejects the attempt).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from verilog_sim.judge.verify import verify
from verilog_sim.problem import Problem
from verilog_sim.source.extract import extract_verilog, module_names
from verilog_sim.verdict import Diagnostic, Status, Verdict

from .backends.base import Backend
from .reasoning.budget import Reasoned, generate_reasoned
from .reasoning.depth import DEPTHS, budgets, depth_for, next_depth
from .reasoning.judge import Judge, Judgement
from .reasoning.judge import judge as rules_judge
from .reasoning.prompts import build_messages, repair_feedback

_NAMED_MODULE = re.compile(r"\bmodule\s+(?:named\s+|called\s+)?`?([A-Za-z_]\w*)`?", re.I)
_NOT_NAMES = {"that", "which", "with", "for", "the", "a", "an", "to", "should", "must", "named", "called", "is"}


@dataclass(frozen=True)
class Attempt:
    index: int  # 1-based
    depth: str
    reasoned: Reasoned
    verdict: Verdict
    generate_seconds: float
    verify_seconds: float
    code: str | None

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"attempt": self.index, "depth": self.depth, **self.reasoned.to_dict(),
                             "status": self.verdict.status.value, "generate_seconds": round(self.generate_seconds, 3),
                             "verify_seconds": round(self.verify_seconds, 3), "verdict": self.verdict.to_dict()}
        if with_text:
            d["text"] = self.reasoned.text
        return d


@dataclass(frozen=True)
class GenerationResult:
    task_id: str
    mode: str  # "tests" | "reference" | "compile-only"
    judgement: Judgement | None  # None when the depth was fixed by the caller
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    seed: int | None = None  # attempt k samples with seed + k; the differential stimulus uses seed

    @property
    def passed(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].verdict.passed

    @property
    def final(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        f = self.final
        return {"task_id": self.task_id, "mode": self.mode, "passed": self.passed, "seed": self.seed,
                "judgement": self.judgement.to_dict() if self.judgement else None,
                "attempts": [a.to_dict(with_text) for a in self.attempts],
                "final_status": f.verdict.status.value if f else None,
                "code": f.code if f else None,
                "think_tokens": sum(a.reasoned.think_tokens for a in self.attempts),
                "answer_tokens": sum(a.reasoned.answer_tokens for a in self.attempts),
                "seconds": round(sum(a.generate_seconds + a.verify_seconds for a in self.attempts), 3)}


class Observer:
    """What the loop reports while it runs (a CLI prints it; a slow local model is otherwise silent for
    minutes). Every method is a no-op here; override the ones you want."""

    def judged(self, judgement: Judgement) -> None: ...

    def attempt_started(self, index: int, attempts: int, depth: str, budget: int) -> None: ...

    def text(self, piece: str) -> None:
        """The reply as it is written (decoded tokens and the forced parts of the format)."""

    def attempt_done(self, attempt: Attempt) -> None: ...


def verification_mode(problem: Problem) -> str:
    if problem.test_kind:
        return "tests"
    if problem.ref:
        return "reference"
    return "compile-only"


def guess_top(spec: str) -> str | None:
    """The module name a bare prompt asks for (``module named TopModule``, ``module `top```), if it says."""
    for m in _NAMED_MODULE.finditer(spec):
        if m.group(1).lower() not in _NOT_NAMES:
            return m.group(1)
    return None


def problem_from_prompt(spec: str, task_id: str = "prompt", top: str | None = None) -> Problem:
    """A problem with no test and no reference: verification is syntax and compilation only."""
    return Problem(task_id=task_id, prompt=spec, top=top or guess_top(spec) or "")


def _verify_attempt(problem: Problem, text: str, **verify_kwargs: Any) -> tuple[Verdict, str | None]:
    top = problem.top or None
    code = extract_verilog(text, top)
    if not problem.top and code:
        names = module_names(code)  # bare prompt with no name given: the last module is the top
        if names:
            problem = Problem.from_dict({**problem.to_dict(), "top": names[-1]})
    if not code:
        return Verdict.no_code("no Verilog module found in the reply"), None
    verdict = verify(problem, text, **verify_kwargs)
    if verdict.passed and verification_mode(problem) == "compile-only":
        verdict = lint_verdict(verdict, code)
    return verdict, code


def lint_verdict(verdict: Verdict, code: str) -> Verdict:
    """Add the linter's findings to a compile-only pass; lint errors turn it into a failure."""
    from verilog_sim.lint import lint_untrusted

    diags = tuple(lint_untrusted("candidate.v", code))
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        return verdict.with_(status=Status.FAIL, diagnostics=verdict.diagnostics + diags,
                             message=f"lint: {len(errors)} error(s); first: {errors[0].message}")
    return verdict.with_(diagnostics=verdict.diagnostics + diags,
                         message=verdict.message.replace("syntax and compilation only", "syntax, compilation and lint only"))


def generate_verified(problem: Problem, backend: Backend, *, depth: str = "auto", attempts: int = 3,
                      judge: Judge | None = None, think_budget: int = 512, max_answer_tokens: int = 1024,
                      temperature: float = 0.2, seed: int | None = None, observer: Observer | None = None,
                      **verify_kwargs: Any) -> GenerationResult:
    """Run the loop on ``problem``; stops at the first attempt that passes or after ``attempts`` attempts.

    With ``seed`` the run is reproducible: attempt k samples with ``seed + k`` and a differential check uses
    ``seed`` for its stimulus (unless ``verify_kwargs`` names another). ``observer`` hears each step as it happens.
    """
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    if depth != "auto" and depth not in DEPTHS:
        raise ValueError(f"depth must be auto or one of {', '.join(DEPTHS)}, got {depth!r}")
    obs = observer or Observer()
    if seed is not None:
        verify_kwargs.setdefault("seed", seed)
    spec = problem.prompt or ""
    judgement = (judge or rules_judge)(spec) if depth == "auto" else None
    if judgement is not None:
        obs.judged(judgement)
    current = depth_for(judgement.level) if judgement else depth
    per_depth = budgets(think_budget)
    done: list[Attempt] = []
    feedback: str | None = None
    for k in range(1, attempts + 1):
        messages = build_messages(spec, current, top=problem.top or None, budget=per_depth[current], feedback=feedback)
        obs.attempt_started(k, attempts, current, per_depth[current])
        t0 = time.perf_counter()
        reasoned = generate_reasoned(backend, messages, current, budget=per_depth[current],
                                     max_answer_tokens=max_answer_tokens, temperature=temperature,
                                     seed=None if seed is None else seed + k, on_text=obs.text)[0]
        t1 = time.perf_counter()
        verdict, code = _verify_attempt(problem, reasoned.text, **verify_kwargs)
        if reasoned.answer_truncated and not verdict.passed:
            verdict = verdict.with_(diagnostics=verdict.diagnostics + (Diagnostic(
                "candidate.v", 1, 1, "info", "truncated", f"the answer hit the {max_answer_tokens}-token limit"),))
        done.append(Attempt(k, current, reasoned, verdict, t1 - t0, time.perf_counter() - t1, code))
        obs.attempt_done(done[-1])
        if verdict.passed:
            break
        feedback = repair_feedback(code, verdict, k)
        current = next_depth(current)
    return GenerationResult(problem.task_id, verification_mode(problem), judgement, tuple(done), seed)
