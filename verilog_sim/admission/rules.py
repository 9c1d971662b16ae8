"""The admission rules, applied to a candidate's preprocessed and elaborated form (pyslang), never to raw text.

A candidate shares its simulation with a harness (a testbench, a reference, other candidates), so what it may
use is limited to what keeps its verdict a function of its port behaviour. Runs only inside the bounded parse
worker (:mod:`verilog_sim.sandbox.worker`): pyslang expands the candidate's macros and may be fed a macro bomb.

Rules (``Violation.rule``):

* ``include``: no `` `include `` (the design must be self-contained; an included testbench file leaks its secrets).
* ``conditional``: no `` `ifdef `` left open (it would swallow the files compiled after it) or stray `` `endif ``.
* ``foreign-module``: instantiates only modules and primitives it defines (not ``RefModule``, the testbench...).
* ``hierarchical-reference``: a dotted name must go down into the design's own instances: no ``$root``,
  ``$unit``, no upward or absolute name (``tb.out_ref``), no name that does not resolve inside the design alone.
* ``force``: no ``force``/``release`` (they write other modules' nets through hierarchical names).
* ``system-task``: only system tasks/functions on an allow-list (printing, math, seeded random...): no file
  or OS access (``$fopen``, ``$fdisplay``, ``$dumpfile``, ``$system``, ``$value$plusargs``, ``$deposit``), no
  ``$finish``/``$stop``/``$fatal`` (a testbench whose ``final`` block reports "Mismatches: 0 in 0 samples"
  would pass a design that ends the run at once), no unseeded ``$random``/``$urandom``/``$urandom_range``
  (they share the testbench's random stream: a design could predict and skip values to steer its stimulus).
* ``readmem``: ``$readmemh``/``$readmemb`` only of a literal file name the problem ships in ``extra_files``.
* ``bind``, ``dpi``: no ``bind`` into other modules, no DPI imports.
* ``unparsed``: the source must parse, or nothing above can be checked.

Only modules reachable from the top (the top and what it instantiates, transitively) are held to the
module rules; other modules are never elaborated by any harness (Icarus elaborates only the named roots, the
differential path renames them apart), so an LLM's leftover testbench with ``$dumpfile`` does not fail a good
design. File-level rules (``include``, ``conditional``, ``unparsed``) hold for the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass

# system tasks and functions a candidate may call: they print, compute, or end the simulation
ALLOWED_SYSTEM = frozenset({
    *(f"{t}{r}" for t in ("display", "write", "strobe", "monitor") for r in ("", "b", "h", "o")),
    "monitoron", "monitoroff", "time", "stime", "realtime", "timeformat", "printtimescale",
    "random", "urandom", "dist_uniform", "dist_normal", "dist_exponential", "dist_poisson",
    "dist_chi_square", "dist_t", "dist_erlang",  # $random/$urandom only with a seed of the design's own
    "error", "warning", "info",
    "signed", "unsigned", "clog2", "bits", "size", "countones", "countbits", "onehot", "onehot0", "isunknown",
    "high", "low", "left", "right", "increment", "dimensions", "unpacked_dimensions", "typename", "cast",
    "ln", "log10", "exp", "sqrt", "pow", "floor", "ceil", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
    "hypot", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "rtoi", "itor", "realtobits", "bitstoreal", "shortrealtobits", "bitstoshortreal",
    "sformat", "sformatf", "swrite", "swriteb", "swriteh", "swriteo", "sscanf",
    "rose", "fell", "stable", "changed", "past", "sampled",
})
READMEM = frozenset({"readmemh", "readmemb"})
SEEDED = frozenset({"random", "urandom"})
_HIER_DIAGS = {"CouldNotResolveHierarchicalPath": "does not resolve inside the design",
               "UpwardHierarchicalName": "reaches upward or to another root, out of the design's own instances",
               "UndeclaredIdentifier": "is not declared in the design"}
_CONDITIONAL_DIAGS = {"MissingEndIfDirective", "UnexpectedConditionalDirective", "UnbalancedMacroArgDims"}


@dataclass(frozen=True)
class Violation:
    rule: str
    line: int
    message: str


def check(code: str, top: str | None = None, data_files: tuple[str, ...] = ()) -> list[Violation]:
    """Every violation of the admission rules in ``code`` (empty: admitted), sorted by line."""
    import pyslang

    tree, sm = _parse(code)
    out: list[Violation] = []
    main = _main_buffer(tree)

    def line_of(loc: object) -> int:  # a macro's expansion site, not its definition
        try:
            return int(sm.getLineNumber(sm.getFullyExpandedLoc(loc)))
        except Exception:  # a location pyslang cannot map (built-in buffer): the first line
            return 1

    def offset_of(loc: object) -> int | None:
        try:
            orig = sm.getFullyExpandedLoc(loc)
        except Exception:
            return None
        return int(orig.offset) if orig.buffer == main else None

    for inc in tree.getIncludeDirectives():
        where = getattr(inc, "syntax", None)
        out.append(Violation("include", line_of(where.sourceRange.start) if where is not None else 1,
                             "`include is not allowed: the design must be self-contained"))
    parse_errors = []
    for d in tree.diagnostics:
        name = _code_name(d)
        if name in _CONDITIONAL_DIAGS:
            out.append(Violation("conditional", line_of(d.location),
                                 "unbalanced `ifdef/`endif: a conditional may not reach past the end of the design"))
        elif d.isError() and not name.startswith("Include") and name != "CouldNotOpenIncludeFile":
            parse_errors.append(d)
    if parse_errors:
        msg = pyslang.DiagnosticEngine(sm).formatMessage(parse_errors[0])
        out.append(Violation("unparsed", line_of(parse_errors[0].location),
                             f"the admission check cannot parse the design: {msg}"))
        return sorted(set(out), key=lambda v: (v.line, v.rule))

    # one pass over the tree (a Python call per node and token is most of the cost): collect, then judge
    interesting = _interesting_kinds()
    system_token = pyslang.parsing.TokenKind.SystemIdentifier
    dot = pyslang.parsing.TokenKind.Dot
    found: list[tuple[str, object]] = []

    def visit(node: object) -> bool:
        kind = node.kind
        if kind == system_token:
            found.append(("$", node))
        else:
            name = interesting.get(kind)
            if name is not None:
                found.append((name, node))
        return True

    tree.root.visit(visit)
    spans = _module_spans(tree)
    children: dict[str, set[str]] = {name: set() for name in spans}
    instances = [node for name, node in found if name == "HierarchyInstantiation"]
    for node in instances:
        off = offset_of(node.sourceRange.start)
        owner = next((m for m, (s, e) in spans.items() if off is not None and s <= off < e), None)
        if owner is not None:
            children[owner].add(node.type.valueText)
    reach = _reachable(top, spans, children)
    ranges = [(s, e) for name, (s, e) in spans.items() if name in reach]

    def reached(loc: object) -> bool:
        off = offset_of(loc)
        return off is None or any(s <= off < e for s, e in ranges)

    for kind, node in found:
        if kind == "$":
            name = node.valueText[1:]
            if name not in ALLOWED_SYSTEM and name not in READMEM and reached(node.location):
                out.append(Violation("system-task", line_of(node.location),
                                     f"system task ${name} is not allowed in a design (allowed: printing, "
                                     "math, seeded random; no file or OS access, no ending the run)"))
            continue
        where = node.sourceRange.start
        if kind in _NODE_RULES and (kind in _FILE_RULES or reached(where)):
            rule, message = _NODE_RULES[kind]
            out.append(Violation(rule, line_of(where), message))
        elif kind == "SystemName" and node.systemIdentifier.valueText[1:] in SEEDED and not _has_arguments(node) \
                and reached(where):
            name = node.systemIdentifier.valueText
            out.append(Violation("system-task", line_of(where),
                                 f"{name} without a seed argument draws from the testbench's random stream (a "
                                 "design could steer its stimulus): give it a seed variable of its own"))
        elif kind == "InvocationExpression" and reached(where):
            bad = _readmem_violation(node, data_files)
            if bad:
                out.append(Violation("readmem", line_of(where), bad))
        elif kind == "HierarchyInstantiation" and node.type.valueText not in spans and reached(where):
            out.append(Violation("foreign-module", line_of(where),
                                 f"instantiates '{node.type.valueText}', a module the design does not define (a "
                                 "design may instantiate only its own modules and primitives)"))
    dotted = any(name == "ScopedName" and node.separator.kind == dot for name, node in found)
    if not dotted:  # no dotted name, so no hierarchical reference: elaboration has nothing to add (and costs most)
        return sorted(set(out), key=lambda v: (v.line, v.rule))
    comp = pyslang.ast.Compilation()
    comp.addSyntaxTree(tree)
    for d in comp.getAllDiagnostics():
        name = _code_name(d)
        if not reached(d.location):
            continue
        args = [str(a) for a in getattr(d, "args", [])]
        what = f"'{args[0]}'" if args else "a name"
        if name in _HIER_DIAGS:
            out.append(Violation("hierarchical-reference", line_of(d.location),
                                 f"the name {what} {_HIER_DIAGS[name]}: a design may not reach into the harness"))
    return sorted(set(out), key=lambda v: (v.line, v.rule))


_FILE_RULES = {"BindDirective", "DPIImport", "DPIExport"}  # outside any module, so no reachability
_NODE_RULES = {
    "ProceduralForceStatement": ("force", "force is not allowed in a design"),
    "ProceduralReleaseStatement": ("force", "release is not allowed in a design"),
    "RootScope": ("hierarchical-reference", "$root is not allowed: a design may not reach into the harness"),
    "UnitScope": ("hierarchical-reference", "$unit is not allowed in a design"),
    "BindDirective": ("bind", "bind is not allowed: it inserts code into other modules"),
    "DPIImport": ("dpi", "DPI imports are not allowed in a design"),
    "DPIExport": ("dpi", "DPI exports are not allowed in a design"),
}


def _code_name(d: object) -> str:
    return str(d.code).removeprefix("DiagCode(").removesuffix(")")


def _parse(code: str):  # noqa: ANN202 - (SyntaxTree, SourceManager)
    """SystemVerilog keywords first; Verilog-2005 keywords when that parses and SV does not (``wire logic;``)."""
    import pyslang
    from pyslang import parsing, syntax

    sm = pyslang.SourceManager()
    tree = syntax.SyntaxTree.fromText(code, sm, "design.sv")
    if not any(d.isError() for d in tree.diagnostics):
        return tree, sm
    pre, par, lex = parsing.PreprocessorOptions(), parsing.ParserOptions(), parsing.LexerOptions()
    pre.languageVersion = par.languageVersion = lex.languageVersion = pyslang.LanguageVersion.v1364_2005
    sm2 = pyslang.SourceManager()
    tree2 = syntax.SyntaxTree.fromText(code, sm2, "design.v", "", pyslang.Bag([pre, par, lex]))
    if not any(d.isError() for d in tree2.diagnostics):
        return tree2, sm2
    return tree, sm


def _main_buffer(tree: object) -> object:
    return tree.root.sourceRange.start.buffer


def _module_spans(tree: object) -> dict[str, tuple[int, int]]:
    """Byte span of each module/primitive/interface/program defined at the top level."""
    spans: dict[str, tuple[int, int]] = {}
    root = tree.root
    members = list(root.members) if str(root.kind).endswith(".CompilationUnit") else [root]
    for member in members:
        kind = str(member.kind).rsplit(".", 1)[-1]
        if kind not in ("ModuleDeclaration", "UdpDeclaration", "InterfaceDeclaration", "ProgramDeclaration"):
            continue
        name = member.header.name.valueText if kind != "UdpDeclaration" else member.name.valueText
        rng = member.sourceRange
        spans[name] = (int(rng.start.offset), int(rng.end.offset))
    return spans


_KINDS: dict[object, str] = {}


def _interesting_kinds() -> dict[object, str]:
    """SyntaxKind -> name for the nodes a rule looks at (compared as enums: ``str()`` per node is slow)."""
    if not _KINDS:
        from pyslang import syntax

        for name in (*_NODE_RULES, "SystemName", "InvocationExpression", "HierarchyInstantiation", "ScopedName"):
            _KINDS[getattr(syntax.SyntaxKind, name)] = name
    return _KINDS


def _reachable(top: str | None, spans: dict[str, tuple[int, int]], children: dict[str, set[str]]) -> set[str]:
    if not top or top not in spans:
        return set(spans)
    seen, todo = {top}, [top]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _has_arguments(system_name: object) -> bool:
    parent = system_name.parent
    if parent is None or not str(parent.kind).endswith(".InvocationExpression") or parent.arguments is None:
        return False
    return len(parent.arguments.parameters) > 0


def _readmem_violation(node: object, data_files: tuple[str, ...]) -> str | None:
    """A message when ``$readmem*`` reads anything but a literal name the problem ships, else None."""
    left = node.left
    name = getattr(left, "systemIdentifier", None) or getattr(left, "identifier", None)
    text = getattr(name, "valueText", "")
    if text[1:] not in READMEM:
        return None
    args = node.arguments.parameters if node.arguments is not None else []
    first = args[0] if len(args) else None
    literal = None
    if first is not None:
        tok, last = first.getFirstToken(), first.getLastToken()
        if str(tok.kind).endswith("StringLiteral") and tok.location == last.location:
            literal = tok.valueText
    if literal is None:
        return f"{text} must name its file with a string literal (one of the problem's extra files)"
    if literal not in data_files:
        shipped = ", ".join(data_files) or "none"
        return f"{text} of '{literal}': a design may read only the problem's extra files ({shipped})"
    return None
