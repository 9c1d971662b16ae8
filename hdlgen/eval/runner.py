"""Judge every sample of a benchmark: identical code judged once, the rest in parallel worker threads.

Each judgement is one or two sandboxed processes, so threads suffice (the GIL is released while they
run). LLM sample sets repeat themselves (the same completion many times at low temperature), so verdicts
are cached by a hash of the task and the code actually judged (comments and blank space aside: they
cannot change a verdict); VerilogEval samples that provably fail (no code, no ``TopModule`` anywhere) are
answered without starting Icarus.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

from verilog_sim import Problem, verify, verify_many
from verilog_sim.source.extract import extract_verilog
from verilog_sim.verdict import Status, Verdict
from verilog_sim.verilog_eval import rules as verilog_eval
from verilog_sim.verilog_eval import shared_run

FIRST_BATCH_WALL_S = 3.0  # a first shared run takes 0.1-0.5 s on most problems; longer: judge them alone


@dataclass(frozen=True)
class SampleResult:
    task_id: str
    completion_id: int
    verdict: Verdict
    cached: bool = False  # the verdict of an identical sample judged earlier in this run


@dataclass(frozen=True)
class _Job:
    problem: Problem
    code: str | None  # None: no code found (judged without tools)
    completion: str


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _code_of(problem: Problem, completion: str) -> str | None:
    if verilog_eval.is_verilog_eval(problem):
        return verilog_eval.candidate_source(problem, completion)
    return extract_verilog(completion, problem.top)


_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_UNSAFE = re.compile(r'["\\]|__LINE__|__FILE__|`line|\b(?:synopsys|synthesis|pragma|translate_o(?:n|ff))\b')


def canonical_code(code: str) -> str:
    """``code`` with comments, blank lines and runs of blanks removed: the same tokens, so the same verdict.

    Left untouched when it could matter: string literals (comment markers inside), backslashes (escaped
    identifiers end at white space, macro lines continue), ``__LINE__``/``__FILE__``, `` `line``, or
    pragma-like words that some tools read from comments.
    """
    if _UNSAFE.search(code):
        return code
    text = _COMMENT.sub(lambda m: " " if m.group(0).startswith("/*") else "", code)
    lines = (re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines())
    return "\n".join(ln for ln in lines if ln) + "\n"


def _key(problem: Problem, code: str | None, completion: str) -> str:
    h = hashlib.sha256(problem.task_id.encode())
    h.update(b"\0code\0" if code is not None else b"\0raw\0")
    h.update((canonical_code(code) if code is not None else completion).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _no_code() -> Verdict:
    return Verdict.no_code()


def judge_one(job: _Job, *, timeout: float, lenient: bool, waveform: bool = False, quick: bool = True,
              seed: int = 0) -> Verdict:
    """One sample's verdict: the official VerilogEval rule for VerilogEval problems, else ``verify``."""
    if verilog_eval.is_verilog_eval(job.problem):
        return verilog_eval.evaluate(job.problem, job.completion, lenient=lenient, timeout=timeout,
                                     waveform=waveform, quick=quick, code=job.code if quick else None)
    if job.code is None:
        return _no_code()
    return verify(job.problem, job.code, timeout=timeout, extract=False, seed=seed)


def _batch_judge(problem: Problem, codes: Sequence[str], timeout: float, seed: int) -> list[Verdict] | None:
    """Reference-only problems share simulations through :func:`verilog_sim.verify_many`."""
    if problem.test_kind is not None or not problem.ref:
        return None
    return verify_many(problem, list(codes), timeout=timeout, seed=seed, extract=False)


def run_eval(problems: Sequence[Problem], samples: dict[str, list[str]], *, workers: int | None = None,
             timeout: float = verilog_eval.OFFICIAL_TIMEOUT_S, lenient: bool = False, cache: bool = True,
             quick: bool = True, waveform: bool = False, seed: int = 0, batch: bool = True,
             on_result: Callable[[SampleResult], None] | None = None) -> list[SampleResult]:
    """Verdicts of all samples of the given problems, ordered by problem then completion_id.

    ``batch`` lets distinct VerilogEval v2 candidates of one problem share a simulation
    (:mod:`verilog_sim.verilog_eval.shared_run`; same verdicts). ``cache=False, quick=False, workers=1, waveform=True`` is
    the official one-process-per-sample flow
    (the baseline of ``benchmarks/bench_eval.py``). ``on_result`` is called in the caller's thread. ``seed``
    drives the random stimulus of reference-only (differential) problems, so scores are reproducible.
    """
    by_id = {p.task_id: p for p in problems}
    order = [p.task_id for p in problems if p.task_id in samples]
    results: dict[tuple[str, int], SampleResult] = {}
    waiting: dict[str, list[tuple[str, int]]] = {}  # key -> samples sharing it
    jobs: dict[str, _Job] = {}

    def record(r: SampleResult) -> None:
        results[(r.task_id, r.completion_id)] = r
        if on_result:
            on_result(r)

    for tid in order:
        problem = by_id[tid]
        for cid, completion in enumerate(samples[tid]):
            code = _code_of(problem, completion) if quick or not verilog_eval.is_verilog_eval(problem) else None
            key = _key(problem, code, completion) if cache else f"{tid}\0{cid}"
            if quick and verilog_eval.is_verilog_eval(problem):
                early = verilog_eval.quick_reject(problem, code)
                if early is not None:
                    record(SampleResult(tid, cid, early.with_(tools=_tools())))
                    continue
            elif code is None and not verilog_eval.is_verilog_eval(problem):
                record(SampleResult(tid, cid, _no_code().with_(tools=_tools())))
                continue
            if key in waiting:
                waiting[key].append((tid, cid))
                continue
            waiting[key] = [(tid, cid)]
            jobs[key] = _Job(problem, code, completion)

    def finish(key: str, verdict: Verdict) -> None:
        for i, (tid, cid) in enumerate(waiting[key]):
            record(SampleResult(tid, cid, verdict, cached=i > 0))

    batched = _run_batches(jobs, timeout, seed, finish)
    pending = {k: j for k, j in jobs.items() if k not in batched}
    _judge_pool(pending, finish, workers=workers or default_workers(), timeout=timeout, lenient=lenient,
                waveform=waveform, quick=quick, seed=seed, batch=batch and quick)
    return [results[(tid, cid)] for tid in order for cid in range(len(samples[tid]))]


def _judge_pool(pending: dict[str, _Job], finish: Callable[[str, Verdict], None], *, workers: int, timeout: float,
                lenient: bool, waveform: bool, quick: bool, seed: int, batch: bool) -> None:
    """Judge ``pending`` in worker threads, longest work first.

    With ``batch``, a problem whose v2 testbench allows shared runs starts with one shared run of all its
    candidates that may share (:mod:`verilog_sim.verilog_eval.shared_run`), cut short after
    ``FIRST_BATCH_WALL_S`` (no cost is known yet; a problem that slow, such as those whose testbench runs
    into its own TIMEOUT, which shared runs do not judge, has its candidates run alone). Every other
    problem starts with its first distinct candidate alone (a probe). The first run's time ranks the
    problem's remaining candidates (slow problems start early, so no worker idles at the end behind one long
    simulation) and says whether probed candidates should share runs.
    """
    per_task: dict[str, list[str]] = {}
    for key, job in pending.items():
        per_task.setdefault(job.problem.task_id, []).append(key)
    queue: list[tuple[float, int, str, list[str]]] = []  # (-priority, seq, kind, keys)
    seq = 0
    waiting: dict[str, list[str]] = {}  # task -> keys pushed once its first run says what they cost
    limits = verilog_eval.official_limits(timeout)
    first_limits = replace(limits, wall_s=min(FIRST_BATCH_WALL_S, timeout / 3))

    def push(priority: float, kind: str, keys: list[str]) -> None:
        nonlocal seq
        heapq.heappush(queue, (-priority, seq, kind, keys))
        seq += 1

    def shareable(problem: Problem, keys: list[str]) -> list[str]:
        if not (batch and shared_run.problem_batchable(problem)):
            return []
        return [k for k in keys if pending[k].code and shared_run.candidate_batchable(problem, pending[k].code or "")]

    def first_run(keys: list[str]) -> tuple[str, list[str], list[Verdict | None]]:
        """A problem's first run, in a worker thread (deciding what may share parses the candidates)."""
        shared = shareable(pending[keys[0]].problem, keys)
        if len(shared) < 2:
            return "probe", keys[:1], [judge_one(pending[keys[0]], timeout=timeout, lenient=lenient,
                                                 waveform=waveform, quick=quick, seed=seed)]
        shared = shared[:shared_run.MAX_BATCH]
        return "first-batch", shared, shared_run.judge_batch(pending[shared[0]].problem,
                                                              [pending[k].code or "" for k in shared],
                                                              limits=first_limits, lenient=lenient)

    for keys in per_task.values():
        push(float("inf"), "first", keys)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future, tuple[str, list[str]]] = {}

        def start() -> None:
            while queue and len(futures) < workers:
                _, _, kind, keys = heapq.heappop(queue)
                if kind == "first":
                    fut = pool.submit(first_run, keys)
                elif kind == "batch":
                    fut = pool.submit(shared_run.judge_batch, pending[keys[0]].problem,
                                      [pending[k].code or "" for k in keys], limits=limits, lenient=lenient)
                else:
                    fut = pool.submit(judge_one, pending[keys[0]], timeout=timeout, lenient=lenient,
                                      waveform=waveform, quick=quick, seed=seed)
                futures[fut] = (kind, keys)

        def release(task: str, cost: float, timed_out: bool) -> None:
            """The rest of ``task``'s candidates, now that one run says what they cost."""
            rest = waiting.pop(task, [])
            shared = shareable(pending[rest[0]].problem, rest) if rest else []
            if len(shared) < 2 or timed_out or cost * len(shared) > timeout / 3:
                shared = []
            for i in range(0, len(shared), shared_run.MAX_BATCH):
                chunk = shared[i:i + shared_run.MAX_BATCH]
                push(cost * len(chunk), "batch", chunk)
            for k in rest:
                if k not in shared:
                    push(cost, "one", [k])

        try:
            start()
            while futures:
                done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                for fut in done:
                    kind, keys = futures.pop(fut)
                    value = fut.result()
                    if kind == "first":
                        task = pending[keys[0]].problem.task_id
                        kind, ran, value = value
                        waiting[task] = [k for k in keys if k not in ran]
                        keys = ran
                        if kind == "probe":
                            value = value[0]
                    if kind in ("batch", "first-batch"):
                        judged = [v for v in value if v is not None]
                        for key, verdict in zip(keys, value):
                            if verdict is None:  # the shared run could not judge it: alone, as officially
                                push(float("inf"), "one", [key])
                            else:
                                finish(key, verdict.with_(tools=_tools()))
                        if kind == "first-batch":
                            cost = max(judged[0].seconds, 1e-3) if judged else timeout / 3
                            release(pending[keys[0]].problem.task_id, cost, not judged)
                        continue
                    finish(keys[0], value)
                    if kind == "probe":
                        release(pending[keys[0]].problem.task_id, max(value.seconds, 1e-3),
                                value.status is Status.TIMEOUT)
                start()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _run_batches(jobs: dict[str, _Job], timeout: float, seed: int,
                 finish: Callable[[str, Verdict], None]) -> set[str]:
    """Judge reference-only problems' candidates in one batch per problem where possible; keys handled."""
    groups: dict[str, list[str]] = {}
    for key, job in jobs.items():
        if not verilog_eval.is_verilog_eval(job.problem) and job.problem.test_kind is None and job.problem.ref:
            groups.setdefault(job.problem.task_id, []).append(key)
    handled: set[str] = set()
    for keys in groups.values():
        problem = jobs[keys[0]].problem
        verdicts = _batch_judge(problem, [jobs[k].code or "" for k in keys], timeout, seed)
        if verdicts is None or len(verdicts) != len(keys):
            continue
        for k, v in zip(keys, verdicts):
            finish(k, v)
            handled.add(k)
    return handled


def _tools() -> dict[str, str]:
    from verilog_sim import tools

    return tools.versions(None)
