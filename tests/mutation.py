"""Single-site mutants of a Verilog module, for measuring how many bugs a testbench catches.

Operators (arithmetic, bitwise, logical, relational, equality), constants, bit indices, clock edges and
reset branches. Sites are found outside comments and strings and after the module header, so port lists stay
as they are (a changed port is a compile-time finding, not a test of the stimulus).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from verilog_sim.source.extract import blank_comments_and_strings


@dataclass(frozen=True)
class Mutant:
    kind: str  # operator | constant | index | edge | reset
    offset: int
    before: str
    after: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.kind}@{self.offset}: {self.before!r} -> {self.after!r}"


# (pattern, replacement) for binary operators; lookarounds keep compound tokens (<=, &&, ===, <<) whole.
_OPERATORS: list[tuple[str, str, str]] = [
    (r"(?<![+])\+(?![+:=])", "+", "-"),
    (r"(?<![-])-(?![-:>=])", "-", "+"),
    (r"(?<![&])&(?![&=])", "&", "|"),
    (r"(?<![|])\|(?![|=])", "|", "&"),
    (r"(?<![~^])\^(?![~=])", "^", "&"),
    (r"&&", "&&", "||"),
    (r"\|\|", "||", "&&"),
    (r"(?<![=!<>])==(?!=)", "==", "!="),
    (r"!=(?!=)", "!=", "=="),
    (r"(?<![<])<(?![<=])", "<", ">"),
    (r"(?<![>-])>(?![>=])", ">", "<"),
    (r">=", ">=", ">"),
    (r"<<(?!=)", "<<", ">>"),
    (r">>(?!=)", ">>", "<<"),
    (r"(?<![!=~])!(?![=])", "!", ""),
    (r"(?<![~^])~(?![&|^])", "~", ""),
]
_DEC = re.compile(r"(?<![\w'$.])(\d+)(?![\w'.])")
_SIZED = re.compile(r"(\d*)'([sS]?)([bBhHdD])([0-9a-fA-F_xXzZ]+)")
_INDEX = re.compile(r"\[\s*(\d+)\s*\]")
_EDGE = re.compile(r"\b(posedge|negedge)\b")
_RESET_IF = re.compile(r"\bif\s*\(\s*(!|~)?\s*(a?s?reset|a?rst|resetn|aresetn|reset_n|rst_n|areset|ar|r)\s*\)")


def _body_start(clean: str) -> int:
    """Offset just past the first module header (``module … ;``)."""
    m = re.search(r"\bmodule\b", clean)
    if not m:
        return 0
    depth = 0
    for i in range(m.end(), len(clean)):
        ch = clean[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ";" and depth == 0:
            return i + 1
    return len(clean)


def _excluded_ranges(clean: str) -> list[tuple[int, int]]:
    """Declaration ranges ``[a:b]`` in declarations and widths of parameters: not worth mutating."""
    out = []
    for m in re.finditer(r"\b(?:reg|wire|logic|input|output|integer|bit|parameter|localparam|genvar)\b[^;]*;", clean):
        out.append((m.start(), m.end()))
    return out


def _flip_sized(m: re.Match[str], rng: random.Random) -> str | None:
    size, signed, base, digits = m.groups()
    digs = digits.replace("_", "")
    if any(c in "xXzZ" for c in digs):
        return None
    b = base.lower()
    radix = {"b": 2, "h": 16, "d": 10}[b]
    value = int(digs, radix)
    width = int(size) if size else max(1, value.bit_length())
    bit = rng.randrange(width)
    new = value ^ (1 << bit)
    if b == "b":
        text = format(new, "b").zfill(len(digs))
    elif b == "h":
        text = format(new, "x").zfill(len(digs))
    else:
        text = str(new)
    return f"{size}'{signed}{base}{text}"


def mutants(code: str, seed: int = 0) -> list[Mutant]:
    """Every single-site mutant of ``code`` (deterministic for a seed), in source order."""
    rng = random.Random(seed)
    clean = blank_comments_and_strings(code)
    start = _body_start(clean)
    decls = _excluded_ranges(clean)

    def in_decl(pos: int) -> bool:
        return any(a <= pos < b for a, b in decls)

    found: list[Mutant] = []

    def add(kind: str, a: int, b: int, new: str) -> None:
        old = code[a:b]
        if new == old:
            return
        found.append(Mutant(kind, a, old, new, code[:a] + new + code[b:]))

    for pattern, _old, new in _OPERATORS:
        for m in re.finditer(pattern, clean):
            if m.start() < start:
                continue
            # '<' of a non-blocking assignment and '-' of a negative literal in a range are skipped by the
            # lookarounds; ignore operators inside declarations (widths) as well
            if in_decl(m.start()) and not re.search(r"=", clean[clean.rfind(";", 0, m.start()) + 1:m.start()]):
                continue
            add("operator", m.start(), m.end(), new)
    for m in _SIZED.finditer(clean):
        if m.start() >= start:
            new = _flip_sized(m, rng)
            if new:
                add("constant", m.start(), m.end(), new)
    for m in _DEC.finditer(clean):
        if m.start() < start or in_decl(m.start()):
            continue
        if clean[m.end():m.end() + 1] == "'":
            continue
        v = int(m.group(1))
        add("constant", m.start(1), m.end(1), str(v + 1 if v == 0 or rng.random() < 0.5 else v - 1))
    for m in _INDEX.finditer(clean):
        if m.start() < start or in_decl(m.start()):
            continue
        v = int(m.group(1))
        add("index", m.start(1), m.end(1), str(v + 1 if v == 0 else v - 1))
    for m in _EDGE.finditer(clean):
        if m.start() >= start:
            add("edge", m.start(), m.end(), "negedge" if m.group(1) == "posedge" else "posedge")
    for m in _RESET_IF.finditer(clean):
        if m.start() < start:
            continue
        inner = m.group(0)
        new = re.sub(r"\(\s*(!|~)?\s*", "(" + ("" if m.group(1) else "!"), inner, count=1)
        add("reset", m.start(), m.end(), new)
    found.sort(key=lambda x: x.offset)
    return found


def sample(code: str, k: int, seed: int = 0) -> list[Mutant]:
    """Up to ``k`` mutants spread over the kinds (round robin over kinds, random within a kind)."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Mutant]] = {}
    for m in mutants(code, seed):
        by_kind.setdefault(m.kind, []).append(m)
    for v in by_kind.values():
        rng.shuffle(v)
    out: list[Mutant] = []
    kinds = sorted(by_kind)
    while len(out) < k and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(out) < k:
                out.append(by_kind[kind].pop())
    return out
