"""Parse once, elaborate once: the slang syntax trees, Compilation and dataflow analysis every rule reads.

Each file is parsed exactly once per process run. Files whose module names are all distinct share one
Compilation, so a module instantiated from another file is elaborated with its real ports; when two files
define the same module name (e.g. many ``TopModule`` samples) each file gets a Compilation of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyslang
from pyslang import analysis, ast, syntax

from ..frontend.sources import ParsedFile, locate
from .waivers import Waivers, parse_waivers


@dataclass
class SourceFile:
    path: str  # as the user named it; used in every diagnostic
    text: str
    tree: syntax.SyntaxTree | None
    waivers: Waivers
    modules: list[str] = field(default_factory=list)
    parse_errors: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, message)


_DEFINITIONS = (syntax.SyntaxKind.ModuleDeclaration, syntax.SyntaxKind.InterfaceDeclaration,
                syntax.SyntaxKind.ProgramDeclaration, syntax.SyntaxKind.PackageDeclaration)


def source_file(parsed: ParsedFile) -> SourceFile:
    """A file parsed by :func:`verilog_sim.frontend.sources.parse_in_order` (the preprocessing ``check`` uses)."""
    sf = SourceFile(parsed.name, parsed.code, parsed.tree, parse_waivers(parsed.code))
    if parsed.tree is None:
        sf.parse_errors = [(d.line, d.col, d.message) for d in parsed.diagnostics] or [(1, 1, "not parsed")]
        return sf
    root = parsed.tree.root  # a lone module is the root itself, not a member of a compilation unit
    members = list(root.members) if root.kind == syntax.SyntaxKind.CompilationUnit else [root]
    for member in members:
        if member.kind in _DEFINITIONS:
            sf.modules.append(member.header.name.valueText)
    sf.parse_errors = [(d.line, d.col, d.message) for d in parsed.diagnostics if d.severity == "error"]
    return sf


class Design:
    """One Compilation over one or more parsed files, plus slang's dataflow analysis of it."""

    def __init__(self, files: list[SourceFile], sm: pyslang.SourceManager, names: dict[int, str],
                 top: str | None = None) -> None:
        self.files = files
        self.sm = sm
        if top is None:
            self.comp = ast.Compilation()
        else:
            options = ast.CompilationOptions()
            options.topModules = {top}
            self.comp = ast.Compilation(pyslang.Bag([options]))
        for f in files:
            self.comp.addSyntaxTree(f.tree)
        self.diagnostics = list(self.comp.getAllDiagnostics())
        self.comp.freeze()
        opts = analysis.AnalysisOptions()
        opts.flags = analysis.AnalysisFlags.CheckUnused
        self.analysis = analysis.AnalysisManager(opts)
        self.analysis.analyze(self.comp)
        self.analysis_diagnostics = list(self.analysis.getDiagnostics())
        self._engine = pyslang.DiagnosticEngine(sm)
        self._names = names

    def where(self, loc: pyslang.SourceLocation) -> tuple[str, int, int]:
        """A real file and line: a token of a macro body is placed where the macro is used."""
        return self.locate(loc)[:3]  # type: ignore[return-value]

    def locate(self, loc: pyslang.SourceLocation) -> tuple[str, int, int, str]:
        """:meth:`where` and a note naming the macro definition when ``loc`` is in a macro's expansion."""
        return locate(self.sm, loc, self._names)

    def message(self, diag: pyslang.Diagnostic) -> str:
        return self._engine.formatMessage(diag)

    def bodies(self) -> Iterator[Body]:
        """Each module definition's body once (its first instance), top-down."""
        seen: set[tuple[str, int]] = set()
        stack = list(self.comp.getRoot().topInstances)
        while stack:
            inst = stack.pop(0)
            body = Body(inst.body)
            stack.extend(body.instances)
            defn = inst.definition
            key = (defn.name, defn.location.offset)
            if key not in seen:
                seen.add(key)
                yield body


class Body:
    """The members of one module body that rules look at, gathered in one walk over scopes (not expressions)."""

    def __init__(self, body: ast.InstanceBodySymbol) -> None:
        self.symbol = body
        self.procs: list[ast.ProceduralBlockSymbol] = []
        self.assigns: list[ast.ContinuousAssignSymbol] = []
        self.instances: list[ast.InstanceSymbol] = []
        self.unknown: list[ast.UninstantiatedDefSymbol] = []
        self.values: list[ast.ValueSymbol] = []  # nets and variables
        self.inactive: list[str] = []  # source of generate blocks these parameters leave out (or loop 0 times)
        self._gather(body)

    def _gather(self, scope: object) -> None:
        K = ast.SymbolKind
        for m in scope:  # type: ignore[attr-defined]
            k = m.kind
            if k == K.ProceduralBlock:
                self.procs.append(m)
            elif k == K.ContinuousAssign:
                self.assigns.append(m)
            elif k in (K.Net, K.Variable):
                self.values.append(m)
            elif k == K.Instance:
                self.instances.append(m)
            elif k == K.InstanceArray:
                for e in m.elements:
                    if e.kind == K.Instance:
                        self.instances.append(e)
            elif k == K.UninstantiatedDef:
                self.unknown.append(m)
            elif k == K.GenerateBlock:
                if not m.isUninstantiated:
                    self._gather(m)
                elif m.syntax is not None:
                    self.inactive.append(str(m.syntax))
            elif k == K.GenerateBlockArray:
                entries = list(m.entries)
                if not entries and m.syntax is not None:
                    self.inactive.append(str(m.syntax))
                for e in entries:
                    if not e.isUninstantiated:
                        self._gather(e)
                    elif e.syntax is not None:
                        self.inactive.append(str(e.syntax))
