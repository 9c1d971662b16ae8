"""Syntax check: pyslang for SystemVerilog (and Verilog as its subset), pyverilog for strict Verilog-2001.

Contract: never reject what ``iverilog -g2012`` compiles; reject broken code with file:line:col.
(Initial version: pyslang only; see the syntax issue notes for the pyverilog path.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .verdict import Diagnostic

_REPORT = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|note): (?P<msg>.*)$")


@dataclass(frozen=True)
class SyntaxResult:
    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    std: str
    frontend: str


def check_source(code: str, filename: str = "design.v", std: str = "auto") -> SyntaxResult:
    """Parse ``code``; ``ok`` is False when the parser reports any error."""
    import pyslang
    from pyslang import syntax

    tree = syntax.SyntaxTree.fromText(code, filename)
    diags: list[Diagnostic] = []
    if tree.diagnostics:
        report = pyslang.DiagnosticEngine.reportAll(tree.sourceManager, tree.diagnostics)
        for line in report.splitlines():
            m = _REPORT.match(line)
            if m and m.group("sev") != "note":
                diags.append(Diagnostic(filename, int(m.group("line")), int(m.group("col")), m.group("sev"),
                                        "syntax", m.group("msg")))
    ok = not any(d.severity == "error" for d in diags)
    return SyntaxResult(ok, tuple(diags), "sv2012" if std == "auto" else std, "pyslang")
