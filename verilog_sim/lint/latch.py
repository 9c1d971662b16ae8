"""The latch rule: a small definite-assignment analysis over one combinational block.

A combinational block infers a latch for the bits it writes on some path but not on every path (they keep
their old value). Only the bits the block writes count: ``y[N] = a`` in each element of a generate loop, a
vector written in parts by several blocks, or a packed struct written field by field are combinational. So
each write is a span of the signal's flattened bits (for an unpacked array: of its elements): constant
element, range and member selects, nested, are exact; a select with a non-constant index writes "somewhere"
(inside a loop, assumed to run over every element: constant-bound RTL loops).

What synthesis prunes is pruned here too: a branch whose condition is a constant (``if (PARAM == 1)``) is the
only path, the other is dead code. A case counts as complete per :mod:`verilog_sim.lint.cases`.

A variable every read of which follows a write on the same path, and which nothing outside the block reads
(a scratch ``integer`` or temporary at module scope), holds no state: no latch.
"""

from __future__ import annotations

from collections.abc import Callable

from pyslang import ast

from . import cases

Emit = Callable[[str, object, str], None]
SK, EK = ast.StatementKind, ast.ExpressionKind
DYN = "dyn"  # a write somewhere in the signal (non-constant index)
_SIGNALS = (ast.SymbolKind.Net, ast.SymbolKind.Variable)
_LOOPS = (SK.ForLoop, SK.ForeachLoop, SK.WhileLoop, SK.DoWhileLoop, SK.RepeatLoop, SK.ForeverLoop)


def skey(sym: object) -> tuple[str, int]:
    return (sym.name, sym.location.offset)  # type: ignore[attr-defined]


def units(sym: object) -> int:
    """Flattened packed bits, or elements of an unpacked array."""
    t = sym.type  # type: ignore[attr-defined]
    if t.isUnpackedArray:
        return t.fixedRange.width if t.hasFixedRange else 1
    return max(t.bitWidth, 1)


def const(expr: object) -> int | None:
    cv = getattr(expr, "constant", None)
    if cv is None:
        return None
    try:
        v = cv.value
        return None if v.hasUnknown else int(v)
    except (TypeError, ValueError, AttributeError):
        return None


def spans(lhs: object) -> list[tuple[object, object]]:
    """(symbol, (lo, hi) | DYN) for each signal an lvalue writes; (lo, hi) in the symbol's units."""
    if lhs.kind == EK.Concatenation:  # type: ignore[attr-defined]
        return [s for op in lhs.operands for s in spans(op)]  # type: ignore[attr-defined]
    s = _span(lhs)
    return [s] if s is not None else []


