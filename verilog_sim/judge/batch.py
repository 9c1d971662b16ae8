"""Many candidates for one problem, judged together: the path rewards, eval and filtering call.

Problems with a reference and no testbench run N candidates per simulation (see
:mod:`verilog_sim.judge.group`): identical sources are simulated once, candidates the compiler blames are
isolated and judged alone, and a simulation that times out or crashes is split in halves until the culprit
runs alone under the full limits, so one hanging candidate never costs the others their verdicts.
Problems with their own cocotb or Verilog testbench fall back to one :func:`verify` per candidate.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from .. import sandbox, tools
from ..frontend.untrusted import needs_sandboxed_preprocessing
from ..problem import Problem
from ..sandbox import worker
from ..verdict import Stage, Status, Verdict
from .group import (
    DEEP_MAX_SHARE,
    GroupResult,
    merge_deep,
    pick_seed,
    reference_compile_error,
    run_group,
    skip_deep,
    split_cycles,
)
from .outcomes import default_limits, worker_verdict
from .reference import ReferenceError_, analyse_reference, check_candidate_ports
from .tiers import FormalSettings, check_reset_rate, formal_tier
from .verify import precheck, verify, write_extra_files

DEFAULT_BATCH = 128
# A multi-candidate run that takes longer than this is split, not failed: 4x the recent successful runs
# (a run costs about the same for 1 or 256 candidates), at least GROUP_WALL_MIN_S, at most the timeout.
GROUP_WALL_MIN_S = 5.0
GROUP_WALL_FACTOR = 4.0
GROUP_WALL_FIRST_S = 15.0  # before any run has been seen in this process
_recent_runs: deque[float] = deque(maxlen=16)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def verify_many(problem: Problem, candidates: Sequence[str], *, seed: int | None = None, cycles: int | None = None,
                timeout: float | None = None, workers: int | None = None, limits: sandbox.Limits | None = None,
                std: str = "auto", extract: bool = True, batch_size: int = DEFAULT_BATCH,
                formal: str | FormalSettings = "auto", formal_depth: int | None = None,
                reset_rate: float | None = None) -> list[Verdict]:
    """One Verdict per candidate, in order; the same verdicts :func:`verify` gives, at batch speed.

    ``seconds`` of a batched verdict is its own in-process time plus its share of the simulations it was in.
    All candidates of one call share ``seed`` (random when None; recorded in every verdict). ``formal`` and
    ``formal_depth``: the formal tier of a reference check (see :mod:`verilog_sim.judge.tiers`);
    ``reset_rate``: as for :func:`verify`.
    """
    check_reset_rate(reset_rate)
    tools.require_icarus()
    settings = formal if isinstance(formal, FormalSettings) else FormalSettings.make(formal, formal_depth)
    limits = limits or default_limits(timeout)
    workers = workers or default_workers()
    if not candidates:
        return []
    if problem.test_kind or not problem.ref:
        def one(c: str) -> Verdict:
            return verify(problem, c, seed=seed, cycles=cycles, limits=limits, std=std, extract=extract,
                          formal=settings, reset_rate=reset_rate)
        return _map(one, list(candidates), workers)
    return _Differential(problem, limits, pick_seed(seed), cycles, std, extract,
                         max(1, batch_size), workers, settings, reset_rate).run(list(candidates))


def _map(fn: Callable[[str], Verdict], items: list[str], workers: int) -> list[Verdict]:
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


class _Differential:
    """One verify_many call against a reference: prechecks, grouping, isolation, verdict assembly."""

    def __init__(self, problem: Problem, limits: sandbox.Limits, seed: int, cycles: int | None, std: str, extract: bool,
                 batch_size: int, workers: int, formal: FormalSettings = FormalSettings(),
                 reset_rate: float | None = None) -> None:
        self.problem, self.limits, self.seed, self.cycles = problem, limits, seed, cycles
        self.std, self.extract, self.batch_size, self.workers = std, extract, batch_size, workers
        self.tools = tools.versions("pyslang")
        self.formal, self.reset_rate = formal, reset_rate
        self.random_runs: list[float] = []

    def finish(self, v: Verdict, seconds: float) -> Verdict:
        return v.with_(seconds=seconds, tools={**self.tools, **v.tools}, seed=self.seed)

    def run(self, candidates: list[str]) -> list[Verdict]:
        try:
            ref = worker.call(analyse_reference, self.problem, **worker.bounds(self.limits))
        except ReferenceError_ as exc:
            bad = self.finish(Verdict(Status.ERROR, Stage.COMPILE, message=str(exc)), 0.0)
            return [bad for _ in candidates]
        except worker.WorkerFailed as exc:  # the reference is untrusted text too (a dataset row, a request)
            bad = self.finish(worker_verdict(exc, Stage.COMPILE, "reference analysis"), 0.0)
            return [bad for _ in candidates]
        self.ref = ref
        try:  # a problem whose extra files cannot be placed is the problem's fault: same verdict as verify
            with sandbox.Scratch() as scratch:
                write_extra_files(self.problem, scratch)
        except ValueError as exc:
            bad = self.finish(Verdict(Status.ERROR, Stage.COMPILE, message=f"bad problem {self.problem.task_id}: {exc}"),
                              0.0)
            return [bad for _ in candidates]
        out: list[Verdict | None] = [None] * len(candidates)
        own: list[float] = [0.0] * len(candidates)
        by_code: dict[str, list[int]] = {}  # identical sources are simulated once
        judged: dict[str, tuple[Verdict, float]] = {}
        pending: list[str] = []
        # simulations run in worker threads (the work is in child processes) while other threads precheck
        # the next candidates in the parse workers (a pool of processes), so parsing overlaps simulating
        with ThreadPoolExecutor(max_workers=self.workers) as pool, \
                ThreadPoolExecutor(max_workers=worker.pool_size()) as checks:
            futures = []
            for i, (code, spent) in enumerate(checks.map(self.precheck, candidates)):
                own[i] = spent
                if isinstance(code, Verdict):
                    out[i] = self.finish(code, spent)
                elif code in by_code:
                    by_code[code].append(i)
                else:
                    by_code[code] = [i]
                    if needs_sandboxed_preprocessing(code):
                        # its `define would reach the candidates compiled after it: simulate it alone
                        futures.append(pool.submit(self.judge, [code]))
                        continue
                    pending.append(code)
                    if len(pending) >= self.batch_size:
                        futures.append(pool.submit(self.judge, pending))
                        pending = []
            if pending:
                futures.append(pool.submit(self.judge, pending))
            for f in futures:
                judged.update(f.result())
            self.deep_phase(judged, pool)
            # the formal tier, for the distinct candidates simulation passed (the others never pay for it)
            def formal_one(code: str) -> tuple[Verdict, float]:
                t0 = time.perf_counter()
                v = formal_tier(self.problem, self.ref, code, judged[code][0], self.formal, limits=self.limits,
                                seed=self.seed)
                return v, judged[code][1] + time.perf_counter() - t0
            codes = list(judged)
            judged.update(zip(codes, pool.map(formal_one, codes)))
        for code, idxs in by_code.items():
            v, sim_s = judged[code]
            for i in idxs:
                out[i] = self.finish(v, own[i] + sim_s / len(idxs))
        return [v for v in out if v is not None]

    def precheck(self, text: str) -> tuple[str | Verdict, float]:
        """The in-process stages and the port check of one candidate: (source or verdict, seconds)."""
        t0 = time.perf_counter()
        code = precheck(self.problem, text, limits=self.limits, std=self.std, extract=self.extract)
        if not isinstance(code, Verdict):
            try:
                bad = worker.call(check_candidate_ports, self.ref, code, self.problem.top, "candidate.v",
                                  **worker.bounds(self.limits))
            except worker.WorkerFailed as exc:
                bad = worker_verdict(exc, Stage.COMPILE)
            code = bad if bad is not None else code
        return code, time.perf_counter() - t0

    # ------------------------------------------------------------------------------------- isolation

    def judge(self, codes: list[str], deep: bool = False) -> dict[str, tuple[Verdict, float]]:
        """Verdicts for a group, splitting it until compile failures and hangs stand alone (``deep``: of
        the deep-phase run, see :func:`verilog_sim.judge.group.merge_deep`)."""
        out: dict[str, tuple[Verdict, float]] = {}
        spent: dict[str, float] = dict.fromkeys(codes, 0.0)
        stack = [codes]
        while stack:
            grp = stack.pop()
            g = self.simulate(grp, deep)
            if not deep:
                self.random_runs.append(g.seconds)
            for c in grp:
                spent[c] += g.seconds / len(grp)
            if g.verdicts is not None:
                _recent_runs.append(g.seconds)
                for c, v in zip(grp, g.verdicts):
                    out[c] = (v, spent[c])
            elif g.ref_broken:
                for c in grp:
                    out[c] = (reference_compile_error(self.seed, g.detail), spent[c])
            elif len(grp) == 1:
                v = g.compile_verdict or g.run_failed or reference_compile_error(self.seed, g.detail)
                out[grp[0]] = (v, spent[grp[0]])
            elif g.compile_failed and g.blamed:
                stack.extend([grp[k]] for k in sorted(g.blamed))
                rest = [c for k, c in enumerate(grp) if k not in g.blamed]
                if rest:
                    stack.append(rest)
            else:  # timeout, crash, $finish, unattributed compile error: halve
                mid = len(grp) // 2
                stack += [grp[mid:], grp[:mid]]
        return out

    def group_limits(self, n: int) -> sandbox.Limits:
        if n == 1:
            return self.limits
        typical = statistics.median(_recent_runs) if _recent_runs else GROUP_WALL_FIRST_S / GROUP_WALL_FACTOR
        wall = min(self.limits.wall_s, max(GROUP_WALL_MIN_S, GROUP_WALL_FACTOR * typical))
        return replace(self.limits, wall_s=wall, cpu_s=None)

    def simulate(self, codes: list[str], deep: bool = False) -> GroupResult:
        with sandbox.Scratch() as scratch:
            write_extra_files(self.problem, scratch)
            return run_group(self.ref, codes, self.problem.top, scratch, limits=self.group_limits(len(codes)),
                             seed=self.seed, cycles=self.cycles, reset_rate=self.reset_rate, deep_only=deep)

    def deep_phase(self, judged: dict[str, tuple[Verdict, float]], pool: ThreadPoolExecutor) -> None:
        """The deep-phase run, batched, for the distinct candidates the random run passed (sequential designs)."""
        random_cycles, deep = split_cycles(self.cycles, bool(self.ref.timing.clock))
        passing = [c for c, (v, _) in judged.items() if v.passed]
        if not deep or not passing:
            return
        slowest = max(self.random_runs, default=0.0)
        if slowest > DEEP_MAX_SHARE * self.limits.wall_s:
            for c in passing:
                judged[c] = (skip_deep(judged[c][0], slowest), judged[c][1])
            return
        chunks = [passing[i:i + self.batch_size] for i in range(0, len(passing), self.batch_size)]
        for part in pool.map(lambda ch: self.judge(ch, deep=True), chunks):
            for c, (dv, s) in part.items():
                v, s0 = judged[c]
                judged[c] = (merge_deep(v, dv, random_cycles + deep), s0 + s)
