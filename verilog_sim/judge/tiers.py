"""Which tier decides a differential verdict: simulation, then (``formal``) a yosys/ABC equivalence check.

``formal`` is ``auto`` (the default), ``on`` or ``off``:

- ``off``: simulation alone (``tier`` = ``simulated N cycles``).
- ``auto``: every candidate that passes simulation also gets the formal tier, with a budget of
  ``AUTO_BUDGET_S`` seconds; when yosys is not installed, or the check does not finish in time, the simulation
  verdict stands with a note. Candidates that fail simulation never pay for it, so a batch of RL completions
  costs one formal check per *passing* distinct candidate (see README, "Formal tier", for the measured cost).
- ``on``: the same with the full ``--timeout`` as budget; a missing yosys is a ``ToolMissing`` (exit 2).

The formal tier can only turn a pass into a fail through simulation: its counterexample is replayed as the
first stimulus words of the differential harness, and only a mismatch there fails the candidate (its
``first_mismatch`` is that of the replay). A counterexample simulation does not confirm (yosys reads with
synthesis semantics: sensitivity lists, X, delays) leaves the pass standing with a note. A proof upgrades the
tier to ``proved``; a bounded check without a counterexample to ``bounded N``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import sandbox
from ..errors import ToolMissing, UserError
from ..formal import FormalResult, check_equivalence, yosys_version
from ..formal.equiv import DEFAULT_DEPTH
from ..frontend.untrusted import needs_sandboxed_preprocessing
from ..problem import Problem
from ..sandbox import worker
from ..verdict import Stage, Status, Verdict
from .group import run_group
from .reference import Reference, ReferenceError_, analyse_reference

FORMAL_MODES = ("auto", "on", "off")
AUTO_BUDGET_S = 10.0  # per passing candidate, for yosys and ABC together


@dataclass(frozen=True)
class FormalSettings:
    """The ``--formal`` setting and the bounded-check depth (cycles from reset)."""

    mode: str = "auto"
    depth: int = DEFAULT_DEPTH

    @classmethod
    def make(cls, mode: str | None = "auto", depth: int | None = None) -> FormalSettings:
        """Validated settings: a bad mode is a ``UserError``; ``on`` without yosys is ``ToolMissing``."""
        mode = mode or "auto"
        if mode not in FORMAL_MODES:
            raise UserError(f"formal must be one of {', '.join(FORMAL_MODES)}, got {mode!r}")
        if depth is not None and depth < 1:
            raise UserError(f"formal depth must be at least 1 cycle, got {depth}")
        if mode == "on" and yosys_version() is None:
            raise ToolMissing("the formal tier needs yosys and yosys-abc: install them with 'sudo apt-get install "
                              "yosys' (or run scripts/setup.sh), or use --formal auto|off")
        return cls(mode, depth or DEFAULT_DEPTH)


def check_reset_rate(rate: float | None) -> None:
    """A reset rate is a probability per input change; anything else is the caller's mistake."""
    if rate is not None and not 0.0 <= rate <= 1.0:
        raise UserError(f"reset rate must be between 0 and 1 (a chance per input change), got {rate}")


def _note(v: Verdict, note: str) -> Verdict:
    return v.with_(message=f"{v.message}; {note}" if v.message else note)


