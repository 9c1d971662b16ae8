"""Does a case statement cover every value of its selector? (latch and case-default rules)

A case without ``default`` still builds combinational logic when its items cover every value, and synthesis
tools agree that these are full:

* ``unique``/``priority`` case (a value outside the items is a run-time violation, not a hold);
* a case marked ``(* full_case *)`` or ``// synopsys full_case`` / ``/* verilator full_case */``, as Verilator
  and synthesis read it (``parallel_case`` alone says nothing about coverage);
* items that are constants, named localparams included, whose values cover ``2**width`` values of a selector
  up to 16 bits, where in ``casez`` a ``z``/``?`` bit of an item matches both values (``casex``: also ``x``).
"""

from __future__ import annotations

import re

from pyslang import ast

EK = ast.ExpressionKind
_MAX_WIDTH = 16
_MAX_WORK = 1 << 18
_FULL_CASE = re.compile(r"\(\*[^)]*\bfull_case\b|(?://|/\*)\s*(?:synopsys|verilator|pragma|synthesis)\b[^\n]*\bfull_case\b")


def selector_width(case: object) -> int:
    sel = case.expr  # type: ignore[attr-defined]
    while sel.kind == EK.Conversion:  # the selector is widened to the items' type; count its own bits
        sel = sel.operand
    return sel.type.bitWidth


def _cube(value: object, width: int, wild: str) -> tuple[int, int] | None:
    """(care mask, value) of an item over ``width`` bits; None when it can never match a 2-state value."""
    care = val = 0
    n = value.bitWidth  # type: ignore[attr-defined]
    for i in range(n):
        b = str(value[i])  # type: ignore[index]
        if i >= width:
            if b == "1":
                return None
            continue
        if b in wild:
            continue
        if b not in "01":
            return None  # x/z in an item matches only an x/z selector
        care |= 1 << i
        val |= (b == "1") << i
    return care, val


def _covers_all(cubes: list[tuple[int, int]], width: int) -> bool:
    full = (1 << width) - 1
    if any(care == 0 for care, _ in cubes):
        return True
    if sum(1 << (width - bin(care).count("1")) for care, _ in cubes) < (1 << width):
        return False  # even disjoint, the items are too few
    seen: set[int] = set()
    budget = _MAX_WORK  # hostile code: many wide wildcard items cost at most this many steps
    for care, val in set(cubes):
        free = full & ~care
        sub = free
        while True:
            seen.add(val | sub)
            budget -= 1
            if sub == 0:
                break
            if budget <= 0:
                return False  # not proven full: the case counts as incomplete
            sub = (sub - 1) & free
        if len(seen) == 1 << width:
            return True
    return False


def marked_full(case: object) -> bool:
    """``(* full_case *)`` on the statement, or a full_case pragma comment on its first line."""
    syn = case.syntax  # type: ignore[attr-defined]
    text = str(syn) if syn is not None else ""
    head = text.split("\n", 3)
    return bool(_FULL_CASE.search("\n".join(head[:3])))


def is_full(case: object, scope: object) -> bool:
    """Every selector value is covered (see the module docstring). ``scope`` is the symbol whose context
    evaluates the items (the procedural block)."""
    check = str(case.check)  # type: ignore[attr-defined]
    if check.endswith(("Unique", "Priority")) or marked_full(case):
        return True
    cond = str(case.condition)  # type: ignore[attr-defined]
    wild = {"Normal": "", "WildcardJustZ": "z", "WildcardXOrZ": "xz"}.get(cond.rsplit(".", 1)[-1])
    if wild is None:
        return False
    width = selector_width(case)
    if not 0 < width <= _MAX_WIDTH:
        return False
    ctx = None
    cubes = []
    for item in case.items:  # type: ignore[attr-defined]
        for e in item.expressions:
            cv = getattr(e, "constant", None)
            if cv is None:
                ctx = ctx or ast.EvalContext(scope)
                try:
                    cv = e.eval(ctx)
                except Exception:  # noqa: BLE001 - a non-constant item: it cannot help prove coverage
                    cv = None
            value = getattr(cv, "value", None) if cv is not None else None
            if value is None or not hasattr(value, "bitWidth"):
                continue
            c = _cube(value, width, wild)
            if c is not None:
                cubes.append(c)
    return _covers_all(cubes, width)
