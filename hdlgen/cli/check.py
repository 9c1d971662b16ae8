"""``hdlgen check``: syntax-check Verilog/SystemVerilog files; gcc-form diagnostics or one JSON document.

Imports stay light at module level: ``hdlgen check --help`` must start fast and never pull in torch.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from verilog_sim.errors import UserError

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option
from ._sources import design_options, read_source_set

STDS = ("auto", "verilog2001", "sv2012")  # mirrors verilog_sim.frontend.syntax.STDS (not imported: keeps --help fast)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@click.command()
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option("--std", type=click.Choice(STDS), default="auto", show_default=True,
              help="auto: .sv/.svh and SystemVerilog constructs mean SystemVerilog, else Verilog. "
                   "verilog2001 also asks pyverilog whether the code is plain Verilog-2001 (a warning if not).")
@design_options
@click.option("--compile", "compile_", is_flag=True,
              help="Also compile the files together with iverilog -g2012 in the sandbox (slower, stricter: "
                   "unknown modules become errors). Runs only when the syntax check found no error.")
@format_option
def check(files: tuple[str, ...], std: str, include_dirs: tuple[str, ...], defines: tuple[str, ...],
          filelists: tuple[str, ...], top: str | None, compile_: bool, fmt: str) -> None:
    """Syntax-check FILE... as one design, read as iverilog and verilator read a file list: in order, macros
    carried from each file into the next, packages and modules resolved across the files.

    Errors are what Icarus Verilog (iverilog -g2012) would also reject: parse errors, undeclared names,
    procedural assignments to nets, connections to ports a module does not have. Other findings (an unknown
    module or package from a file not given, use before declaration) are warnings, so checking one changed
    file (pre-commit) never fails where the whole design passes.

    \b
    Examples:
      hdlgen check rtl/*.v
      hdlgen check -I include -D SYNTHESIS pkg.sv top.sv --top top
      hdlgen check -f design.f --format json
      hdlgen check legacy.v --std verilog2001
      hdlgen check top.v sub.v --compile

    Text output: FILE:LINE:COL: severity: message [code]. JSON output: one object {"ok", "std", "compiled",
    "files": [{"file", "ok", "std", "frontend", "diagnostics": [...]}], "tools", "seconds"}.
    Exit 0 when no file has an error, 1 when some file has one, 2 when a file cannot be read.
    """
    from verilog_sim.frontend.syntax import check_files
    from verilog_sim.tools import package_version

    sset = read_source_set(files, include_dirs, defines, filelists, top)
    files = sset.files
    start = time.perf_counter()
    try:
        results = check_files(list(files), std, include_dirs=sset.include_dirs, defines=sset.defines, top=sset.top)
    except OSError as exc:
        raise ToolError(f"{exc.filename or files[0]}: {exc.strerror or exc}") from exc
    except UserError as exc:  # --top names no module
        raise ToolError(str(exc)) from exc
    diagnostics = [list(r.diagnostics) for r in results]
    tools = {"frontend": f"pyslang {package_version('pyslang')}"}
    if any("pyverilog" in r.frontend for r in results):
        tools["pyverilog"] = f"pyverilog {package_version('pyverilog')}"
    compiled = compile_ and all(r.ok for r in results)
    if compiled:
        from verilog_sim.sim.compile_check import compile_check
        from verilog_sim.tools import icarus_version

        items = [(Path(f).read_text(encoding="utf-8", errors="replace"), f) for f in files]
        for ds, extra in zip(diagnostics, compile_check(items, include_dirs=sset.include_dirs, defines=sset.defines)):
            ds.extend(extra)
        tools["compiler"] = icarus_version() or "iverilog"
    oks = [not any(d.severity == "error" for d in ds) for ds in diagnostics]
    ok = all(oks)
    if fmt == "json":
        emit_json({
            "ok": ok, "std": std, "compiled": compiled,
            "files": [{"file": f, "ok": k, "std": r.std, "frontend": r.frontend, "diagnostics": [d.to_dict() for d in ds]}
                      for f, r, k, ds in zip(files, results, oks, diagnostics)],
            "tools": tools, "seconds": round(time.perf_counter() - start, 6),
        })
    else:
        for ds in diagnostics:
            for d in ds:
                click.echo(d.format())
        failed = sum(not k for k in oks)
        errors = sum(d.severity == "error" for ds in diagnostics for d in ds)
        warnings = sum(d.severity != "error" for ds in diagnostics for d in ds)
        counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        summary = f"{failed} with errors ({counts})" if failed else f"no errors ({_plural(warnings, 'warning')})"
        if compile_ and not compiled:
            summary += "; not compiled: fix the syntax errors first"
        click.echo(f"checked {_plural(len(results), 'file')}: {summary}", err=True)
    exit_with(EXIT_OK if ok else EXIT_FAILED)
