"""Syntax check: is this source worth compiling? pyslang decides, pyverilog adds a strict Verilog-2001 opinion.

The verdict must never reject what ``iverilog -g2012`` compiles (a false reject throws a good training sample
away) and must reject broken code with ``file:line:col`` diagnostics. So:

* pyslang's parser is the authority: its parse errors are errors (measured: no parse error on any of the 611
  VerilogEval references; every deleted ``;`` or ``end`` that Icarus rejects is caught).
* Files are read as a file list (:mod:`verilog_sim.frontend.sources`): macros carry from file to file in order.
* pyslang's elaboration adds only the errors Icarus also rejects, a short whitelist (``SEMANTIC_ERRORS``: an
  undeclared name, a procedural assignment to a net, a connection to a port the module does not have); its
  other errors (unknown module, use before declaration, mixed timescales...) are reported as warnings, because
  Icarus accepts them or because another file may supply the missing piece (a package from a file not given
  also makes its names unknown, not wrong: :func:`judged_errors`, shared with ``hdlgen lint``).
* A ``.v`` file that does not parse with SystemVerilog keywords is parsed again with Verilog-2005 keywords
  (``wire logic;`` is valid Verilog).
* ``std="verilog2001"`` parses with Verilog-2005 keywords, rejects SystemVerilog fill literals (``'0``), and
  asks pyverilog for a strict Verilog-2001 opinion, reported as a warning: its grammar lacks legal
  Verilog-2001 (one-statement tasks...), so it can never become a false reject. In ``auto`` it never runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..verdict import Diagnostic
from .sources import ParsedSet, SourceListError, buffer_id, code_name, locate, parse_in_order, read_texts, search_dirs

STDS = ("auto", "verilog2001", "sv2012")
SV_EXTENSIONS = (".sv", ".svh")
# pyslang elaboration errors that Icarus (-g2012) rejects as well; all others become warnings.
SEMANTIC_ERRORS = frozenset({"UndeclaredIdentifier", "AssignToNet", "PortDoesNotExist"})
# Constructs no Verilog-2005 file contains: their presence makes ``auto`` choose SystemVerilog.
_SV_ONLY = re.compile(
    r"\b(?:logic|bit|byte|shortint|int|longint|shortreal|string|typedef|enum|struct|union|interface|package|"
    r"import|always_comb|always_ff|always_latch|unique|unique0|priority|assert|assume|property|sequence|class|"
    r"program|modport|clocking|foreach|inside|void|return|break|continue)\b|'[01xzXZ](?![0-9a-zA-Z_])"
)
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


@dataclass(frozen=True)
class SyntaxResult:
    """``ok`` is False when any diagnostic is an error. ``std`` is the standard applied (never ``auto``)."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    std: str
    frontend: str

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


def detect_std(code: str, filename: str = "design.v") -> str:
    """``sv2012`` for ``.sv``/``.svh`` files or sources using SystemVerilog-only constructs, else ``verilog2001``."""
    if _is_sv_file(filename):
        return "sv2012"
    if not _SV_ONLY.search(code):  # fast path; a match may still sit in a comment
        return "verilog2001"
    return "sv2012" if _SV_ONLY.search(_COMMENT.sub(" ", code)) else "verilog2001"


def _is_sv_file(filename: str) -> bool:
    return filename.lower().endswith(SV_EXTENSIONS)


def check_source(code: str, filename: str = "design.v", std: str = "auto", *,
                 include_dirs: Sequence[str | Path] = ()) -> SyntaxResult:
    """Check one source held in memory; ``filename`` names it in diagnostics and picks the standard."""
    return check_sources([(code, filename)], std, include_dirs=include_dirs)[0]


def check_file(path: str | Path, std: str = "auto", *, include_dirs: Sequence[str | Path] = ()) -> SyntaxResult:
    """Check one file; `` `include `` resolves beside it. Raises ``OSError`` when it cannot be read."""
    return check_files([path], std, include_dirs=include_dirs)[0]


def check_files(paths: Sequence[str | Path], std: str = "auto", *, include_dirs: Sequence[str | Path] = (),
                defines: Sequence[tuple[str, str]] = (), top: str | None = None) -> list[SyntaxResult]:
    """Check several files as one design, as ``iverilog``/``verilator`` read a file list (see
    :mod:`verilog_sim.frontend.sources`): macros carry from file to file in order, packages and modules resolve
    across them. Each file is parsed on its own, so one file's error does not spill into the next."""
    return check_sources(read_texts(str(p) for p in paths), std, include_dirs=search_dirs(paths, include_dirs),
                         defines=defines, top=top)


def check_sources(items: Sequence[tuple[str, str]], std: str = "auto", *, include_dirs: Sequence[str | Path] = (),
                  defines: Sequence[tuple[str, str]] = (), top: str | None = None) -> list[SyntaxResult]:
    """Check ``(code, filename)`` pairs as one design; one result per pair, in order. ``top`` names the top
    module (:class:`~verilog_sim.frontend.sources.SourceListError` when no file defines it)."""
    if std not in STDS:
        raise ValueError(f"std must be one of {STDS}, got {std!r}")
    parsed = parse_in_order(items, std=std, include_dirs=include_dirs, defines=defines, detect=detect_std)
    semantic = _elaborate(parsed, top)
    results = []
    for p in parsed.files:
        diags = p.diagnostics + semantic.get(p.name, ())
        if p.ok and p.std == "verilog2001" and std == "verilog2001":
            from .pyverilog import verilog2001_errors

            diags += _fill_literals(p.code, p.name) + tuple(verilog2001_errors(p.code, p.name))
            frontend = "pyslang+pyverilog"
        else:
            frontend = "pyslang"
        results.append(SyntaxResult(not any(d.severity == "error" for d in diags), _sorted(diags), p.std, frontend))
    return results


