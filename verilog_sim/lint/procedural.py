"""Rules on always blocks: latch, blocking/non-blocking misuse, sensitivity lists, case without default.

Each always block is classified once (combinational, sequential, or neither) from its procedure kind and
event control, then walked once per rule family. The latch analysis lives in :mod:`verilog_sim.lint.latch`,
case coverage in :mod:`verilog_sim.lint.cases`."""

from __future__ import annotations

from collections.abc import Callable

from pyslang import ast

from . import cases, latch
from .latch import assignment as _assignment
from .latch import skey

Emit = Callable[[str, object, str], None]
SK, EK = ast.StatementKind, ast.ExpressionKind
_SIGNALS = (ast.SymbolKind.Net, ast.SymbolKind.Variable)


def classify(proc: ast.ProceduralBlockSymbol) -> tuple[str | None, object, object]:
    """('comb' | 'seq' | None, event list or None for @*/always_comb, the statement under the timing)."""
    PK = ast.ProceduralBlockKind
    kind, body = proc.procedureKind, proc.body
    timing = None
    if body.kind == SK.Timed:
        timing, body = body.timing, body.stmt
    if kind == PK.AlwaysComb:
        return "comb", None, body
    if kind == PK.AlwaysFF:
        return "seq", None, body
    if kind != PK.Always or timing is None:
        return None, None, body
    TK = ast.TimingControlKind
    if timing.kind == TK.ImplicitEvent:
        return "comb", None, body
    events = list(timing.events) if timing.kind == TK.EventList else [timing]
    if any(e.kind != TK.SignalEvent for e in events):
        return None, None, body
    if any(e.edge != ast.EdgeKind.None_ for e in events):
        return "seq", None, body
    return "comb", timing, body


def _children(stmt: object) -> list[object]:
    k = stmt.kind  # type: ignore[attr-defined]
    if k == SK.List:
        return list(stmt.list)  # type: ignore[attr-defined]
    if k in (SK.Block, SK.ForLoop, SK.ForeachLoop, SK.WhileLoop, SK.DoWhileLoop, SK.RepeatLoop, SK.ForeverLoop):
        return [stmt.body]  # type: ignore[attr-defined]
    if k == SK.Timed:
        return [stmt.stmt]  # type: ignore[attr-defined]
    if k == SK.Conditional:
        return [s for s in (stmt.ifTrue, stmt.ifFalse) if s is not None]  # type: ignore[attr-defined]
    if k == SK.Case:
        out = [it.stmt for it in stmt.items]  # type: ignore[attr-defined]
        return out + ([stmt.defaultCase] if stmt.defaultCase is not None else [])  # type: ignore[attr-defined]
    return []


def statements(stmt: object):
    """Every statement under ``stmt`` (pre-order)."""
    stack = [stmt]
    while stack:
        s = stack.pop()
        if s is None:
            continue
        yield s
        stack.extend(reversed(_children(s)))


def locals_of(stmt: object) -> set[tuple[str, int]]:
    return {skey(s.symbol) for s in statements(stmt) if s.kind == SK.VariableDeclaration}


def loop_vars(bodies: list) -> set[tuple[str, int]]:
    """Module-level variables used as for-loop indices (``integer i`` shared by several blocks is fine)."""
    out: set[tuple[str, int]] = set()
    for b in bodies:
        for proc in b.procs:
            for s in statements(proc.body):
                if s.kind == SK.ForLoop:
                    for e in s.initializers:
                        if e.kind == EK.Assignment:
                            out |= {skey(sym) for sym, _ in latch.spans(e.left)}
    return out


def _text_reads_elsewhere(body: object, proc: object) -> Callable[[tuple[str, int]], bool]:
    """Is a signal named anywhere in the module outside this block (another process, an assign, an instance,
    the port list)? Decided on the module's text, once per block and only when a latch candidate asks."""
    import re

    cache: dict[str, str] = {}

    def elsewhere(key: tuple[str, int]) -> bool:
        if "text" not in cache:
            defn = getattr(body, "definition", None)
            module = str(defn.syntax) if defn is not None and defn.syntax is not None else ""
            own = str(proc.syntax) if proc.syntax is not None else ""  # type: ignore[attr-defined]
            cache["text"] = module.replace(own, " ", 1) if own else module
            cache["ports"] = " ".join(p.name for p in (getattr(body, "portList", None) or []))
        if key[0] in cache["ports"].split():
            return True  # a port is read by the instantiating module
        uses = re.findall(rf"(?<![\w$]){re.escape(key[0])}(?![\w$])", cache["text"])
        return len(uses) > 1  # one is its declaration

    return elsewhere


