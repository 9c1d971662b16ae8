"""``hdlgen filter``: filter a Verilog dataset through switchable stages, in parallel, resumably."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import EXIT_OK, ToolError, emit_json, exit_with, format_option


def _switch(name: str, default: bool, help_: str):  # noqa: ANN202 - a click decorator
    return click.option(f"--{name}/--no-{name}", default=default, show_default=True, help=help_)


@click.command()
@click.argument("input_path", metavar="IN", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="Kept rows (JSONL).")
@click.option("--rejected", type=click.Path(dir_okay=False), help="Also write rejected rows (index, id, reason).")
@click.option("--report", type=click.Path(dir_okay=False), help="Write the report as JSON here.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True, help="Parallel worker processes.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: run the stages on Ray Data (pip install 'hdlgen[ray]'; uses RAY_ADDRESS if set).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run (same options) where it stopped.")
@click.option("--input-format", type=click.Choice(["jsonl", "csv", "parquet"]), help="Default: from the file name.")
@click.option("--code-col", default="code", show_default=True, help="Column holding the code (or LLM text).")
@click.option("--id-col", default="id", show_default=True, help="Row id column (missing: the row index).")
@click.option("--description-col", default="description", show_default=True,
              help="Spec column; PyraNet's dict-as-string (description, rank, complexity) is unpacked.")
@click.option("--ref-col", default="ref", show_default=True, help="Golden reference column (differential check).")
@click.option("--test-col", default="test", show_default=True, help="Testbench column (cocotb or Verilog tb).")
@click.option("--rank-col", default="rank", show_default=True, help="Score/rank column.")
@_switch("extract", True, "Extract Verilog from LLM text (off: the column is plain Verilog).")
@_switch("syntax", True, "Syntax check (pyslang).")
@_switch("compile", True, "Compile with Icarus Verilog in the sandbox.")
@_switch("functional", False, "Simulate rows that have a testbench or a reference.")
@_switch("dedup", True, "Drop exact duplicates (normalized code).")
@_switch("near-dup", True, "Drop near duplicates (MinHash LSH).")
@_switch("complexity", True, "Label complexity (generation's judge, else the data's column).")
@_switch("quality", True, "Quality rules: size bounds, single top module, thresholds.")
@_switch("lint", False, "Count lint findings (verilog_sim.lint).")
@click.option("--dedup-threshold", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="Jaccard similarity at which two rows are near duplicates.")
@click.option("--min-lines", type=click.IntRange(0), default=3, show_default=True)
@click.option("--max-lines", type=click.IntRange(1), default=2000, show_default=True)
@click.option("--max-bytes", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Larger code is rejected (too_large) before parsing.")
@click.option("--single-top/--any-top", default=True, show_default=True, help="Require one clear top module.")
@click.option("--min-rank", type=float, help="Reject rows whose rank/score is below this.")
@click.option("--min-complexity", type=click.Choice(["easy", "medium", "hard", "basic", "intermediate", "advanced",
                                                    "expert"], case_sensitive=False),
              help="Reject rows labelled below this (easy=basic < medium=intermediate < hard=advanced < expert; "
                   "unknown labels are rejected too).")
@click.option("--complexity-source", type=click.Choice(["judge", "data"]), default="judge", show_default=True,
              help="judge: generation's complexity judge on the description; data: the row's complexity column.")
@click.option("--max-lint", type=click.IntRange(0), help="Reject rows with more lint findings than this.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds per compile or simulation.")
@click.option("--seed", type=int, default=0, show_default=True, help="Stimulus seed of differential checks.")
@click.option("--chunk-size", type=click.IntRange(1), default=2048, show_default=True,
              help="Rows per checkpoint (and the window in which rows sharing a reference are simulated together).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@format_option
def filter_cmd(input_path: str, out: str, rejected: str | None, report: str | None, workers: int, engine: str,
               resume: bool, input_format: str | None, code_col: str, id_col: str, description_col: str,
               ref_col: str, test_col: str, rank_col: str, extract: bool, syntax: bool, compile: bool,
               functional: bool, dedup: bool, near_dup: bool, complexity: bool, quality: bool, lint: bool,
               dedup_threshold: float, min_lines: int, max_lines: int, max_bytes: int, single_top: bool,
               min_rank: float | None, min_complexity: str | None,
               complexity_source: str, max_lint: int | None, timeout: float,
               seed: int, chunk_size: int, progress: bool | None, fmt: str) -> None:
    """Filter the Verilog dataset IN (JSONL, CSV or Parquet) into OUT: kept rows with verdict, labels, cluster.

    Stages run cheap first: extract, size, syntax, single top, rank, complexity, exact and near dedup, then
    compile (Icarus, batched, sandboxed), lint, functional simulation. Rows are streamed; every chunk is
    checkpointed, so --resume after any interruption gives the same output as an uninterrupted run.

    \b
    Examples:
      hdlgen filter data/samples/pyranet_sample.csv -o kept.jsonl --rejected rej.jsonl --report rep.json
      hdlgen filter big.parquet -o kept.jsonl --workers 8 --min-complexity intermediate --min-rank 15
      hdlgen filter rows.jsonl -o kept.jsonl --functional --dedup-threshold 0.85 --resume

    Exit 0 when the run completes (rejections are results, see the report), 2 on usage or tool errors.
    """
    from hdlgen.filter import Columns, FilterConfig, FilterError, Paths, run_filter
    from hdlgen.filter.report import summary_lines
    from verilog_sim.tools import require_icarus

    if compile or functional:
        require_icarus()
    cfg = FilterConfig(
        columns=Columns(code=code_col, id=id_col, description=description_col, ref=ref_col, test=test_col,
                        rank=rank_col),
        extract=extract, syntax=syntax, compile=compile, functional=functional, dedup=dedup, near_dup=near_dup,
        complexity=complexity, quality=quality, lint=lint, max_bytes=max_bytes, min_lines=min_lines,
        max_lines=max_lines, single_top=single_top, min_rank=min_rank, min_complexity=min_complexity and min_complexity.lower(),
        complexity_source=complexity_source,
        max_lint=max_lint, dedup_threshold=dedup_threshold, timeout=timeout, seed=seed, chunk_size=chunk_size)
    paths = Paths(Path(input_path), Path(out), Path(rejected) if rejected else None, Path(report) if report else None)
    if paths.out.resolve() == paths.input.resolve():
        raise ToolError("the output file must differ from the input file")
    show = progress if progress is not None else sys.stderr.isatty()
    try:
        if show:
            result = _with_progress(paths, cfg, input_format, workers, engine, resume)
        else:
            result = run_filter(paths, cfg, fmt=input_format, workers=workers, engine=engine, resume=resume)
    except FilterError as exc:
        raise ToolError(str(exc)) from exc
    except ImportError as exc:
        if engine == "ray":
            raise ToolError(f"--engine ray needs Ray Data: pip install 'hdlgen[ray]' ({exc})") from exc
        raise
    if fmt == "json":
        emit_json(result)
    else:
        for line in summary_lines(result):
            click.echo(line)
    exit_with(EXIT_OK)


def _with_progress(paths, cfg, fmt, workers, engine, resume):  # noqa: ANN001, ANN202
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from hdlgen.filter import run_filter

    bar = Progress(TextColumn("filter"), BarColumn(), MofNCompleteColumn(), TextColumn("kept {task.fields[kept]}"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    with bar:
        task = bar.add_task("rows", total=None, kept=0)

        def update(done: int, kept: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total, kept=kept)

        return run_filter(paths, cfg, fmt=fmt, workers=workers, engine=engine, resume=resume, progress=update)
