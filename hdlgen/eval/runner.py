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
from dataclasses import dataclass

from verilog_sim import Problem, verify, verify_many
from verilog_sim.source.extract import extract_verilog
from verilog_sim.verdict import Status, Verdict
from verilog_sim.verilog_eval import rules as verilog_eval
from verilog_sim.verilog_eval import shared_run


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

    Each problem's first distinct candidate runs alone first (a probe); its time ranks the problem's other
    candidates (slow problems start early, so no worker idles at the end behind one long simulation) and,
    with ``batch``, says whether v2 candidates should share runs (:mod:`verilog_sim.verilog_eval.shared_run`).
    """
    per_task: dict[str, list[str]] = {}
    for key, job in pending.items():
        per_task.setdefault(job.problem.task_id, []).append(key)
    queue: list[tuple[float, int, str, list[str]]] = []  # (-priority, seq, kind, keys)
    seq = 0

    def push(priority: float, kind: str, keys: list[str]) -> None:
        nonlocal seq
        heapq.heappush(queue, (-priority, seq, kind, keys))
        seq += 1

    for keys in per_task.values():
        push(float("inf"), "probe", keys[:1])
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future, tuple[str, list[str]]] = {}

        def start() -> None:
            while queue and len(futures) < workers:
                _, _, kind, keys = heapq.heappop(queue)
                if kind == "batch":
                    fut = pool.submit(shared_run.judge_batch, pending[keys[0]].problem,
                                      [pending[k].code or "" for k in keys], limits=verilog_eval.official_limits(timeout),
                                      lenient=lenient)
                else:
                    fut = pool.submit(judge_one, pending[keys[0]], timeout=timeout, lenient=lenient,
                                      waveform=waveform, quick=quick, seed=seed)
                futures[fut] = (kind, keys)

        def after_probe(key: str, verdict: Verdict) -> None:
            job = pending[key]
            rest = per_task[job.problem.task_id][1:]
            cost = max(verdict.seconds, 1e-3)
            shared = [k for k in rest if batch and pending[k].code and shared_run.problem_batchable(job.problem)
                      and shared_run.candidate_batchable(job.problem, pending[k].code or "")]
            if len(shared) < 2 or verdict.status is Status.TIMEOUT or cost * len(shared) > timeout / 3:
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
                    if kind == "batch":
                        for key, verdict in zip(keys, value):
                            if verdict is None:  # the shared run could not judge it: alone, as officially
                                push(float("inf"), "one", [key])
                            else:
                                finish(key, verdict.with_(tools=_tools()))
                        continue
                    finish(keys[0], value)
                    if kind == "probe":
                        after_probe(keys[0], value)
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
