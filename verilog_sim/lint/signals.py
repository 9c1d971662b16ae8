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

from pyslang import analysis, ast

from ..source.extract import blank_comments_and_strings

Emit = Callable[[str, object, str], None]

SLANG_CODES = {
    "UnusedPort": "unused", "UnusedVariable": "unused", "UnusedNet": "unused",
    "UnusedButSetVariable": "unused", "UnusedButSetNet": "unused", "UnusedButSetPort": "unused",
    "UndrivenNet": "undriven", "UndrivenPort": "undriven", "UnassignedVariable": "undriven",
    "ImplicitNet": "implicit-net",
}
_IDENT = re.compile(r"(?<![.\w$])\s*([A-Za-z_][A-Za-z0-9_$]*)")
_IMPLICIT = re.compile(r"\.\s*([A-Za-z_][A-Za-z0-9_$]*)\s*(?=[,)])")
_UNUSED_NAME = re.compile("unused", re.I)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_WILDCARD = re.compile(r"\.\s*\*")
_HIGH_Z = re.compile(r"'[sS]?[bBoOhHdD]?\s*[zZ?]+\b|'[zZ]")


def unknown_instance_names(design: object, bodies: list) -> set[tuple[str, str]]:
    """(file, identifier) pairs wired to instances of modules the compilation does not define.

    Port names (``.name(``) are not signals and are left out.
    """
    names: set[tuple[str, str]] = set()
    for b in bodies:
        for u in b.unknown:
            path = design.where(u.location)[0]  # type: ignore[attr-defined]
            text = blank_comments_and_strings(str(u.syntax))
            paren = text.find("(")
            conns = text[paren:] if paren >= 0 else ""
            if _WILDCARD.search(conns):  # ``.*``: every signal of this body may be a port of it
                names |= {(path, v.name) for v in b.values}
            names |= {(path, n) for n in _IDENT.findall(conns)}
            names |= {(path, n) for n in _IMPLICIT.findall(conns)}  # ``.name`` connects the signal ``name``
    return names


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def check_multi_driven(design: object, bodies: list, emit: Emit, exempt: set[tuple[str, str]],
                       loop_vars: set[tuple[str, int]] = frozenset()) -> None:  # type: ignore[assignment]
    skip = (analysis.DriverSource.Initial, analysis.DriverSource.Final)
    for b in bodies:
        inout = _inout_names(b)
        for sym in b.values:
            if (sym.name, sym.location.offset) in loop_vars or sym.name in inout:
                continue  # an inout pad is driven from both sides by design
            if (design.where(sym.location)[0], sym.name) in exempt:  # type: ignore[attr-defined]
                continue
            drivers = [d for d in design.analysis.getDrivers(sym)  # type: ignore[attr-defined]
                       if d.source not in skip and not d.isInputPort
                       and not int(d.flags) & int(analysis.DriverFlags.Initializer)]
            if len(drivers) < 2 or _tristate(drivers) or _ram_ports(sym, drivers):
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


def _inout_names(body: object) -> set[str]:
    ports = getattr(body.symbol, "portList", None) or []  # type: ignore[attr-defined]
    return {p.name for p in ports if str(getattr(p, "direction", "")).endswith("InOut")}


def _tristate(drivers: list) -> bool:
    """Continuous assigns that release the net (``assign pad = oe ? out : 1'bz``): a tri-state bus."""
    for d in drivers:
        cs = d.containingSymbol
        if cs is not None and cs.kind == ast.SymbolKind.ContinuousAssign and cs.syntax is not None:
            if _HIGH_Z.search(str(cs.syntax)):
                return True
    return False


def _ram_ports(sym: object, drivers: list) -> bool:
    """A memory (unpacked array) written from several clocked processes: the ports of a multi-port RAM, the
    pattern FPGA block-RAM inference asks for."""
    if not sym.type.isUnpackedArray:  # type: ignore[attr-defined]
        return False
    for d in drivers:
        cs = d.containingSymbol
        if cs is None or cs.kind != ast.SymbolKind.ProceduralBlock or _kind(cs) != "seq":
            return False
    return True


def _kind(proc: object) -> str | None:
    from .procedural import classify

    return classify(proc)[0]  # type: ignore[arg-type]


def inactive_names(design: object, bodies: list) -> set[tuple[str, str]]:
    """(file, identifier) pairs named in generate code these parameters leave out (an ``if`` not taken, a loop
    that runs 0 times with a library module's default parameters): other parameters may drive them there."""
    names: set[tuple[str, str]] = set()
    for b in bodies:
        if b.inactive:
            path = design.where(b.symbol.location)[0]  # type: ignore[attr-defined]
            for text in b.inactive:
                names |= {(path, n) for n in _WORD.findall(blank_comments_and_strings(text))}
    return names


def map_slang(design: object, emit: Emit, exempt: set[tuple[str, str]], blind: bool = False,
              inactive: set[tuple[str, str]] = frozenset()) -> None:  # type: ignore[assignment]
    """slang's unused/undriven/implicit-net findings as ours. ``blind``: the design names a package or
    interface no file defines, so types and drivers are unknown: nothing is called undriven; nor is a signal
    named in ``inactive`` generate code."""
    late = {(design.where(d.location)[0], str(d.args[0]))  # type: ignore[attr-defined]
            for d in design.diagnostics  # type: ignore[attr-defined]
            if str(d.code) == "DiagCode(UsedBeforeDeclared)" and d.args}
    for diag in design.analysis_diagnostics + design.diagnostics:  # type: ignore[attr-defined]
        code = SLANG_CODES.get(str(diag.code).removeprefix("DiagCode(").rstrip(")"))
        if code is None or (blind and code == "undriven"):
            continue
        msg = design.message(diag)  # type: ignore[attr-defined]
        quoted = re.findall(r"'([^']+)'", msg)
        path = design.where(diag.location)[0]  # type: ignore[attr-defined]
        if code != "implicit-net" and quoted and (path, quoted[-1]) in exempt:
            continue
        if code == "undriven" and quoted and (path, quoted[-1]) in inactive:
            continue
        if code == "unused" and quoted and (_UNUSED_NAME.search(quoted[-1]) or (path, quoted[-1]) in late):
            continue  # named "unused" on purpose (Verilator's default -unused-regexp), or read before declared
        if str(diag.code) == "DiagCode(UnusedPort)" and quoted:  # slang: "unused port signal 'x'"
            msg = f"input port '{quoted[-1]}' is never read"
        emit(code, diag.location, msg)