def formal_tier(problem: Problem, ref: Reference, code: str, verdict: Verdict, settings: FormalSettings, *,
                limits: sandbox.Limits, seed: int) -> Verdict:
    """The verdict after the formal tier, for a candidate ``code`` whose simulation gave ``verdict``
    (labelled ``simulated N cycles`` by :func:`verilog_sim.judge.group.run_group`)."""
    if settings.mode == "off" or verdict.status is not Status.PASS:
        return verdict
    if yosys_version() is None:
        return _note(verdict, "formal tier skipped: yosys is not installed")
    if needs_sandboxed_preprocessing(code) or needs_sandboxed_preprocessing(ref.code):
        return _note(verdict, "formal tier skipped: the design uses `include or macros")
    if problem.extra_files or "$readmem" in code or "$readmem" in ref.code:
        return _note(verdict, "formal tier skipped: the design reads data files")
    budget = limits.wall_s if settings.mode == "on" else min(limits.wall_s, AUTO_BUDGET_S)
    r = check_equivalence(ref.code, ref.top, code, problem.top, list(ref.ports), ref.timing, depth=settings.depth,
                          budget_s=budget, memory_mb=limits.memory_mb)
    tools = {**verdict.tools, "formal": f"{yosys_version()} ({r.engine or 'yosys'})"}
    verdict = verdict.with_(tools=tools)
    if r.outcome == "proved":
        what = "for every input" if not r.sequential else "at every depth from reset"
        return verdict.with_(tier="proved", message=f"formally equivalent to the reference {what} ({r.engine}); "
                                                    f"also {verdict.tier}")
    if r.outcome == "bounded":
        note = f"; {verdict.message}" if verdict.message else ""
        return verdict.with_(tier=f"bounded {r.depth}",
                             message=f"no difference within {r.depth} cycles from reset ({r.engine}), no proof "
                                     f"beyond; also {verdict.tier}{note}")
    if r.outcome == "counterexample":
        return _replay(problem, ref, code, verdict, r, limits=limits, seed=seed)
    return _note(verdict, f"formal tier undecided ({r.note}): {verdict.tier} decided")


def replay_cycles(r: FormalResult) -> int:
    """Cycles of a replay run: the counterexample's frames (two per cycle) and a few after."""
    return len(r.words) // 2 + 3 if r.sequential else 1


def mismatch_cycle(time_ns: int, sequential: bool) -> int:
    """The harness's schedule: a cycle is 10 ns (rising edge at 10k+5); combinational: a vector every 2 ns."""
    return time_ns // 10 if sequential else time_ns // 2


def _replay(problem: Problem, ref: Reference, code: str, verdict: Verdict, r: FormalResult, *,
            limits: sandbox.Limits, seed: int) -> Verdict:
    where = f"cycle {r.depth}" if r.sequential else "one input vector"
    with sandbox.Scratch() as scratch:
        g = run_group(ref, [code], problem.top, scratch, limits=limits, seed=seed, cycles=replay_cycles(r),
                      prefix=list(r.words))
    replayed = g.verdicts[0] if g.verdicts else None
    if replayed is None or replayed.status is not Status.FAIL or not replayed.first_mismatch:
        why = replayed.message if replayed is not None else (g.run_failed.message if g.run_failed else "no result")
        return _note(verdict, f"a formal counterexample at {where} did not reproduce in simulation ({why[:120]}); "
                              f"{verdict.tier} decided")
    first = dict(replayed.first_mismatch)
    first["cycle"] = mismatch_cycle(int(first.get("time", 0)), r.sequential)
    first["found_by"] = "formal"
    return replayed.with_(tier="formal", first_mismatch=first, tools=verdict.tools,
                          message=f"formal counterexample at {where}, confirmed in simulation: {replayed.message}")


def after_simulation(problem: Problem, code: str, verdict: Verdict, settings: FormalSettings, *,
                     limits: sandbox.Limits, ref: Reference | None = None) -> Verdict:
    """:func:`formal_tier` for :func:`verilog_sim.judge.verify.verify`, which has no analysed reference."""
    if settings.mode == "off" or verdict.status is not Status.PASS or verdict.stage is not Stage.COMPARE:
        return verdict
    if ref is None:
        try:
            ref = worker.call(analyse_reference, problem, **worker.bounds(limits))
        except (ReferenceError_, worker.WorkerFailed):  # simulation already used it; cannot happen in practice
            return verdict
    return formal_tier(problem, ref, code, verdict, settings, limits=limits, seed=verdict.seed or 0)
