"""Port lists of a module (pyslang, elaborated with default parameters) and clock/reset detection.

A differential testbench drives the reference and the candidate through the same ports, so both port
lists must agree on name, direction and width; the clock and reset need special stimulus, so we find them
by name and by how the reference uses them (edge sensitivity, the polarity its ``if`` tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import blank_comments_and_strings

_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CLOCK_NAME = re.compile(r"^(clk|clock|clk_?i|i_?clk|sys_?clk|clk_?in|aclk|hclk|pclk|[a-z]*_clk|clk_[a-z0-9]+)$", re.I)
_RESET_NAME = re.compile(r"^(a?s?rst|a?s?reset|a?r|rst_?n|rst_?b|rstn|resetn|reset_?n|reset_?b|a?resetn|"
                         r"n_?rst|n_?reset|rst_?ni|rst_?i|reset_?i|i_?rst|i_?reset|i_?rst_?n|clr|clear|areset_?n)$",
                         re.I)
_LOW_NAME = re.compile(r"(_n|_b|_l|n|_ni)$|^n_?", re.I)


class PortError(ValueError):
    """The module's ports cannot be read (parse error, missing module, unsupported port kind)."""


@dataclass(frozen=True)
class Port:
    name: str
    direction: str  # "input" | "output" | "inout"
    width: int
    signed: bool = False

    def describe(self) -> str:
        rng = f"[{self.width - 1}:0] " if self.width > 1 else ""
        return f"{self.direction} {'signed ' if self.signed else ''}{rng}{self.name}"


@dataclass(frozen=True)
class Timing:
    """How the testbench must drive the design: which input is the clock and which the reset."""

    clock: str | None = None
    clock_edge: str = "posedge"  # edge the reference is sensitive to ("both" for dual-edge designs)
    reset: str | None = None
    reset_active_low: bool = False
    reset_async: bool = False

    @property
    def sequential(self) -> bool:
        return self.clock is not None


_DIRS = {"In": "input", "Out": "output", "InOut": "inout", "Ref": "ref"}


def module_ports(code: str, top: str, filename: str = "design.v") -> list[Port]:
    """Ports of module ``top`` in ``code``, widths elaborated with the module's default parameters."""
    import pyslang
    from pyslang import ast, syntax

    tree = syntax.SyntaxTree.fromText(code, filename)
    opts = ast.CompilationOptions()
    opts.topModules = {top}
    comp = ast.Compilation(pyslang.Bag([opts]))
    comp.addSyntaxTree(tree)
    inst = next((i for i in comp.getRoot().topInstances if i.body.definition.name == top), None)
    if inst is None:
        raise PortError(f"module '{top}' not found")
    ports: list[Port] = []
    for p in inst.body.portList:
        if p.kind != ast.SymbolKind.Port:
            raise PortError(f"module '{top}': port kind {p.kind.name} (interface or multiport) is not supported")
        if not p.name or not _SIMPLE_NAME.match(p.name):
            raise PortError(f"module '{top}': port name {p.name!r} is not a simple identifier")
        t = p.type
        if t.isUnpackedArray or not t.isIntegral:
            raise PortError(f"module '{top}': port '{p.name}' has type {t}, only packed (bit-vector) ports are supported")
        width = int(t.bitWidth)
        if width <= 0:
            raise PortError(f"module '{top}': port '{p.name}' has no width")
        ports.append(Port(p.name, _DIRS.get(p.direction.name, p.direction.name.lower()), width, bool(t.isSigned)))
    return ports


def compare_ports(ref: list[Port], cand: list[Port], top: str) -> str | None:
    """None when the candidate's ports match the reference's (name, direction, width), else one line why."""
    want = {p.name: p for p in ref}
    have = {p.name: p for p in cand}
    missing = [n for n in want if n not in have]
    extra = [n for n in have if n not in want]
    problems: list[str] = []
    if missing:
        problems.append("missing port" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    if extra:
        problems.append("unexpected port" + ("s " if len(extra) > 1 else " ") + ", ".join(extra))
    for name, r in want.items():
        c = have.get(name)
        if c is None:
            continue
        if c.direction != r.direction:
            problems.append(f"port '{name}' is {c.direction}, the reference has {r.direction}")
        elif c.width != r.width:
            problems.append(f"port '{name}' is {c.width} bits wide, the reference has {r.width}")
    if not problems:
        return None
    return f"ports of module '{top}' differ from the reference: " + "; ".join(problems)


def detect_timing(code: str, ports: list[Port]) -> Timing:
    """Clock and reset of the reference: names plus behaviour (edges it waits on, polarity it tests)."""
    text = blank_comments_and_strings(code)
    inputs = [p for p in ports if p.direction == "input" and p.width == 1]
    names = {p.name for p in inputs}
    edges: dict[str, set[str]] = {}
    for m in re.finditer(r"\b(posedge|negedge)\s+([A-Za-z_][A-Za-z0-9_$]*)", text):
        if m.group(2) in names:
            edges.setdefault(m.group(2), set()).add(m.group(1))
    counts = {n: len(re.findall(rf"\b(?:posedge|negedge)\s+{re.escape(n)}\b", text)) for n in edges}

    clock = next((p.name for p in inputs if _CLOCK_NAME.match(p.name)), None)
    reset_like = {p.name for p in inputs if _RESET_NAME.match(p.name)}
    if clock is None and edges:
        # the most-waited-on edge signal that does not look like a reset
        ranked = sorted((n for n in edges if n not in reset_like), key=lambda n: -counts[n])
        clock = ranked[0] if ranked else None
    if clock is None and edges:
        clock = max(edges, key=lambda n: counts[n])
    edge = "posedge"
    if clock in edges:
        e = edges[clock]
        edge = "both" if len(e) == 2 else next(iter(e))

    reset = None
    candidates = [n for n in reset_like if n != clock]
    async_resets = [n for n in edges if n != clock]
    if async_resets:
        reset = next((n for n in async_resets if n in reset_like), async_resets[0])
    elif candidates:
        # prefer names that look most like a reset
        order = ("reset", "rst", "areset", "resetn", "rst_n", "aresetn", "reset_n")
        candidates.sort(key=lambda n: (order.index(n.lower()) if n.lower() in order else len(order), n))
        reset = candidates[0]
    if reset is None:
        return Timing(clock=clock, clock_edge=edge)
    is_async = reset in edges and clock is not None
    low = _reset_polarity_low(text, reset, edges.get(reset))
    return Timing(clock=clock, clock_edge=edge, reset=reset, reset_active_low=low, reset_async=is_async)


def _reset_polarity_low(text: str, reset: str, edge: set[str] | None) -> bool:
    """Active-low when the reference waits on its negedge or tests ``!rst`` / ``rst == 0``; else by name."""
    if edge and len(edge) == 1:
        return "negedge" in edge
    r = re.escape(reset)
    low = len(re.findall(rf"(?:!|~)\s*{r}\b|\b{r}\s*===?\s*(?:1'b)?0\b|\b{r}\s*!==?\s*(?:1'b)?1\b", text))
    high = len(re.findall(rf"\bif\s*\(\s*{r}\s*\)|\b{r}\s*===?\s*(?:1'b)?1\b|\b{r}\s*\?", text))
    if low != high:
        return low > high
    return bool(_LOW_NAME.search(reset)) and reset.lower() not in ("reset", "rst", "areset", "clr", "clear")
