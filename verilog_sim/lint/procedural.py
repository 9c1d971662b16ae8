"""Rules on always blocks: latch, blocking/non-blocking misuse, sensitivity lists, case without default.

Each always block is classified once (combinational, sequential, or neither) from its procedure kind and
event control, then walked once per rule family. The latch check is a small definite-assignment analysis:
a signal assigned on some path through a combinational block but not on all of them keeps its old value,
which synthesis builds as a latch. Bits assigned through constant selects count per bit, so
``y[0] = a; y[1] = b;`` covers a 2-bit ``y``; loop bodies are assumed to run (constant-bound RTL loops).
"""

from __future__ import annotations

from collections.abc import Callable

from pyslang import ast

Emit = Callable[[str, object, str], None]
SK, EK = ast.StatementKind, ast.ExpressionKind
FULL = None  # index key meaning "every bit"
_SIGNALS = (ast.SymbolKind.Net, ast.SymbolKind.Variable)


def skey(sym: object) -> tuple[str, int]:
    return (sym.name, sym.location.offset)  # type: ignore[attr-defined]


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


def _const(expr: object) -> int | None:
    cv = getattr(expr, "constant", None)
    if cv is None:
        return None
    try:
        v = cv.value
        return None if v.hasUnknown else int(v)
    except (TypeError, ValueError, AttributeError):
        return None


def targets(lhs: object) -> list[tuple[object, object]]:
    """(symbol, index) pairs an lvalue writes: index FULL, an int bit, or 'dyn' (a non-constant part)."""
    k = lhs.kind  # type: ignore[attr-defined]
    if k == EK.NamedValue:
        return [(lhs.symbol, FULL)]  # type: ignore[attr-defined]
    if k == EK.Concatenation:
        return [t for op in lhs.operands for t in targets(op)]  # type: ignore[attr-defined]
    if k in (EK.ElementSelect, EK.RangeSelect, EK.MemberAccess):
        base = lhs.value  # type: ignore[attr-defined]
        inner = targets(base)
        if base.kind != EK.NamedValue or len(inner) != 1:
            return [(s, "dyn") for s, _ in inner]
        sym = inner[0][0]
        if k == EK.ElementSelect:
            i = _const(lhs.selector)  # type: ignore[attr-defined]
            return [(sym, i if i is not None else "dyn")]
        if k == EK.RangeSelect:
            a, b = _const(lhs.left), _const(lhs.right)  # type: ignore[attr-defined]
            if a is None or b is None:
                return [(sym, "dyn")]
            sel = str(lhs.selectionKind)  # type: ignore[attr-defined]
            if sel.endswith("IndexedUp"):
                lo, hi = a, a + b - 1
            elif sel.endswith("IndexedDown"):
                lo, hi = a - b + 1, a
            else:
                lo, hi = min(a, b), max(a, b)
            return [(sym, i) for i in range(lo, hi + 1)]
        return [(sym, "dyn")]
    return []


def _assignment(stmt: object) -> object | None:
    if stmt.kind == SK.ExpressionStatement and stmt.expr.kind == EK.Assignment:  # type: ignore[attr-defined]
        return stmt.expr  # type: ignore[attr-defined]
    return None


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
                            out |= {skey(sym) for sym, _ in targets(e.left)}
    return out


def case_is_full(case: object) -> bool:
    """Unique/priority case, or constant items that cover every value of a selector up to 16 bits."""
    check = str(case.check)  # type: ignore[attr-defined]
    if check.endswith(("Unique", "Priority")):
        return True
    if not str(case.condition).endswith("Normal"):  # type: ignore[attr-defined]
        return False
    sel = case.expr  # type: ignore[attr-defined]
    while sel.kind == EK.Conversion:  # the selector is widened to the items' type; count its own bits
        sel = sel.operand
    width = sel.type.bitWidth
    if not 0 < width <= 16:
        return False
    values = {_const(e) for it in case.items for e in it.expressions}  # type: ignore[attr-defined]
    values.discard(None)
    return len(values) >= (1 << width)


