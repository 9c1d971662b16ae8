"""``hdlgen verify``: judge one design by simulation and print its Verdict.

The user's own test and reference are checked here before anything simulates, so a mistake in them is a
usage error (exit 2, one line naming their file and line) rather than a verdict on the design (exit 1).
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option, problem_arg
from .render import print_verdict


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ToolError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


def choose_top(code: str, design: str, ref_top: str | None = None) -> tuple[str, str]:
    """(module, why) for a design given without ``--top``: the module named like the reference's top, else
    the only module, else the one module no other module instantiates. Several roots: a usage error."""
    from verilog_sim.source.extract import module_names, root_modules

    names = module_names(code)
    if ref_top and ref_top in names:
        return ref_top, "named like the reference's top module"
    if len(names) == 1:
        return names[0], "the only module"
    roots = root_modules(code)
    if len(roots) == 1:
        return roots[0], "the only module no other module instantiates"
    raise ToolError(f"{design}: cannot tell which module is the top ({', '.join(roots or names)}); "
                    "name it with --top")


def _is_test_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Attribute) and target.attr == "test") or (
        isinstance(target, ast.Name) and target.id == "test")


def _defines_cocotb_tests(tree: ast.Module) -> bool:
    """Whether the module marks any test: ``@cocotb.test()``, ``cocotb.test()(fn)`` or a ``TestFactory``."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(_is_test_decorator(d) for d in node.decorator_list):
                return True
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Call) and _is_test_decorator(f):
                return True
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name == "TestFactory":
                return True
    return False


def check_cocotb_test(text: str, path: str) -> None:
    """The user's cocotb test must be Python and define a test; else ToolError naming its file and line."""
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        raise ToolError(f"{path}:{exc.lineno or 1}:{exc.offset or 1}: the test is not valid Python: {exc.msg}") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ToolError(f"{path}: the test is not valid Python: {exc}") from exc
    if not _defines_cocotb_tests(tree):
        raise ToolError(f"{path}: no cocotb tests found (mark an async function with @cocotb.test())")


def check_reference(code: str, path: str, top: str, timeout: float) -> None:
    """The user's reference must compile alone and have ports to compare; else ToolError at its file and line."""
    from verilog_sim import Problem
    from verilog_sim.frontend.syntax import check_source
    from verilog_sim.frontend.untrusted import needs_sandboxed_preprocessing
    from verilog_sim.judge.reference import ReferenceError_, analyse_reference
    from verilog_sim.sim.compile_check import compile_check

    errors = []
    if not needs_sandboxed_preprocessing(code):  # pyslang's line and column are the exact ones
        errors = [d for d in check_source(code, path, "auto").diagnostics if d.severity == "error"]
    errors = errors or [d for d in compile_check([(code, path)], timeout=timeout)[0] if d.severity == "error"]
    if errors:
        d = errors[0]
        raise ToolError(f"{d.file}:{d.line}:{d.col}: the reference does not compile: {d.message}")
    try:
        analyse_reference(Problem(task_id="ref", top=top, ref=code, ref_top=top))
    except ReferenceError_ as exc:
        raise ToolError(f"{path}: {exc}") from exc


def _user_paths(verdict, design: str, scratch_name: str):  # noqa: ANN001, ANN202 - Verdict in, Verdict out
    """Diagnostics of the design under the path the user typed (``../rtl/uart_tx.v``), not its scratch name."""
    diags = tuple(replace(d, file=design) if d.file in (scratch_name, "candidate.v") else d
                  for d in verdict.diagnostics)
    return verdict.with_(diagnostics=diags)


def _say_top(top: str, why: str, fmt: str) -> None:
    if fmt == "text":  # json: stdout holds the verdict alone, and the caller named what it wanted
        click.echo(f"hdlgen: top module {top} ({why}; --top names another)", err=True)


@click.command()
@click.argument("design", type=click.Path(dir_okay=False))
@click.option("--ref", "ref", type=click.Path(dir_okay=False), help="Golden reference module: differential check.")
@click.option("--test", "test", type=click.Path(dir_okay=False), help="A cocotb test module (Python file).")
@click.option("--problem", "problem", type=click.Path(),
              help="A problem directory, a one-problem JSON/JSONL file, or a bundled problem's name (counter).")
