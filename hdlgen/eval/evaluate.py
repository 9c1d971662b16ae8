"""One call from a benchmark name and a samples file to the report: what ``hdlgen eval`` prints.

The CLI only parses options, shows progress and renders; scripts call :func:`evaluate` (or, with problems and
samples already in memory, :func:`hdlgen.eval.runner.run_eval` and :func:`hdlgen.eval.report.build_report`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verilog_sim import Problem, tools
from verilog_sim.sandbox import DEFAULT_TIMEOUT_S
from verilog_sim.verilog_eval.rules import load_benchmark

from .report import build_report
from .runner import SampleResult, default_workers, run_eval
from .samples import SamplesError, read_samples


@dataclass(frozen=True)
class Evaluation:
    report: dict[str, Any]  # the contract's eval report
    results: list[SampleResult]  # every judged sample, by task then completion_id


def resolve_benchmark(name: str) -> str:
    """``rtllm:~/RTLLM`` with the home folder expanded (the shell does not expand ``~`` after ``rtllm:``)."""
    if name.startswith("rtllm:~"):
        return "rtllm:" + str(Path(name[len("rtllm:"):]).expanduser())
    return name


def load(benchmark: str) -> list[Problem]:
    return load_benchmark(resolve_benchmark(benchmark))


def check_task_ids(problems: Sequence[Problem], samples: dict[str, list[str]], samples_file: str,
                   benchmark: str) -> list[str]:
    """The benchmark's tasks without samples; SamplesError when a sample names a task the benchmark lacks."""
    known = {p.task_id for p in problems}
    unknown = [t for t in samples if t not in known]
    if unknown:
        more = f" (and {len(unknown) - 3} more)" if len(unknown) > 3 else ""
        raise SamplesError(f"{samples_file}: task_id {', '.join(map(repr, unknown[:3]))}{more} not in benchmark "
                           f"{benchmark}")
    return [p.task_id for p in problems if p.task_id not in samples]


def evaluate(benchmark: str, samples_file: str | Path, *, ks: Sequence[int] = (1, 5, 10), missing: str = "fail",
             workers: int | None = None, timeout: float = DEFAULT_TIMEOUT_S, lenient: bool = False,
             problems: Sequence[Problem] | None = None, samples: dict[str, list[str]] | None = None,
             on_result: Callable[[SampleResult], None] | None = None) -> Evaluation:
    """Judge every sample of ``samples_file`` on ``benchmark`` and build the report (``missing``: see
    :func:`hdlgen.eval.report.build_report`). ``problems`` / ``samples``: already loaded from those two
    (not read again). UserError subclasses for a bad benchmark or samples file."""
    tools.require_icarus()
    benchmark = resolve_benchmark(benchmark)
    problems = list(problems) if problems is not None else load_benchmark(benchmark)
    samples = samples if samples is not None else read_samples(samples_file)
    missing_tasks = check_task_ids(problems, samples, str(samples_file), benchmark)
    n_workers = workers or default_workers()
    start = time.perf_counter()
    results = run_eval(problems, samples, workers=n_workers, timeout=timeout, lenient=lenient, on_result=on_result)
    report = build_report(benchmark=benchmark, samples_file=str(samples_file),
                          task_order=[p.task_id for p in problems if p.task_id in samples or missing == "fail"],
                          results=results, ks=ks, seconds=time.perf_counter() - start,
                          tools=tools.versions("pyslang"), lenient=lenient, workers=n_workers,
                          missing_tasks=missing_tasks, missing=missing,
                          simulator_notes={p.task_id: p.meta.get("icarus_notes") or [] for p in problems})
    return Evaluation(report, results)
