"""The reward functions, in TRL's convention: ``f(prompts, completions, **columns) -> list[float | None]``.

Each is a small picklable object with a ``__name__`` (TRL logs ``rewards/<name>/mean``). Dataset columns
that are problem fields (``top``, ``ref``, ``test``, ``test_kind``…) say what to verify; other columns are
ignored. ``None`` means the row has no problem to judge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from verilog_sim.problem import Problem
from verilog_sim.sandbox import DEFAULT_TIMEOUT_S
from verilog_sim.source.extract import module_names
from verilog_sim.verdict import Stage, Status, Verdict

from .completion import code_outside, completion_text, parse
from .verdicts import VerifySettings, group_verdicts, problems_from_columns

_COMPILED = {Status.PASS, Status.FAIL}


class _VerdictReward:
    """Shared plumbing: texts and problems from TRL's arguments, verdicts through the cached batch path."""

    __name__ = "verdict_reward"

    def __init__(self, seed: int | None = 0, cycles: int | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                 workers: int = 0, formal: str = "auto") -> None:
        self.settings = VerifySettings(seed=seed, cycles=cycles, timeout=timeout, workers=workers, formal=formal)

    def verdicts(self, completions: Sequence[Any], columns: dict[str, Any]) -> list[Verdict | None]:
        return self.judged(completions, columns)[1]

    def judged(self, completions: Sequence[Any],
               columns: dict[str, Any]) -> tuple[list[Problem | None], list[Verdict | None]]:
        texts = [completion_text(c) for c in completions]
        problems = problems_from_columns(len(texts), columns)
        return problems, group_verdicts(problems, texts, self.settings)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings})"


class FunctionalReward(_VerdictReward):
    """1.0 when the design passes the problem's test (or the differential check against ``ref``), else 0.0.

    Binary by default. ``partial_credit=True`` is an opt-in that pays ``partial_scale * (1 - mismatches /
    samples)`` (or the share of cocotb tests passed) for a failing design. Hacking risk: a design that drives
    constants matches every sample where the true output happens to equal them, so partial credit rewards
    "mostly zero" outputs on sparse problems; keep ``partial_scale`` well below 1 and prefer binary.

    A row whose problem has neither ``test`` nor ``ref`` gets None (nothing functional to check).

    >>> one = "```verilog\\nmodule top(output y); assign y = 1'b1; endmodule\\n```"
    >>> FunctionalReward()(["p"], [one], top=["top"], test=[TB_CHECKING_Y_IS_1], test_kind=["verilog"],
    ...                    test_top=["tb"], pass_regex=["ALL OK"], difficulty=["easy"])  # doctest: +SKIP
    [1.0]
    """

    __name__ = "functional"

    def __init__(self, partial_credit: bool = False, partial_scale: float = 0.5, **kw: Any) -> None:
        super().__init__(**kw)
        self.partial_credit = partial_credit
        self.partial_scale = partial_scale

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        problems, verdicts = self.judged(completions, columns)
        return [None if v is None or p is None or not (p.test or p.ref) else self.score(v)
                for p, v in zip(problems, verdicts)]

    def score(self, v: Verdict) -> float:
        if v.status is Status.PASS:
            return 1.0
        if not self.partial_credit or v.status is not Status.FAIL:
            return 0.0
        if v.mismatches is not None and v.samples:
            return self.partial_scale * max(0.0, 1.0 - v.mismatches / v.samples)
        if v.tests.total:
            return self.partial_scale * v.tests.passed / v.tests.total
        return 0.0


class CompileReward(_VerdictReward):
    """Syntax and compilation: 1.0 when Icarus compiled the design (whatever the simulation said), 0.5 when it
    parses but does not compile (or misses the top module), 0.0 for a syntax error or no code.

    >>> CompileReward()(["p"], ["module top(output y) assign y = 1; endmodule"], top=["top"])
    [0.0]
    """

    __name__ = "compile"

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        return [None if v is None else self.score(v) for v in self.verdicts(completions, columns)]

    @staticmethod
    def score(v: Verdict) -> float:
        if v.status in _COMPILED or (v.stage in (Stage.SIMULATE, Stage.COMPARE) and v.status is not Status.ERROR):
            return 1.0  # timeouts in simulation still compiled
        if v.status is Status.COMPILE_ERROR:
            return 0.5
        return 0.0