@click.option("--top", help="Module the design must define (default: from the problem; else the module named like "
              "the reference's top, the only module, or the one no other module instantiates).")
@click.option("--cycles", type=click.IntRange(1), default=None,
              help="Random stimulus cycles of a differential check (default 2000); a sequential design that passes "
                   "them also gets a 4352-cycle reset-free deep phase.")
@click.option("--seed", type=int, default=None, help="Random seed (recorded in the verdict).")
@click.option("--formal", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
              help="Formal equivalence tier of a --ref check (yosys): auto = on candidates that pass simulation, "
                   "within 10 s, skipped when yosys is missing; on = within --timeout, yosys required.")
@click.option("--reset-rate", type=click.FloatRange(0.0, 1.0), default=None,
              help="Chance of a reset pulse per input change in the random stimulus of a --ref check (0 = reset only "
                   "at the start; default: a mix of regimes). A reset-free deep phase follows either way.")
@click.option("--formal-depth", type=click.IntRange(1), default=None,
              help="Cycles from reset the bounded formal check covers when no proof is found (default 64).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Wall-clock limit in seconds for each compile and simulation.")
@format_option
def verify(design: str, ref: str | None, test: str | None, problem: str | None, top: str | None,
           cycles: int | None, seed: int | None, formal: str, reset_rate: float | None, formal_depth: int | None,
           timeout: float,
           fmt: str) -> None:
    """Verify DESIGN by simulation with Icarus Verilog inside the sandbox.

    Give exactly one of --test (a cocotb test), --problem (a bundled problem directory or JSON) or --ref
    (differential testing against a golden module with random stimulus). Without --top the design's top is
    the module named like the reference's top, else its only module, else the one no other module
    instantiates; the choice is said on stderr.

    \b
    Examples:
      hdlgen verify counter.v --problem counter
      hdlgen verify adder.v --test test_adder.py --top adder
      hdlgen verify mine.v --ref golden.v --cycles 2000 --seed 7 --format json
      hdlgen verify mine.v --ref golden.v --formal on --formal-depth 100

    Exit 0 when it passes, 1 when it fails (any non-pass verdict), 2 on usage errors (a missing file, a --top
    the design does not define, a test or reference that does not load).
    """
    from verilog_sim import Problem
    from verilog_sim.judge.verify import verify as run_verify
    from verilog_sim.problem import load
    from verilog_sim.source.extract import extract_verilog, module_names, root_modules

    chosen = [x for x in (ref, test, problem) if x]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --ref, --test or --problem")
    raw = _read(design, "design")
    code = extract_verilog(raw, top) or raw
    names = module_names(code)
    if top and names and top not in names:
        raise ToolError(f"--top {top}: {design} defines no module '{top}' (it defines {', '.join(names)})")
    if problem:
        prob = load(problem_arg(problem))
        if top:
            prob = Problem.from_dict({**prob.to_dict(), "top": top})
    elif test:
        test_code = _read(test, "test")
        check_cocotb_test(test_code, test)
        if not top and names:
            top, why = choose_top(code, design)
            _say_top(top, why, fmt)
        prob = Problem(task_id=Path(design).stem, top=top or "TopModule", test=test_code, test_kind="cocotb")
    else:
        ref_code = _read(ref, "reference")  # type: ignore[arg-type]
        ref_names = module_names(ref_code)
        if not ref_names:
            raise ToolError(f"{ref}: no module found in the reference")
        ref_roots = root_modules(ref_code)
        ref_top = top if top in ref_names else ref_roots[-1] if ref_roots else ref_names[-1]
        check_reference(ref_code, ref, ref_top, timeout)  # type: ignore[arg-type]
        if not top and names:
            top, why = choose_top(code, design, ref_top)
            _say_top(top, why, fmt)
        prob = Problem(task_id=Path(design).stem, top=top or ref_top, ref=ref_code, ref_top=ref_top)
    scratch_name = Path(design).name
    verdict = run_verify(prob, raw, seed=seed, cycles=cycles, timeout=timeout, filename=scratch_name, formal=formal,
                         formal_depth=formal_depth, reset_rate=reset_rate)
    verdict = _user_paths(verdict, design, scratch_name)
    if fmt == "json":
        emit_json(verdict.to_dict())
    else:
        print_verdict(verdict, label=design)
    exit_with(EXIT_OK if verdict.passed else EXIT_FAILED)
