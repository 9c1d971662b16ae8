"""The file-list options ``check`` and ``lint`` share: -I, -D, -f, --top (as Icarus and Verilator spell them).

Imports stay light: the library is imported when a command runs, not when ``--help`` is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ._common import ToolError


def design_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add -I/--include-dir, -D/--define, -f/--filelist and --top to a command."""
    options = [
        click.option("-I", "--include-dir", "include_dirs", multiple=True, metavar="DIR",
                     help="Search DIR for `include files (after the including file's own directory). Repeatable."),
        click.option("-D", "--define", "defines", multiple=True, metavar="NAME[=VAL]",
                     help="Define a macro before every file, as iverilog -D / verilator -D (NAME alone is 1)."),
        click.option("-f", "--filelist", "filelists", multiple=True, metavar="FILE",
                     help="Read files and options from a Verilator/Icarus file list (+incdir+, +define+, -I, -D, "
                          "-f; -y/-v are ignored with a note). Its files come before FILE... . Repeatable."),
        click.option("--top", metavar="NAME", help="Top module: elaborate the design from NAME only."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


def read_source_set(files: tuple[str, ...], include_dirs: tuple[str, ...], defines: tuple[str, ...],
                    filelists: tuple[str, ...], top: str | None) -> Any:
    """The :class:`~verilog_sim.frontend.sources.SourceSet` of the options; missing files are exit 2."""
    from verilog_sim.frontend.sources import SourceListError, source_set

    try:
        sset = source_set(files, include_dirs=include_dirs, defines=defines, filelists=filelists, top=top)
    except SourceListError as exc:
        raise ToolError(str(exc)) from exc
    if not sset.files:
        raise click.UsageError("give at least one FILE (or -f FILELIST)")
    for f in sset.files:
        p = Path(f)
        if not p.exists():
            raise ToolError(f"{f}: no such file")
        if p.is_dir():
            raise ToolError(f"{f}: is a directory (give Verilog files, e.g. {f.rstrip('/')}/*.v)")
    for d in sset.include_dirs:
        if not Path(d).is_dir():
            raise ToolError(f"-I {d}: no such directory")
    for note in sset.notes:
        click.echo(f"hdlgen: note: {note}", err=True)
    return sset