def _elements(sym: object) -> int:
    """How many indices a select on ``sym`` can name: the outermost dimension (bits of a plain vector)."""
    t = sym.type  # type: ignore[attr-defined]
    try:
        return t.fixedRange.width if t.hasFixedRange else 1
    except (AttributeError, TypeError):
        return t.bitWidth


def _meet(a: set, b: set) -> set:
    out = a & b
    full_a = {s for s, i in a if i is FULL}
    full_b = {s for s, i in b if i is FULL}
    out |= {(s, i) for s, i in b if s in full_a}
    out |= {(s, i) for s, i in a if s in full_b}
    return out


class _Flow:
    """Definite assignment over one combinational block; ``first`` records each target's first write."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, int], tuple[object, object]] = {}  # key -> (symbol, location)
        self.width: dict[tuple[str, int], int] = {}

    def must(self, stmt: object, in_loop: bool = False) -> set:
        if stmt is None:
            return set()
        k = stmt.kind  # type: ignore[attr-defined]
        a = _assignment(stmt)
        if a is not None:
            out = set()
            for sym, idx in targets(a.left):  # type: ignore[attr-defined]
                if sym.kind not in _SIGNALS:
                    continue
                key = skey(sym)
                self.first.setdefault(key, (sym, a.left.sourceRange.start))  # type: ignore[attr-defined]
                self.width[key] = _elements(sym)
                if idx == "dyn":
                    if in_loop:
                        out.add((key, FULL))
                else:
                    out.add((key, idx))
            return out
        if k in (SK.List, SK.Block, SK.Timed):
            out = set()
            for c in _children(stmt):
                out |= self.must(c, in_loop)
            return out
        if k == SK.Conditional:
            t = self.must(stmt.ifTrue, in_loop)  # type: ignore[attr-defined]
            f = self.must(stmt.ifFalse, in_loop)  # type: ignore[attr-defined]
            return _meet(t, f) if stmt.ifFalse is not None else set()  # type: ignore[attr-defined]
        if k == SK.Case:
            branches = [self.must(c, in_loop) for c in _children(stmt)]
            if not branches or (stmt.defaultCase is None and not case_is_full(stmt)):  # type: ignore[attr-defined]
                return set()
            out = branches[0]
            for b in branches[1:]:
                out = _meet(out, b)
            return out
        if k in (SK.ForLoop, SK.ForeachLoop, SK.WhileLoop, SK.DoWhileLoop, SK.RepeatLoop, SK.ForeverLoop):
            return self.must(stmt.body, True)  # type: ignore[attr-defined]
        return set()

    def covered(self, must: set, key: tuple[str, int]) -> bool:
        if (key, FULL) in must:
            return True
        bits = {i for k, i in must if k == key}
        return len(bits) >= self.width.get(key, 1 << 30)


def check_latch(body: object, emit: Emit) -> None:
    flow = _Flow()
    must = flow.must(body)
    local = locals_of(body)
    for key, (sym, loc) in flow.first.items():
        if key not in local and not flow.covered(must, key):
            emit("latch", loc, f"'{sym.name}' is not assigned on every path through this combinational "  # type: ignore[attr-defined]
                 "block, so a latch is inferred")


def check_assign_kinds(kind: str, body: object, emit: Emit) -> None:
    local = locals_of(body)
    for s in statements(body):
        a = _assignment(s)
        if a is None:
            continue
        nb = a.isNonBlocking  # type: ignore[attr-defined]
        names = [sym for sym, _ in targets(a.left) if skey(sym) not in local]  # type: ignore[attr-defined]
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
            written |= {skey(sym) for sym, _ in targets(a.left)}  # type: ignore[attr-defined]
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


def check_case_default(body: object, emit: Emit) -> None:
    for s in statements(body):
        if s.kind == SK.Case and s.defaultCase is None and not case_is_full(s):
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
                check_latch(stmt, emit)
            if timing is not None and enabled("sensitivity"):
                check_sensitivity(timing, stmt, emit)
            if enabled("case-default"):
                check_case_default(stmt, emit)