_FILL = re.compile(r"(?<![\w$'])'[01xzXZ](?![0-9a-zA-Z_])")


def _fill_literals(code: str, name: str) -> tuple[Diagnostic, ...]:
    """``'0``/``'1``/``'x``/``'z`` (unbased unsized fill literals) are SystemVerilog: an exact, lexical
    ``not-verilog2001`` error for ``std="verilog2001"`` (pyslang accepts them with Verilog-2005 keywords)."""
    from ..source.extract import blank_comments_and_strings

    clean = blank_comments_and_strings(code)
    out = []
    for m in _FILL.finditer(clean):
        line = clean.count("\n", 0, m.start()) + 1
        col = m.start() - clean.rfind("\n", 0, m.start())
        fill = m.group(0)
        out.append(Diagnostic(name, line, col, "error", "not-verilog2001",
                              f"not Verilog-2001: {fill} is a SystemVerilog fill literal (write {{N{{1'b{fill[1]}}}}})"))
    return tuple(out)


def _elaborate(parsed: ParsedSet, top: str | None) -> dict[str, tuple[Diagnostic, ...]]:
    """Elaboration diagnostics of the parsed files taken together, keyed by the file they belong to.

    Only ``SEMANTIC_ERRORS`` stay errors, and an undeclared name only when every package and interface the
    design names is known (a name imported from a package in a file not passed is unknown, not wrong) and it is
    not hierarchical (``tb.x`` may resolve in a testbench compiled beside it)."""
    good = [p for p in parsed.files if p.ok]
    if not good:
        return {}
    import pyslang

    sm, names = parsed.sm, parsed.names()
    comp = _compilation(top)
    for p in good:
        comp.addSyntaxTree(p.tree)
    diags = [d for d in comp.getAllDiagnostics() if d.isError()]
    codes = [code_name(d) for d in diags]
    if top is not None and "InvalidTopModule" in codes:
        raise SourceListError(f"--top {top}: no file given defines a module of that name")
    judged = {id(d) for d in judged_errors(sm, diags)}
    engine = pyslang.DiagnosticEngine(sm)
    by_file = {p.name for p in good}
    out: dict[str, list[Diagnostic]] = {}
    for d, code in zip(diags, codes):
        if engine.getSeverity(d.code, d.location).name == "Ignored":
            continue
        is_error = id(d) in judged
        file, line, col, note = locate(sm, d.location, names)
        message = engine.formatMessage(d) + note
        if not is_error:
            message += " (not judged an error: Icarus accepts it, or another file may supply it)"
        owner = _top_file(sm, d.location, names)
        out.setdefault(owner if owner in by_file else good[-1].name, []).append(
            Diagnostic(file, line, col, "error" if is_error else "warning", code, message))
    return {k: tuple(v) for k, v in out.items()}


def unresolved(codes: Iterable[str]) -> bool:
    """Does the design name a package, interface or class no file given defines? Then its types and imported
    names are unknown and what follows from them (undeclared names, undriven ports) is not judged."""
    return any(c.startswith("Unknown") and c != "UnknownModule" for c in codes)


def judged_errors(sm: object, diags: Sequence[object]) -> list[object]:
    """The elaboration diagnostics (pyslang) that are errors by this module's standard: ``SEMANTIC_ERRORS``,
    an undeclared name only when nothing is unresolved and it is not hierarchical. ``lint`` shares it."""
    errors = [d for d in diags if d.isError()]
    codes = [code_name(d) for d in errors]
    blind = unresolved(codes)
    out = []
    for d, code in zip(errors, codes):
        if code not in SEMANTIC_ERRORS:
            continue
        if code == "UndeclaredIdentifier" and (blind or _is_hierarchical(sm, d)):
            continue  # ``tb.x``: may resolve in the testbench compiled beside this file
        out.append(d)
    return out


def _compilation(top: str | None) -> object:
    import pyslang

    if top is None:
        return pyslang.ast.Compilation()
    options = pyslang.ast.CompilationOptions()
    options.topModules = {top}
    return pyslang.ast.Compilation(pyslang.Bag([options]))


def _is_hierarchical(sm: object, diag: object) -> bool:
    orig = sm.getFullyOriginalLoc(diag.location)
    try:
        text = sm.getSourceText(orig.buffer)
        name = str(diag.args[0]) if diag.args else ""
        rest = text[orig.offset + len(name):orig.offset + len(name) + 2]
    except (IndexError, TypeError, ValueError):
        return False
    return rest.lstrip().startswith(".")


def _top_file(sm: object, loc: object, names: dict[int, str]) -> str:
    """The checked file a location belongs to: an included file's (or macro's) finding goes with its user."""
    orig = sm.getFullyExpandedLoc(loc)
    for _ in range(64):
        if buffer_id(orig) in names:
            return names[buffer_id(orig)]
        inc = sm.getIncludedFrom(orig.buffer)
        if not inc.buffer:
            break
        orig = inc
    return sm.getFileName(orig)


def _sorted(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for d in sorted(diags, key=lambda d: (d.file, d.line, d.col, d.severity != "error")):
        key = (d.file, d.line, d.col, d.code)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return tuple(out)
