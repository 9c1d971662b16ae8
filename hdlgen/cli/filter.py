"""``hdlgen filter``: filter a Verilog dataset through switchable stages, in parallel, resumably."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import Field, fields
from pathlib import Path
from types import UnionType
from typing import Any, get_type_hints

import click

from ._common import EXIT_OK, ToolError, emit_json, exit_with, format_option


def _option(f: Field, param: str, declaration: str, type_: Any) -> Callable[[Callable], Callable]:
    """One click option for a config field, from its ``flag(...)`` metadata and its type."""
    meta = f.metadata["cli"]
    base = type_.__args__[0] if isinstance(type_, UnionType) else type_  # "float | None" -> float
    kw: dict[str, Any] = {"help": meta["help"] or None}
    if f.default is not None:
        kw.update(default=f.default, show_default=True)
    if base is bool:
        decl = meta.get("flag") or f"{declaration}/--no-{declaration[2:]}"
        return click.option(decl, param, **kw)
    if "choices" in meta:
        kw["type"] = click.Choice(list(meta["choices"]), case_sensitive=False)
    elif base is int:
        kw["type"] = click.IntRange(meta.get("min"), meta.get("max")) if "min" in meta or "max" in meta else int
    elif base is float:
        kw["type"] = click.FloatRange(meta.get("min"), meta.get("max")) if "min" in meta or "max" in meta else float
    return click.option(meta.get("flag") or declaration, param, **kw)


def config_options(command: Callable) -> Callable:
    """The options of every ``flag(...)`` field of :class:`Columns` (``--NAME-col``) and :class:`FilterConfig`,
    so names, defaults and help live in one place (``hdlgen/filter/config.py``)."""
    from hdlgen.filter.config import Columns, FilterConfig

    options = []
    for cls, suffix in ((Columns, "-col"), (FilterConfig, "")):
        hints = get_type_hints(cls)
        for f in fields(cls):
            if "cli" in f.metadata:
                name = f.name + suffix.replace("-", "_")
                options.append(_option(f, name, "--" + f.name.replace("_", "-") + suffix, hints[f.name]))
    for option in reversed(options):
        command = option(command)
    return command


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
@config_options
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@format_option
def filter_cmd(input_path: str, out: str, rejected: str | None, report: str | None, workers: int, engine: str,
               resume: bool, input_format: str | None, progress: bool | None, fmt: str, **options: Any) -> None:
    """Filter the Verilog dataset IN (JSONL, CSV or Parquet) into OUT: kept rows with verdict, labels, cluster.

    Stages run cheap first: extract, size, syntax, single top, rank, complexity, exact and near dedup, then
    compile (Icarus, batched, sandboxed), lint, functional simulation. Rows are streamed; every chunk is
    checkpointed, so --resume after any interruption gives the same output as an uninterrupted run.

    \b
    Examples:
      hdlgen filter rows.csv -o kept.jsonl --rejected rej.jsonl --report rep.json
      hdlgen filter big.parquet -o kept.jsonl --workers 8 --min-complexity intermediate --min-rank 15
      hdlgen filter rows.jsonl -o kept.jsonl --functional --dedup-threshold 0.85 --resume

    Exit 0 when the run completes (rejections are results, see the report), 2 on usage or tool errors.
    """
    from hdlgen.filter import Columns, FilterConfig, FilterError, Paths, run_filter
    from hdlgen.filter.report import summary_lines
    from verilog_sim.tools import require_icarus

    if options["compile"] or options["functional"]:
        require_icarus()
    col_names = [f.name for f in fields(Columns) if "cli" in f.metadata]
    columns = Columns(**{name: options.pop(f"{name}_col") for name in col_names})
    if options.get("min_complexity"):
        options["min_complexity"] = options["min_complexity"].lower()
    cfg = FilterConfig(columns=columns, **options)
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
