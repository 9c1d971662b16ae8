"""``hdlgen eval``: score a samples file on a benchmark (pass@k), with official VerilogEval verdicts."""

from __future__ import annotations

from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ..eval.report import MISSING_MODES
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
@click.option("--benchmark", required=True, metavar="NAME|PATH|rtllm:PATH",
              help="verilog-eval-v1-human, verilog-eval-v1-machine, verilog-eval-v2-spec, "
                   "verilog-eval-v2-complete, rtllm:PATH (a checkout of RTLLM v1.1 or v2.0), a JSONL file of "
                   "problems (contract format) or a folder of problem directories.")
@click.option("--samples", "samples_path", type=click.Path(dir_okay=False), default=None,
              help='JSONL of {"task_id", "completion"}; many lines per task (order = completion_id).')
@click.option("-k", "ks", default="1,5,10", show_default=True, help="pass@k values (only k <= n of every task).")
@click.option("--missing", type=click.Choice(MISSING_MODES), default="fail", show_default=True,
              help="Benchmark tasks without samples (and tasks with fewer than the most any task has): fail "
                   "counts the absent samples as failed, as published protocols do; skip scores only the "
                   "samples given.")
@click.option("--results", "results_path", type=click.Path(dir_okay=False), default=None,
              help="Also write one JSON line per sample (task_id, completion_id, status, stage, mismatches, "
                   "message, first diagnostic with its line) to this file.")
@click.option("--export-problems", "export_path", type=click.Path(dir_okay=False), default=None,
              help="Write the benchmark's problems as contract-format JSONL to this file and stop "
                   "(converts rtllm:PATH once; --samples is not needed).")
@click.option("--reference-samples", "refs_path", type=click.Path(dir_okay=False), default=None,
              help="Write a samples file holding each problem's reference and stop; score it to see which "
                   "problems the simulator judges as their authors meant.")
@click.option("--workers", type=click.IntRange(1), default=None, help="Parallel judges (default: CPU count).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Wall-clock limit in seconds per compile and per simulation (30 s is VerilogEval's).")
@click.option("--lenient", is_flag=True,
              help="Fix upstream VerilogEval scoring defects (stderr warnings, testbench TIMEOUT with 0 "
                   "mismatches, 'error' printed at run time). Default: official verdicts.")
@format_option
def eval_cmd(benchmark: str, samples_path: str | None, ks: str, missing: str, results_path: str | None,
             export_path: str | None, refs_path: str | None, workers: int | None, timeout: float, lenient: bool,
             fmt: str) -> None:
    """Judge every sample of SAMPLES on a benchmark and report pass@k per problem and overall.

    VerilogEval verdicts are the official harnesses' (same files, iverilog flags, pass rule and 30 s
    limit; v1 fails any stderr output, v2 follows sv-iv-analyze); --lenient fixes their known defects.
    RTLLM designs are judged by their own testbench (the pass line it prints). Other benchmarks: a JSONL
    of problems judged by their Verilog or cocotb testbench, or by differential simulation against their
    reference. Identical samples are judged once. By default a task without samples counts as failed
    (--missing fail); the report says which rule was used.

    \b
    Examples:
      hdlgen eval --benchmark verilog-eval-v2-spec --samples samples.jsonl -k 1,5
      hdlgen eval --benchmark verilog-eval-v1-human --samples s.jsonl --lenient --format json
      hdlgen eval --benchmark rtllm:~/RTLLM --samples s.jsonl --results per_sample.jsonl
      hdlgen eval --benchmark rtllm:~/RTLLM --export-problems rtllm.jsonl
      hdlgen eval --benchmark my_problems.jsonl --samples s.jsonl --missing skip --workers 4

    Exit 0 when every sample passed (and none is missing under --missing fail), 1 when some failed, 2 on
    usage errors (unknown benchmark, bad samples file, task_id not in the benchmark, missing simulator).
    """
    from ..eval.evaluate import check_task_ids, evaluate, load
    from ..eval.export import write_problems, write_reference_samples
    from ..eval.progress import progress_bar
    from ..eval.report import all_passed, render_text, write_results
    from ..eval.samples import SamplesError, read_samples

    k_list = _parse_ks(ks)
    problems = load(benchmark)
    if export_path or refs_path:
        if export_path:
            n = write_problems(problems, export_path)
            click.echo(f"hdlgen: wrote {n} problems to {export_path}", err=True)
        if refs_path:
            n, none = write_reference_samples(problems, refs_path)
            skipped = f" ({len(none)} without a reference: {', '.join(none[:5])})" if none else ""
            click.echo(f"hdlgen: wrote {n} reference samples to {refs_path}{skipped}", err=True)
        exit_with(EXIT_OK)
    if samples_path is None:
        raise click.UsageError("give --samples (or --export-problems / --reference-samples)")
    try:
        samples = read_samples(samples_path)
        missing_tasks = check_task_ids(problems, samples, samples_path, benchmark)
    except SamplesError as exc:
        raise ToolError(str(exc)) from exc
    if missing_tasks and fmt == "text":
        what = "counted as failed (--missing fail)" if missing == "fail" else "not scored (--missing skip)"
        click.echo(f"hdlgen: warning: {len(missing_tasks)} of {len(problems)} tasks have no samples: {what}",
                   err=True)
    total = sum(len(v) for v in samples.values())
    with progress_bar(total, f"eval {Path(benchmark).name}") as on_result:
        ev = evaluate(benchmark, samples_path, ks=k_list, missing=missing, workers=workers, timeout=timeout,
                      lenient=lenient, problems=problems, samples=samples, on_result=on_result)
    if results_path:
        write_results(results_path, ev.results, ev.report)
    if fmt == "json":
        emit_json(ev.report)
    else:
        for line in render_text(ev.report):
            click.echo(line)
    exit_with(EXIT_OK if all_passed(ev.report) else EXIT_FAILED)
