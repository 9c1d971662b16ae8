"""Rules on signals: unused, undriven, multiple drivers, implicit nets.

Unused/undriven/implicit findings come from slang's own dataflow analysis (``pyslang.analysis``), which
already knows ports, partial selects and generate blocks; this module maps its diagnostic codes onto ours.
Multiple drivers are computed here from the analysis' per-symbol driver lists (with bit ranges), because
slang only reports them for always_comb/always_ff and not for plain Verilog ``always`` or ``assign``.
Signals wired to an instance of a module that is not in the compilation (defined in a file not linted)
are exempt: their direction is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pyslang import analysis

Emit = Callable[[str, object, str], None]

SLANG_CODES = {
    "UnusedPort": "unused", "UnusedVariable": "unused", "UnusedNet": "unused",
    "UnusedButSetVariable": "unused", "UnusedButSetNet": "unused", "UnusedButSetPort": "unused",
    "UndrivenNet": "undriven", "UndrivenPort": "undriven", "UnassignedVariable": "undriven",
    "ImplicitNet": "implicit-net",
}
_IDENT = re.compile(r"(?<![.\w$])\s*([A-Za-z_][A-Za-z0-9_$]*)")


def unknown_instance_names(design: object, bodies: list) -> set[tuple[str, str]]:
    """(file, identifier) pairs wired to instances of modules the compilation does not define.

    Port names (``.name(``) are not signals and are left out.
    """
    names: set[tuple[str, str]] = set()
    for b in bodies:
        for u in b.unknown:
            path = design.where(u.location)[0]  # type: ignore[attr-defined]
            text = str(u.syntax)
            paren = text.find("(")
            for name in _IDENT.findall(text[paren:] if paren >= 0 else ""):
                names.add((path, name))
    return names


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def check_multi_driven(design: object, bodies: list, emit: Emit, exempt: set[tuple[str, str]],
                       loop_vars: set[tuple[str, int]] = frozenset()) -> None:  # type: ignore[assignment]
    skip = (analysis.DriverSource.Initial, analysis.DriverSource.Final)
    for b in bodies:
        for sym in b.values:
            if (sym.name, sym.location.offset) in loop_vars:
                continue
            if (design.where(sym.location)[0], sym.name) in exempt:  # type: ignore[attr-defined]
                continue
            drivers = [d for d in design.analysis.getDrivers(sym)  # type: ignore[attr-defined]
                       if d.source not in skip and not d.isInputPort
                       and not int(d.flags) & int(analysis.DriverFlags.Initializer)]
            if len(drivers) < 2:
                continue
            drivers.sort(key=lambda d: d.sourceRange.start.offset)
            seen: list[tuple[object, tuple[int, int], object]] = []  # (process key, bounds, driver)
            for d in drivers:
                cs = d.containingSymbol
                proc = (cs.kind, cs.location.offset) if cs is not None else id(d)
                clash = next((s for s in seen if s[0] != proc and _overlap(s[1], tuple(d.bounds))), None)
                if clash is not None:
                    first = design.where(clash[2].sourceRange.start)[1]  # type: ignore[attr-defined]
                    emit("multi-driven", d.sourceRange.start,
                         f"'{sym.name}' is driven here and already at line {first}")
                    break
                seen.append((proc, tuple(d.bounds), d))


def map_slang(design: object, emit: Emit, exempt: set[tuple[str, str]]) -> None:
    for diag in design.analysis_diagnostics + design.diagnostics:  # type: ignore[attr-defined]
        code = SLANG_CODES.get(str(diag.code).removeprefix("DiagCode(").rstrip(")"))
        if code is None:
            continue
        msg = design.message(diag)  # type: ignore[attr-defined]
        quoted = re.findall(r"'([^']+)'", msg)
        path = design.where(diag.location)[0]  # type: ignore[attr-defined]
        if code != "implicit-net" and quoted and (path, quoted[-1]) in exempt:
            continue
        if code == "unused" and "port" in msg and "output" not in msg:
            msg = msg.replace("unused port signal", "input port") + " is never read"
        emit(code, diag.location, msg)