class FormatReward:
    """The completion format: one non-empty ``<think>`` section, then exactly one fenced ```verilog answer that
    defines the required top module, and no Verilog outside it.

    1.0 when all hold; 0.0 when there is no fenced answer defining the top module; otherwise 1.0 minus
    ``penalty`` per violation (empty or missing think, several think sections or answers, code outside the
    answer, an unclosed think), floored at 0.

    >>> FormatReward()(["p"], ["<think>an inverter</think>\\n```verilog\\nmodule top(input a, output y);"
    ...                        " assign y = ~a; endmodule\\n```"], top=["top"])
    [1.0]
    """

    __name__ = "format"

    def __init__(self, penalty: float = 0.5, require_think: bool = True) -> None:
        self.penalty = penalty
        self.require_think = require_think

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        tops = columns.get("top")
        out: list[float | None] = []
        for i, c in enumerate(completions):
            top = tops[i] if isinstance(tops, (list, tuple)) else tops
            out.append(self.score(completion_text(c), top))
        return out

    def violations(self, text: str, top: str | None) -> list[str]:
        """The names of the format rules ``text`` breaks; ``["no-answer"]`` alone means it has no answer."""
        p = parse(text)
        defining = [a for a in p.answers if (top in module_names(a) if top else module_names(a))]
        if not defining:
            return ["no-answer"]
        bad = []
        if self.require_think and not p.think:
            bad.append("empty-think" if p.think is not None else "no-think")
        if p.think_sections > 1:
            bad.append("several-thinks")
        if p.unclosed_think:
            bad.append("unclosed-think")
        if len(p.answers) > 1:
            bad.append("several-answers")
        if code_outside(p):
            bad.append("code-outside-answer")
        return bad

    def score(self, text: str, top: str | None) -> float:
        bad = self.violations(text, top)
        if bad == ["no-answer"]:
            return 0.0
        return max(0.0, 1.0 - self.penalty * len(bad))


class LengthReward(_VerdictReward):
    """Reasoning efficiency in the spirit of OTC: among the passing completions of a group (same prompt), the
    one with the least reasoning earns 1.0 and longer ones earn ``(L_min + c) / (L + c)`` (L = words in the
    think section, c = ``smoothing``). Failing completions earn 0.0, so a short wrong answer is never paid,
    and a group with no pass pays nobody.

    >>> ok = "```verilog\\nmodule top(output y); assign y = 1'b1; endmodule\\n```"
    >>> LengthReward(smoothing=0)(["p", "p"], ["<think>a b</think>" + ok, "<think>a b c d</think>" + ok],
    ...                           **columns_of_a_problem_with_a_test_or_ref)  # doctest: +SKIP
    [1.0, 0.5]
    """

    __name__ = "length"

    def __init__(self, smoothing: float = 32.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.smoothing = smoothing

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        problems, verdicts = self.judged(completions, columns)
        verdicts = [None if p is None or not (p.test or p.ref) else v for p, v in zip(problems, verdicts)]
        lengths = [parse(completion_text(c)).reasoning_words for c in completions]
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(prompts):
            groups.setdefault(repr(p), []).append(i)
        out: list[float | None] = [None if v is None else 0.0 for v in verdicts]
        for idx in groups.values():
            passing = [i for i in idx if verdicts[i] is not None and verdicts[i].passed]  # type: ignore[union-attr]
            if not passing:
                continue
            shortest = min(lengths[i] for i in passing)
            for i in passing:
                denom = lengths[i] + self.smoothing
                out[i] = 1.0 if denom == 0 else (shortest + self.smoothing) / denom
        return out


class WeightedReward:
    """A weighted sum of reward functions as one reward (for the reward server and ``compute_score``;
    in GRPO pass the parts and ``reward_weights`` instead, so TRL logs each component). None parts count 0;
    the sum is None only when every part is None."""

    __name__ = "weighted"

    def __init__(self, funcs: Sequence[Any], weights: Sequence[float]) -> None:
        if len(funcs) != len(weights):
            raise ValueError(f"{len(funcs)} reward functions but {len(weights)} weights")
        self.funcs = list(funcs)
        self.weights = [float(w) for w in weights]

    def components(self, prompts: Sequence[Any], completions: Sequence[Any],
                   **columns: Any) -> dict[str, list[float | None]]:
        return {f.__name__: f(prompts, completions, **columns) for f in self.funcs}

    def combine(self, parts: dict[str, list[float | None]], n: int) -> list[float | None]:
        out: list[float | None] = []
        for i in range(n):
            vals = [(w, parts[f.__name__][i]) for f, w in zip(self.funcs, self.weights)]
            if all(v is None for _, v in vals):
                out.append(None)
            else:
                out.append(sum(w * v for w, v in vals if v is not None and not math.isnan(v)))
        return out

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        return self.combine(self.components(prompts, completions, **columns), len(completions))
