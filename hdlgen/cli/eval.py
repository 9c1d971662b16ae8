"""``hdlgen eval``: score a samples file on a benchmark (pass@k), with official VerilogEval verdicts."""

from __future__ import annotations

import time
from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option


def _parse_ks(value: str) -> list[int]:
    try:
        ks = sorted({int(x) for x in value.split(",") if x.strip()})
    except ValueError:
        raise click.BadParameter(f"expected comma-separated integers like 1,5,10, got {value!r}") from None
    if not ks or min(ks) < 1:
        raise click.BadParameter("every k must be a positive integer")
    return ks


@click.command()
@click.option("--benchmark", required=True, metavar="NAME|PATH",
              help="verilog-eval-v1-human, verilog-eval-v1-machine, verilog-eval-v2-spec, "
                   "verilog-eval-v2-complete, or a JSONL file of problems (contract format).")
@click.option("--samples", "samples_path", required=True, type=click.Path(dir_okay=False),
              help='JSONL of {"task_id", "completion"}; many lines per task (order = completion_id).')
@click.option("-k", "ks", default="1,5,10", show_default=True, help="pass@k values (only k <= n of every task).")
@click.option("--workers", type=click.IntRange(1), default=None, help="Parallel judges (default: CPU count).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Wall-clock limit in seconds per compile and per simulation (30 s is VerilogEval's).")
@click.option("--lenient", is_flag=True,
              help="Fix upstream VerilogEval scoring defects (stderr warnings, testbench TIMEOUT with 0 "
                   "mismatches, 'error' printed at run time). Default: official verdicts.")
@format_option
def eval_cmd(benchmark: str, samples_path: str, ks: str, workers: int | None, timeout: float, lenient: bool,
             fmt: str) -> None:
    """Judge every sample of SAMPLES on a benchmark and report pass@k per problem and overall.

    VerilogEval verdicts are the official harnesses' (same files, iverilog flags, pass rule and 30 s
    limit; v1 fails any stderr output, v2 follows sv-iv-analyze); --lenient fixes their known defects.
    Other benchmarks: a JSONL of problems judged by their Verilog or cocotb testbench, or by
    differential simulation against their reference. Identical samples are judged once.

    \b
    Examples:
      hdlgen eval --benchmark verilog-eval-v2-spec --samples samples.jsonl -k 1,5
      hdlgen eval --benchmark verilog-eval-v1-human --samples s.jsonl --lenient --format json
      hdlgen eval --benchmark my_problems.jsonl --samples s.jsonl --workers 4

    Exit 0 when every sample passed, 1 when some failed, 2 on usage errors (unknown benchmark, bad
    samples file, task_id not in the benchmark, missing simulator).
    """
    from verilog_sim import tools
    from verilog_sim.verilog_eval.rules import load_benchmark

    from ..eval.progress import progress_bar
    from ..eval.report import all_passed, build_report, render_text
    from ..eval.runner import default_workers, run_eval
    from ..eval.samples import SamplesError, read_samples

    k_list = _parse_ks(ks)
    tools.require_icarus()
    problems = load_benchmark(benchmark)
    try:
        samples = read_samples(samples_path)
    except SamplesError as exc:
        raise ToolError(str(exc)) from exc
    known = {p.task_id for p in problems}
    unknown = [t for t in samples if t not in known]
    if unknown:
        more = f" (and {len(unknown) - 3} more)" if len(unknown) > 3 else ""
        raise ToolError(f"{samples_path}: task_id {', '.join(map(repr, unknown[:3]))}{more} not in benchmark "
                        f"{benchmark}")
    missing = [p.task_id for p in problems if p.task_id not in samples]
    if missing and fmt == "text":
        click.echo(f"hdlgen: warning: {len(missing)} of {len(problems)} tasks have no samples; scoring the "
                   f"{len(problems) - len(missing)} that do", err=True)
    n_workers = workers or default_workers()
    start = time.perf_counter()
    total = sum(len(v) for v in samples.values())
    with progress_bar(total, f"eval {Path(benchmark).name}") as on_result:
        results = run_eval(problems, samples, workers=n_workers, timeout=timeout, lenient=lenient,
                           on_result=on_result)
    report = build_report(benchmark=benchmark, samples_file=samples_path,
                          task_order=[p.task_id for p in problems if p.task_id in samples], results=results,
                          ks=k_list, seconds=time.perf_counter() - start, tools=tools.versions("pyslang"),
                          lenient=lenient, workers=n_workers, missing_tasks=missing)
    if fmt == "json":
        emit_json(report)
    else:
        for line in render_text(report):
            click.echo(line)
    exit_with(EXIT_OK if all_passed(report) else EXIT_FAILED)
