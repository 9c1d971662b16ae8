"""Run every enabled rule over a set of files: parse each once, elaborate, map findings to Diagnostics.

Severity comes from the config (a rule set to ``off`` is not run at all where that saves work); inline
waivers drop findings afterwards. Findings are de-duplicated (a module elaborated for several instances or
generate iterations reports once) and sorted by file, line, column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyslang

from ..errors import UserError
from ..frontend.syntax import judged_errors, unresolved
from ..verdict import Diagnostic
from . import procedural, signals, width
from .config import LintConfig
from .design import Design, SourceFile, source_file


class LintInputError(UserError, OSError):
    """A file could not be read: the CLI maps it to exit 2."""


def _code_name(diag: pyslang.Diagnostic) -> str:
    return str(diag.code).removeprefix("DiagCode(").rstrip(")")


def read_sources(paths: list[str]) -> list[tuple[str, str]]:
    out = []
    for p in paths:
        try:
            out.append((p, Path(p).read_text(encoding="utf-8", errors="replace")))
        except OSError as exc:
            raise LintInputError(f"cannot read {p}: {exc.strerror or exc}") from exc
    return out


def _groups(files: list[SourceFile]) -> list[list[SourceFile]]:
    """One group when module names are distinct across files (cross-file elaboration), else one per file."""
    names = Counter(m for f in files for m in f.modules)
    if files and all(n == 1 for n in names.values()):
        return [files]
    return [[f] for f in files]


def _run_rules(design: Design, config: LintConfig, add: Callable[[str, int, int, str, str], None]) -> None:
    def emit(code: str, loc: object, message: str) -> None:
        if config.enabled(code):
            path, line, col, note = design.locate(loc)  # type: ignore[arg-type]
            add(path, line, col, code, message + note)  # note: the macro a finding was expanded from

    if config.enabled("semantic"):  # what check (and Icarus) reject; the rest is check's warnings
        for d in judged_errors(design.sm, design.diagnostics):
            emit("semantic", d.location, design.message(d))
    bodies = list(design.bodies())
    exempt = signals.unknown_instance_names(design, bodies)
    blind = unresolved(_code_name(d) for d in design.diagnostics if d.isError())
    width.check(design, emit)
    signals.map_slang(design, emit, exempt, blind, signals.inactive_names(design, bodies))
    if config.enabled("multi-driven"):
        signals.check_multi_driven(design, bodies, emit, exempt, procedural.loop_vars(bodies))
    procedural.check(bodies, emit, config.enabled)


def lint_sources(sources: list[tuple[str, str]], config: LintConfig | None = None,
                 include_dirs: tuple[str, ...] = (), defines: tuple[tuple[str, str], ...] = (),
                 top: str | None = None) -> list[Diagnostic]:
    """Lint in-memory ``(path, text)`` pairs as one design; returns Diagnostics sorted by file and position.

    The files are preprocessed as ``hdlgen check`` does (:mod:`verilog_sim.frontend.sources`): macros carry
    from file to file in order; `include "x" looks beside the including file first, then in ``include_dirs``.
    """
    from ..frontend.sources import SourceListError, parse_in_order

    config = config or LintConfig()
    unique = dict(sources)  # a file named twice is linted once
    parsed = parse_in_order([(text, path) for path, text in unique.items()], include_dirs=include_dirs,
                            defines=defines)
    files = [source_file(p) for p in parsed.files]
    if top is not None and not any(top in f.modules for f in files):
        raise SourceListError(f"--top {top}: no file given defines a module of that name")
    by_path = {f.path: f for f in files}
    found: dict[tuple[str, int, int, str], str] = {}

    def add(path: str, line: int, col: int, code: str, message: str) -> None:
        found.setdefault((path, line, col, code), message)

    for f in files:
        for line, col, msg in f.parse_errors:
            add(f.path, line, col, "syntax", msg)
    good = [f for f in files if not f.parse_errors]
    names = parsed.names()
    for group in _groups(good):
        _run_rules(Design(group, parsed.sm, names, top if len(group) == len(good) else None), config, add)

    out = []
    for (path, line, col, code), message in found.items():
        if not config.enabled(code):
            continue
        f = by_path.get(path)
        if f is not None and f.waivers.waived(line, code):
            continue
        out.append(Diagnostic(path, line, col, config.severity[code], code, message))
    out.sort(key=lambda d: (d.file, d.line, d.col, d.code))
    return out


def lint_untrusted(name: str, code: str, config: LintConfig | None = None) -> list[Diagnostic]:
    """Lint generated or scraped code held in memory. Code with `include or macros is not linted (the parser
    runs in this process, outside the sandbox: see :mod:`verilog_sim.frontend.untrusted`); an info finding says so."""
    from ..frontend.untrusted import needs_sandboxed_preprocessing

    if needs_sandboxed_preprocessing(code):
        return [Diagnostic(name, 1, 1, "info", "not-linted",
                           "not linted: untrusted code with `include or macros is only compiled in the sandbox")]
    return lint_sources([(name, code)], config)


def lint_paths(paths: list[str], config: LintConfig | None = None, include_dirs: tuple[str, ...] = (),
               defines: tuple[tuple[str, str], ...] = (), top: str | None = None) -> list[Diagnostic]:
    """Read and lint files as one design; raises LintInputError when one cannot be read. Each file's own
    directory is searched for `include files after ``include_dirs`` (as ``hdlgen check`` does)."""
    from ..frontend.sources import search_dirs

    return lint_sources(read_sources(paths), config, tuple(search_dirs(paths, include_dirs)), defines, top)
