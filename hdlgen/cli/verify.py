"""``hdlgen verify``: judge one design by simulation and print its Verdict."""

from __future__ import annotations

from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option
from .render import print_verdict


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ToolError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


@click.command()
@click.argument("design", type=click.Path(dir_okay=False))
@click.option("--ref", "ref", type=click.Path(dir_okay=False), help="Golden reference module: differential check.")
@click.option("--test", "test", type=click.Path(dir_okay=False), help="A cocotb test module (Python file).")
@click.option("--problem", "problem", type=click.Path(), help="A problem directory or a one-problem JSON/JSONL file.")
@click.option("--top", help="Module the design must define (default: from the problem, else the last module).")
@click.option("--cycles", type=click.IntRange(1), default=None, help="Stimulus cycles of a differential check.")
@click.option("--seed", type=int, default=None, help="Random seed (recorded in the verdict).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Wall-clock limit in seconds for each compile and simulation.")
@format_option
def verify(design: str, ref: str | None, test: str | None, problem: str | None, top: str | None,
           cycles: int | None, seed: int | None, timeout: float, fmt: str) -> None:
    """Verify DESIGN by simulation with Icarus Verilog inside the sandbox.

    Give exactly one of --test (a cocotb test), --problem (a bundled problem directory or JSON) or --ref
    (differential testing against a golden module with random stimulus).

    \b
    Examples:
      hdlgen verify counter.v --problem data/problems/counter
      hdlgen verify adder.v --test test_adder.py --top adder
      hdlgen verify mine.v --ref golden.v --cycles 2000 --seed 7 --format json

    Exit 0 when it passes, 1 when it fails (any non-pass verdict), 2 on usage errors.
    """
    from verilog_sim import Problem
    from verilog_sim.judge.verify import verify as run_verify
    from verilog_sim.problem import load
    from verilog_sim.source import extract

    chosen = [x for x in (ref, test, problem) if x]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --ref, --test or --problem")
    code = _read(design, "design")
    if problem:
        prob = load(problem)
        if top:
            prob = Problem.from_dict({**prob.to_dict(), "top": top})
    else:
        names = extract.module_names(code)
        top = top or (names[-1] if names else "TopModule")
        if test:
            prob = Problem(task_id=Path(design).stem, top=top, test=_read(test, "test"), test_kind="cocotb")
        else:
            ref_code = _read(ref, "reference")  # type: ignore[arg-type]
            ref_names = extract.module_names(ref_code)
            if not ref_names:
                raise ToolError(f"{ref}: no module found in the reference")
            ref_top = top if top in ref_names else ref_names[-1]
            prob = Problem(task_id=Path(design).stem, top=top, ref=ref_code, ref_top=ref_top)
    verdict = run_verify(prob, code, seed=seed, cycles=cycles, timeout=timeout, filename=Path(design).name)
    if fmt == "json":
        emit_json(verdict.to_dict())
    else:
        print_verdict(verdict, label=design)
    exit_with(EXIT_OK if verdict.passed else EXIT_FAILED)
