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

from .waivers import Waivers, parse_waivers


@dataclass
class SourceFile:
    path: str  # as the user named it; used in every diagnostic
    text: str
    tree: syntax.SyntaxTree
    waivers: Waivers
    modules: list[str] = field(default_factory=list)
    parse_errors: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, message)


_DEFINITIONS = (syntax.SyntaxKind.ModuleDeclaration, syntax.SyntaxKind.InterfaceDeclaration,
                syntax.SyntaxKind.ProgramDeclaration, syntax.SyntaxKind.PackageDeclaration)


def _parse_v2005(text: str, sm: pyslang.SourceManager, path: str) -> syntax.SyntaxTree:
    from pyslang import parsing

    pre, par, lex = parsing.PreprocessorOptions(), parsing.ParserOptions(), parsing.LexerOptions()
    pre.languageVersion = par.languageVersion = lex.languageVersion = pyslang.LanguageVersion.v1364_2005
    return syntax.SyntaxTree.fromText(text, sm, path, "", pyslang.Bag([pre, par, lex]))


def parse_file(path: str, text: str, sm: pyslang.SourceManager) -> SourceFile:
    try:  # the real path lets `include "x.vh"` resolve beside the file
        tree = syntax.SyntaxTree.fromText(text, sm, path, path)
    except RuntimeError:  # that path already has a buffer (the same file under another spelling)
        tree = syntax.SyntaxTree.fromText(text, sm, path)
    if not path.endswith((".sv", ".svh")) and any(d.isError() for d in tree.diagnostics):
        # Verilog may use SystemVerilog keywords as names (``wire logic;``): retry with Verilog-2005 keywords.
        retry = _parse_v2005(text, sm, path)
        if not any(d.isError() for d in retry.diagnostics):
            tree = retry
    sf = SourceFile(path, text, tree, parse_waivers(text))
    root = tree.root  # a lone module is the root itself, not a member of a compilation unit
    members = list(root.members) if root.kind == syntax.SyntaxKind.CompilationUnit else [root]
    for member in members:
        if member.kind in _DEFINITIONS:
            sf.modules.append(member.header.name.valueText)
    for d in tree.diagnostics:
        if d.isError():
            loc = sm.getFullyOriginalLoc(d.location)
            msg = pyslang.DiagnosticEngine(sm).formatMessage(d)
            sf.parse_errors.append((sm.getLineNumber(loc), sm.getColumnNumber(loc), msg))
    return sf


class Design:
    """One Compilation over one or more parsed files, plus slang's dataflow analysis of it."""

    def __init__(self, files: list[SourceFile], sm: pyslang.SourceManager) -> None:
        self.files = files
        self.sm = sm
        self.comp = ast.Compilation()
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
        self._paths = {f.tree.root.sourceRange.start.buffer.id: f.path for f in files}

    def where(self, loc: pyslang.SourceLocation) -> tuple[str, int, int]:
        loc = self.sm.getFullyOriginalLoc(loc)
        path = self._paths.get(loc.buffer.id) or self.sm.getFileName(loc)
        return path, self.sm.getLineNumber(loc), self.sm.getColumnNumber(loc)

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
            elif k == K.GenerateBlockArray:
                for e in m.entries:
                    if not e.isUninstantiated:
                        self._gather(e)