def _span(e: object) -> tuple | None:
    k = e.kind  # type: ignore[attr-defined]
    if k == EK.NamedValue:
        sym = e.symbol  # type: ignore[attr-defined]
        return (sym, (0, units(sym) - 1))
    if k not in (EK.ElementSelect, EK.RangeSelect, EK.MemberAccess):
        return None
    base = _span(e.value)  # type: ignore[attr-defined]
    if base is None or base[1] == DYN:
        return base
    sym, (blo, bhi) = base
    vt = e.value.type  # type: ignore[attr-defined]
    if vt.isUnpackedArray:
        if (blo, bhi) != (0, units(sym) - 1) or k == EK.MemberAccess or not vt.hasFixedRange:
            return base  # inside one element of a memory: count the element
        return _select(e, k, sym, vt.fixedRange, 1, blo, bhi)
    if sym.type.isUnpackedArray:
        return base  # below an element of a memory: the element
    if k == EK.MemberAccess:
        off = getattr(e.member, "bitOffset", None)  # type: ignore[attr-defined]
        if off is None or not vt.isIntegral:  # an unpacked struct: count the whole
            return base
        w = e.type.bitWidth  # type: ignore[attr-defined]
        return (sym, (blo + off, min(blo + off + w - 1, bhi)))
    if not vt.hasFixedRange:
        return base
    r = vt.fixedRange
    ew = max(vt.bitWidth // max(r.width, 1), 1)
    return _select(e, k, sym, r, ew, blo, bhi)


def _select(e: object, k: object, sym: object, r: object, ew: int, blo: int, bhi: int) -> tuple:
    low = min(r.left, r.right)  # type: ignore[attr-defined]
    if k == EK.ElementSelect:
        i = const(e.selector)  # type: ignore[attr-defined]
        if i is None:
            return (sym, DYN)
        a = b = i
    else:
        a, b = const(e.left), const(e.right)  # type: ignore[attr-defined]
        if a is None or b is None:
            return (sym, DYN)
        sel = str(e.selectionKind)  # type: ignore[attr-defined]
        if sel.endswith("IndexedUp"):
            a, b = a, a + b - 1
        elif sel.endswith("IndexedDown"):
            a, b = a - b + 1, a
    lo, hi = min(a, b), max(a, b)
    start, end = blo + (lo - low) * ew, blo + (hi - low + 1) * ew - 1
    start, end = max(start, blo), min(end, bhi)
    return (sym, (start, end)) if start <= end else (sym, (blo, bhi))


def assignment(stmt: object) -> object | None:
    if stmt.kind == SK.ExpressionStatement and stmt.expr.kind == EK.Assignment:  # type: ignore[attr-defined]
        return stmt.expr  # type: ignore[attr-defined]
    return None


Spans = tuple  # sorted, disjoint, non-adjacent (lo, hi) intervals of units


def _union(a: Spans, b: Spans) -> Spans:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(a + b):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def _intersect(a: Spans, b: Spans) -> Spans:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def _meet(a: dict, b: dict) -> dict:
    """Written on both paths."""
    out = {}
    for key in a.keys() & b.keys():
        v = _intersect(a[key], b[key])
        if v:
            out[key] = v
    return out


def const_condition(stmt: object) -> bool | None:
    """The value of an ``if`` condition that is a constant (a parameter test), else None."""
    conds = list(stmt.conditions)  # type: ignore[attr-defined]
    if len(conds) != 1 or conds[0].pattern is not None:
        return None
    v = const(conds[0].expr)
    return None if v is None else bool(v)


class Flow:
    """Definite assignment over one block: ``must`` (written on every path), ``may`` (written on some path),
    as intervals of each signal's units; the first write of each signal; the signals read before being
    written on some path."""

    def __init__(self, scope: object) -> None:
        self.scope = scope
        self.first: dict[tuple[str, int], tuple[object, object]] = {}
        self.total: dict[tuple[str, int], int] = {}
        self.may: dict[tuple[str, int], Spans] = {}
        self.may_dyn: set[tuple[str, int]] = set()  # written at a non-constant index outside a loop
        self.read_first: set[tuple[str, int]] = set()

    def run(self, stmt: object) -> dict:
        return self._walk(stmt, {}, False)

    def _reads(self, expr: object, done: dict) -> None:
        def cb(n: object) -> object:
            if getattr(n, "kind", None) == EK.NamedValue:
                key = skey(n.symbol)  # type: ignore[attr-defined]
                if not self._full(done.get(key, ()), key):
                    self.read_first.add(key)
            return ast.VisitAction.Advance

        if expr is not None:
            expr.visit(cb)  # type: ignore[attr-defined]

    def _full(self, spans_: Spans, key: tuple[str, int]) -> bool:
        return spans_ == ((0, self.total.get(key, 0) - 1),)

    def _write(self, a: object, done: dict, in_loop: bool) -> dict:
        self._reads(a.right, done)  # type: ignore[attr-defined]
        out = dict(done)  # interval tuples are immutable: a shallow copy suffices
        for sym, span in spans(a.left):  # type: ignore[attr-defined]
            if sym.kind not in _SIGNALS:
                continue
            key = skey(sym)
            self.first.setdefault(key, (sym, a.left.sourceRange.start))  # type: ignore[attr-defined]
            total = self.total.setdefault(key, units(sym))
            if span == DYN and not in_loop:
                self.may_dyn.add(key)
                continue
            lo, hi = (0, total - 1) if span == DYN else (max(span[0], 0), min(span[1], total - 1))
            if lo > hi:
                continue
            self.may[key] = _union(self.may.get(key, ()), ((lo, hi),))
            out[key] = _union(out.get(key, ()), ((lo, hi),))
        return out

    def _walk(self, stmt: object, done: dict, in_loop: bool) -> dict:
        """``done``: what is definitely written before ``stmt``; returns what is after it."""
        if stmt is None:
            return done
        k = stmt.kind  # type: ignore[attr-defined]
        a = assignment(stmt)
        if a is not None:
            return self._write(a, done, in_loop)
        if k == SK.List:
            for c in stmt.list:  # type: ignore[attr-defined]
                done = self._walk(c, done, in_loop)
            return done
        if k == SK.Block:
            return self._walk(stmt.body, done, in_loop)  # type: ignore[attr-defined]
        if k == SK.Timed:
            return self._walk(stmt.stmt, done, in_loop)  # type: ignore[attr-defined]
        if k == SK.Conditional:
            fixed = const_condition(stmt)
            if fixed is not None:  # a parameter test: synthesis keeps one branch
                return self._walk(stmt.ifTrue if fixed else stmt.ifFalse, done, in_loop)  # type: ignore[attr-defined]
            for c in stmt.conditions:  # type: ignore[attr-defined]
                self._reads(c.expr, done)
            t = self._walk(stmt.ifTrue, done, in_loop)  # type: ignore[attr-defined]
            f = self._walk(stmt.ifFalse, done, in_loop)  # type: ignore[attr-defined]
            return _meet(t, f)
        if k == SK.Case:
            self._reads(stmt.expr, done)  # type: ignore[attr-defined]
            branches = [self._walk(it.stmt, done, in_loop) for it in stmt.items]  # type: ignore[attr-defined]
            if stmt.defaultCase is not None:  # type: ignore[attr-defined]
                branches.append(self._walk(stmt.defaultCase, done, in_loop))  # type: ignore[attr-defined]
            elif not cases.is_full(stmt, self.scope):
                branches.append(done)
            out = branches[0] if branches else done
            for b in branches[1:]:
                out = _meet(out, b)
            return out
        if k in _LOOPS:
            body = self._walk(stmt.body, done, True)  # type: ignore[attr-defined]
            return body if k in (SK.ForLoop, SK.ForeachLoop, SK.RepeatLoop, SK.DoWhileLoop) else done
        if k == SK.ExpressionStatement:
            self._reads(stmt.expr, done)  # type: ignore[attr-defined]
        return done

    def latched(self, must: dict, key: tuple[str, int]) -> bool:
        """Some unit the block writes is not written on every path."""
        got = must.get(key, ())
        if self._full(got, key):
            return False
        if key in self.may_dyn:
            return True
        wrote = self.may.get(key, ())
        return _intersect(wrote, got) != wrote


def check(proc: object, body: object, emit: Emit, local: set, read_elsewhere: Callable[[tuple[str, int]], bool]) -> None:
    """Report each signal ``body`` (of procedural block ``proc``) latches."""
    flow = Flow(proc)
    must = flow.run(body)
    for key, (sym, loc) in flow.first.items():
        if key in local or not flow.latched(must, key):
            continue
        if key not in flow.read_first and not read_elsewhere(key):
            continue  # a temporary: written before every read, read nowhere else
        emit("latch", loc, f"'{sym.name}' is not assigned on every path through this combinational "  # type: ignore[attr-defined]
             "block, so a latch is inferred")