def check_assign_kinds(kind: str, body: object, emit: Emit) -> None:
    local = locals_of(body)
    for s in statements(body):
        a = _assignment(s)
        if a is None:
            continue
        nb = a.isNonBlocking  # type: ignore[attr-defined]
        names = [sym for sym, _ in latch.spans(a.left) if skey(sym) not in local]  # type: ignore[attr-defined]
        if not names:
            continue
        where = a.sourceRange.start  # type: ignore[attr-defined]
        if kind == "seq" and not nb:
            emit("blocking-in-seq", where, f"blocking assignment to '{names[0].name}' in edge-triggered logic")
        elif kind == "comb" and nb:
            emit("nonblocking-in-comb", where, f"non-blocking assignment to '{names[0].name}' in combinational logic")


def _reads(expr: object, out: dict) -> None:
    def cb(n: object) -> object:
        if getattr(n, "kind", None) == EK.NamedValue and n.symbol.kind in _SIGNALS:  # type: ignore[attr-defined]
            out.setdefault(skey(n.symbol), n.symbol)  # type: ignore[attr-defined]
        return ast.VisitAction.Advance

    if expr is not None:
        expr.visit(cb)  # type: ignore[attr-defined]


def _lhs_index_reads(lhs: object, out: dict) -> None:
    k = lhs.kind  # type: ignore[attr-defined]
    if k == EK.Concatenation:
        for op in lhs.operands:  # type: ignore[attr-defined]
            _lhs_index_reads(op, out)
    elif k == EK.ElementSelect:
        _reads(lhs.selector, out)  # type: ignore[attr-defined]
        _lhs_index_reads(lhs.value, out)  # type: ignore[attr-defined]
    elif k == EK.RangeSelect:
        _reads(lhs.left, out)  # type: ignore[attr-defined]
        _reads(lhs.right, out)  # type: ignore[attr-defined]
        _lhs_index_reads(lhs.value, out)  # type: ignore[attr-defined]
    elif k == EK.MemberAccess:
        _lhs_index_reads(lhs.value, out)  # type: ignore[attr-defined]


def check_sensitivity(timing: object, body: object, emit: Emit) -> None:
    listed: dict = {}
    events = list(timing.events) if timing.kind == ast.TimingControlKind.EventList else [timing]  # type: ignore[attr-defined]
    for e in events:
        _reads(e.expr, listed)
    reads: dict = {}
    written: set = set()
    for s in statements(body):
        a = _assignment(s)
        k = s.kind
        if a is not None:
            _reads(a.right, reads)  # type: ignore[attr-defined]
            _lhs_index_reads(a.left, reads)  # type: ignore[attr-defined]
            written |= {skey(sym) for sym, _ in latch.spans(a.left)}  # type: ignore[attr-defined]
        elif k == SK.Conditional:
            for c in s.conditions:
                _reads(c.expr, reads)
        elif k == SK.Case:
            _reads(s.expr, reads)
            for it in s.items:
                for e in it.expressions:
                    _reads(e, reads)
        elif k == SK.ExpressionStatement:
            _reads(s.expr, reads)
        elif k == SK.ForLoop:  # the index is written by the loop itself; bounds are read
            loop_written: dict = {}
            for e in list(s.initializers) + list(s.steps):
                _reads(e, loop_written)
            written |= set(loop_written)
            _reads(s.stopExpr, reads)
    local = locals_of(body)
    missing = [sym.name for key, sym in reads.items() if key not in listed and key not in written and key not in local]
    if missing:
        names = ", ".join(f"'{n}'" for n in sorted(set(missing)))
        emit("sensitivity", timing.sourceRange.start,  # type: ignore[attr-defined]
             f"sensitivity list omits {names}, read in this block; simulation will not match synthesis")


def check_case_default(scope: object, body: object, emit: Emit) -> None:
    for s in statements(body):
        if s.kind == SK.Case and s.defaultCase is None and not cases.is_full(s, scope):
            emit("case-default", s.sourceRange.start,
                 "case in combinational logic has no default branch and does not cover every value")


def check(bodies: list, emit: Emit, enabled: Callable[[str], bool]) -> None:
    """Run the procedural rules over every always block of the given module bodies."""
    for b in bodies:
        for proc in b.procs:
            kind, timing, stmt = classify(proc)
            if kind is None:
                continue
            if enabled("blocking-in-seq") or enabled("nonblocking-in-comb"):
                check_assign_kinds(kind, stmt, emit)
            if kind != "comb":
                continue
            if enabled("latch"):
                latch.check(proc, stmt, emit, locals_of(stmt), _text_reads_elsewhere(b.symbol, proc))
            if timing is not None and enabled("sensitivity"):
                check_sensitivity(timing, stmt, emit)
            if enabled("case-default"):
                check_case_default(proc, stmt, emit)
