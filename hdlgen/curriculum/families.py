"""Parameterised problem families: each draws parameters, names and a phrasing, and returns the spec, the
module header and the reference body.

A family is a function ``rng -> Design``. ``Design.key`` holds the structural parameters (operation, width,
direction, reset kind...) that decide the train/held-out split; names and phrasing are not part of it, so a
held-out combination never appears in training under any name. Every reference is plain Verilog-2001.
"""

from __future__ import annotations

import contextvars
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DIFFICULTY = ("easy", "medium", "hard")

_MODULE_WORDS = ("unit", "blk", "core", "cell", "node", "lane", "gate", "path", "stage", "slice", "box", "dut")
_IN_NAMES = ("a", "b", "c", "x", "w", "p", "u", "v", "m", "n", "in0", "in1", "lhs", "rhs", "da", "db", "op_a",
             "op_b", "src", "val")
_OUT_NAMES = ("y", "z", "o", "f", "r", "out", "res", "dout", "result", "q_out")


@dataclass(frozen=True)
class Design:
    """One drawn problem: what to ask for, the header the answer must use and the reference body."""

    family: str
    difficulty: str
    key: tuple[Any, ...]  # structural parameters: the split is decided on (family, key)
    params: dict[str, Any]
    top: str
    spec: str  # natural-language description (without the header)
    header: str  # "module NAME(...);"
    body: str  # what follows the header, up to (not including) endmodule
    ports: tuple[tuple[str, str, int], ...] = field(default=())  # (direction, name, width)

    @property
    def reference(self) -> str:
        return f"{self.header}\n{self.body}endmodule\n"


NAMING = contextvars.ContextVar("NAMING", default="random")  # "plain": the first name of every pool


def _rng_names(rng: random.Random, pool: tuple[str, ...], k: int, taken: set[str]) -> list[str]:
    free = [n for n in pool if n not in taken]
    names = free[:k] if NAMING.get() == "plain" else rng.sample(free, k)
    taken.update(names)
    return names


def _name(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[0] if NAMING.get() == "plain" else rng.choice(options)


def _module_name(rng: random.Random, stem: str) -> str:
    return f"{stem}_{rng.choice(_MODULE_WORDS)}{rng.randint(0, 99)}"


def _rng_txt(w: int) -> str:
    return "" if w == 1 else f"[{w - 1}:0] "


def _header(top: str, ports: list[tuple[str, str, int]]) -> str:
    parts = []
    for direction, name, width in ports:
        kind = {"in": "input", "out": "output", "reg": "output reg"}[direction]
        parts.append(f"{kind} {_rng_txt(width)}{name}")
    return f"module {top}({', '.join(parts)});"


def _bits(w: int) -> str:
    return f"{w}-bit"


def _a(phrase: str) -> str:
    """'a' or 'an' before a phrase that starts with a number or a word."""
    return ("an " if phrase[:1] in "aeiou8" or phrase.startswith(("11-", "18-")) else "a ") + phrase


def _make(family: str, difficulty: str, key: tuple[Any, ...], params: dict[str, Any], top: str, spec: str,
          ports: list[tuple[str, str, int]], body: str) -> Design:
    return Design(family=family, difficulty=difficulty, key=key, params=params, top=top, spec=spec,
                  header=_header(top, ports), body=body,
                  ports=tuple((("in" if d == "in" else "out"), n, w) for d, n, w in ports))


# ---------------------------------------------------------------- combinational

_BITWISE = {"and": ("&", "AND"), "or": ("|", "OR"), "xor": ("^", "XOR"), "nand": ("&", "NAND"),
            "nor": ("|", "NOR"), "xnor": ("^", "XNOR")}


def bitwise(rng: random.Random) -> Design:
    """And/or/xor/nand/nor/xnor of two vectors; split on (op, width)."""
    op = rng.choice(sorted(_BITWISE))
    w = rng.randint(1, 12)
    a, b = _rng_names(rng, _IN_NAMES, 2, set())
    (y,) = _rng_names(rng, _OUT_NAMES, 1, {a, b})
    sym, word = _BITWISE[op]
    expr = f"{a} {sym} {b}" if op in ("and", "or", "xor") else f"~({a} {sym} {b})"
    spec = rng.choice([
        f"Output {y} is the bitwise {word} of the {_bits(w)} inputs {a} and {b}.",
        f"Compute {y} as {a} {word} {b}, bit by bit, on {w} bits.",
        f"A combinational {word} of two {_bits(w)} vectors: {y} = {a} {word} {b}.",
        f"Each bit of {y} is the {word} of the matching bits of {a} and {b} (width {w}).",
    ])
    return _make("bitwise", "easy", (op, w), {"op": op, "width": w}, _module_name(rng, op), spec,
                 [("in", a, w), ("in", b, w), ("out", y, w)], f"  assign {y} = {expr};\n")


_ARITH = {"add": ("+", "sum", "modulo 2^{w} (the carry is dropped)"),
          "sub": ("-", "difference", "modulo 2^{w} (wrapping around below zero)"),
          "addc": ("+", "sum", "with the carry as the extra top bit")}


def arith(rng: random.Random) -> Design:
    """Unsigned add, subtract, add with carry out; split on (op, width)."""
    op = rng.choice(sorted(_ARITH))
    w = rng.randint(2, 10)
    a, b = _rng_names(rng, _IN_NAMES, 2, set())
    (y,) = _rng_names(rng, _OUT_NAMES, 1, {a, b})
    sym, noun, how = _ARITH[op]
    ow = w + 1 if op == "addc" else w
    how = how.format(w=w)
    spec = rng.choice([
        f"Output {y} is the {noun} {a} {sym} {b} of the unsigned {_bits(w)} inputs, {how}.",
        f"An unsigned {w}-bit {'adder' if sym == '+' else 'subtractor'}: {y} = {a} {sym} {b}, {how}.",
        f"Combinational logic that drives {y} with {a} {sym} {b} ({_bits(w)} unsigned operands, {how}).",
    ])
    return _make("arith", "medium", (op, w), {"op": op, "width": w}, _module_name(rng, op), spec,
                 [("in", a, w), ("in", b, w), ("out", y, ow)], f"  assign {y} = {a} {sym} {b};\n")


_COMPARE = {"eq": ("==", "equal to"), "ne": ("!=", "not equal to"), "lt": ("<", "less than"),
            "gt": (">", "greater than"), "le": ("<=", "less than or equal to"), "ge": (">=", "greater than or equal to")}


def compare(rng: random.Random) -> Design:
    """Unsigned ==, !=, <, >, <=, >=; split on (op, width)."""
    op = rng.choice(sorted(_COMPARE))
    w = rng.randint(2, 12)
    a, b = _rng_names(rng, _IN_NAMES, 2, set())
    (y,) = _rng_names(rng, _OUT_NAMES, 1, {a, b})
    sym, words = _COMPARE[op]
    spec = rng.choice([
        f"Output {y} is 1 when the unsigned {_bits(w)} input {a} is {words} {b}, else 0.",
        f"{_a(f'{w}-bit').capitalize()} unsigned comparator: {y} is high exactly when {a} is {words} {b}.",
        f"Set {y} to 1 if {a} {sym} {b} (both unsigned, {w} bits wide), otherwise 0.",
    ])
    return _make("compare", "easy", (op, w), {"op": op, "width": w}, _module_name(rng, "cmp"), spec,
                 [("in", a, w), ("in", b, w), ("out", y, 1)], f"  assign {y} = ({a} {sym} {b});\n")


def mux(rng: random.Random) -> Design:
    """2:1 and 4:1 multiplexers; split on (ways, width)."""
    ways = rng.choice([2, 4])
    w = rng.randint(1, 8)
    ins = _rng_names(rng, _IN_NAMES, ways, set())
    s = _name(rng, ("s", "sel", "select"))
    (y,) = _rng_names(rng, _OUT_NAMES, 1, set(ins) | {s})
    sw = 1 if ways == 2 else 2
    listing = ", ".join(f"{n} when {s} = {i}" for i, n in enumerate(ins))
    spec = rng.choice([
        f"A {ways}-to-1 multiplexer of {_bits(w)} inputs: {y} is {listing}.",
        f"Select one of {ways} {_bits(w)} inputs onto {y} with {s}: {listing}.",
        f"Drive {y} from the input chosen by {s} ({listing}); all data is {_bits(w)}.",
    ])
    if ways == 2:
        body = f"  assign {y} = {s} ? {ins[1]} : {ins[0]};\n"
    else:
        body = (f"  assign {y} = {s}[1] ? ({s}[0] ? {ins[3]} : {ins[2]}) : ({s}[0] ? {ins[1]} : {ins[0]});\n")
    return _make("mux", "easy" if ways == 2 else "medium", (ways, w), {"ways": ways, "width": w},
                 _module_name(rng, f"mux{ways}"), spec, [*[("in", n, w) for n in ins], ("in", s, sw), ("out", y, w)],
                 body)


def parity(rng: random.Random) -> Design:
    """Even/odd parity of a vector; split on (kind, width)."""
    kind = rng.choice(["even", "odd"])
    w = rng.randint(2, 16)
    (d,) = _rng_names(rng, _IN_NAMES, 1, set())
    (p,) = _rng_names(rng, _OUT_NAMES, 1, {d})
    if kind == "even":
        spec = rng.choice([
            f"Output {p} is the even parity bit of the {_bits(w)} input {d}: 1 when {d} has an odd number of ones.",
            f"{p} is the XOR of all {w} bits of {d} (even parity).",
        ])
        body = f"  assign {p} = ^{d};\n"
    else:
        spec = rng.choice([
            f"Output {p} is the odd parity bit of the {_bits(w)} input {d}: 1 when {d} has an even number of ones.",
            f"{p} is the XNOR of all {w} bits of {d} (odd parity).",
        ])
        body = f"  assign {p} = ~^{d};\n"
    return _make("parity", "easy", (kind, w), {"kind": kind, "width": w}, _module_name(rng, "par"), spec,
                 [("in", d, w), ("out", p, 1)], body)


def decoder(rng: random.Random) -> Design:
    """One-hot (or one-cold) decoders, with or without enable; split on (bits, enable, active level)."""
    n = rng.choice([1, 2, 3, 4])
    enable = rng.choice([False, True])
    level = rng.choice(["high", "low"])
    (a,) = _rng_names(rng, _IN_NAMES, 1, set())
    (y,) = _rng_names(rng, _OUT_NAMES, 1, {a})
    m = 1 << n
    ports = [("in", a, n)]
    if enable:
        ports.append(("in", "en", 1))
    ports.append(("out", y, m))
    on, off = ("1", "0") if level == "high" else ("0", "1")
    kind = "one-hot" if level == "high" else "one-cold (active-low)"
    en_txt = f" When en is 0 every bit of {y} is {off}." if enable else ""
    spec = rng.choice([
        f"A {n}-to-{m} {kind} decoder: bit {a} of {y} is {on} and every other bit is {off}.{en_txt}",
        f"Decode the {_bits(n)} input {a} into the {m}-bit {kind} output {y} ({y}[{a}] = {on}, the rest "
        f"{off}).{en_txt}",
    ])
    one = f"{m}'b1 << {a}" if level == "high" else f"~({m}'b1 << {a})"
    idle = f"{m}'b0" if level == "high" else f"{{{m}{{1'b1}}}}"
    body = f"  assign {y} = en ? {one} : {idle};\n" if enable else f"  assign {y} = {one};\n"
    return _make("decoder", "medium", (n, enable, level), {"bits": n, "enable": enable, "level": level},
                 _module_name(rng, "dec"), spec, ports, body)


def encoder(rng: random.Random) -> Design:
    """Priority encoders (highest or lowest set bit), with or without valid; split on (priority, width, valid)."""
    w = rng.choice([2, 4, 8, 16])
    pri = rng.choice(["high", "low"])
    with_valid = rng.choice([False, True])
    (d,) = _rng_names(rng, _IN_NAMES, 1, set())
    (y,) = _rng_names(rng, _OUT_NAMES, 1, {d})
    yw = max(1, (w - 1).bit_length())
    which = "highest" if pri == "high" else "lowest"
    if with_valid:
        spec = rng.choice([
            f"{_a(f'{w}-bit').capitalize()} priority encoder: {y} is the index of the {which} set bit of {d} and "
            f"valid is 1 when any bit is set; when {d} is 0, {y} and valid are 0.",
            f"Output {y} gives the position of the {which} 1 in the {_bits(w)} input {d}; valid says {d} is not "
            f"zero (both 0 when {d} is 0).",
        ])
    else:
        spec = rng.choice([
            f"{_a(f'{w}-bit').capitalize()} priority encoder: {y} is the index of the {which} set bit of {d}, "
            f"or 0 when {d} is 0.",
            f"Output {y} gives the position of the {which} 1 in the {_bits(w)} input {d} (0 when there is none).",
        ])
    loop = f"i = 0; i < {w}; i = i + 1" if pri == "high" else f"i = {w - 1}; i >= 0; i = i - 1"
    v0, v1 = ("    valid = 0;\n", "        valid = 1;\n") if with_valid else ("", "")
    hit = f"begin\n        {y} = i;\n{v1}      end\n" if with_valid else f"{y} = i;\n"
    body = (f"  integer i;\n  always @(*) begin\n    {y} = 0;\n{v0}"
            f"    for ({loop})\n      if ({d}[i]) {hit}  end\n")
    ports = [("in", d, w), ("reg", y, yw)] + ([("reg", "valid", 1)] if with_valid else [])
    return _make("encoder", "medium", (pri, w, with_valid), {"priority": pri, "width": w, "valid": with_valid},
                 _module_name(rng, "penc"), spec, ports, body)


# ---------------------------------------------------------------- sequential

_RESET_NAMES = {"high": ("rst", "reset"), "low": ("rst_n", "resetn")}


def _reset(rng: random.Random, kind: str, pol: str, clk: str) -> tuple[str, str, str, str]:
    """(reset name, sensitivity list, reset test, phrase)."""
    rst = _name(rng, _RESET_NAMES[pol])
    cond = rst if pol == "high" else f"!{rst}"
    if kind == "async":
        sens = f"posedge {clk} or {'posedge' if pol == 'high' else 'negedge'} {rst}"
    else:
        sens = f"posedge {clk}"
    phrase = (f"{'an asynchronous' if kind == 'async' else 'a synchronous'} active-{pol} reset {rst}")
    return rst, sens, cond, phrase


def counter(rng: random.Random) -> Design:
    """Up/down counters, enable, sync/async reset, active high/low; split on all five."""
    w = rng.randint(2, 8)
    up = rng.choice(["up", "down"])
    enable = rng.choice([False, True])
    kind = rng.choice(["sync", "async"])
    pol = rng.choice(["high", "low"])
    clk = "clk"
    rst, sens, cond, rphrase = _reset(rng, kind, pol, clk)
    (q,) = _rng_names(rng, ("q", "count", "cnt", "value"), 1, set())
    step = f"{q} + 1" if up == "up" else f"{q} - 1"
    en_txt = " when en is 1 (it holds its value when en is 0)" if enable else " on every clock cycle"
    spec = rng.choice([
        f"{_a(f'{w}-bit').capitalize()} {up} counter {q} that changes on the rising edge of {clk}{en_txt}, with {rphrase} to 0; "
        f"it wraps around.",
        f"Count {up} by one{en_txt}: {q} is {w} bits wide, clocked on the rising edge of {clk}, wrapping; "
        f"{rphrase} clears it.",
    ])
    ports = [("in", clk, 1), ("in", rst, 1)] + ([("in", "en", 1)] if enable else []) + [("reg", q, w)]
    nxt = f"    else if (en) {q} <= {step};\n" if enable else f"    else {q} <= {step};\n"
    body = f"  always @({sens})\n    if ({cond}) {q} <= 0;\n{nxt}"
    return _make("counter", "medium", (w, up, enable, kind, pol),
                 {"width": w, "direction": up, "enable": enable, "reset": kind, "polarity": pol},
                 _module_name(rng, "cnt"), spec, ports, body)


def shift(rng: random.Random) -> Design:
    """Shift registers left/right with serial input, enable; split on (width, direction, enable)."""
    w = rng.randint(2, 8)
    left = rng.choice(["left", "right"])
    enable = rng.choice([False, True])
    clk = "clk"
    rst, sens, cond, rphrase = _reset(rng, "sync", "high", clk)
    d = _name(rng, ("d", "din", "sin"))
    q = _name(rng, ("q", "sr", "data"))
    en_txt = " when en is 1" if enable else " every cycle"
    where = "into bit 0 (shifting towards the top bit)" if left == "left" else f"into bit {w - 1} (shifting towards bit 0)"
    spec = rng.choice([
        f"{_a(f'{w}-bit').capitalize()} shift register {q}: on each rising edge of {clk}{en_txt}, "
        f"shift {left} and take the serial input "
        f"{d} {where}; {rphrase} clears it.",
        f"Shift {q} ({w} bits) one place {left}{en_txt} on the rising clock edge, with {d} entering {where}; "
        f"{rst} (synchronous, active high) sets it to 0.",
    ])
    val = f"{{{q}[{w - 2}:0], {d}}}" if left == "left" else f"{{{d}, {q}[{w - 1}:1]}}"
    ports = [("in", clk, 1), ("in", rst, 1)] + ([("in", "en", 1)] if enable else []) + [("in", d, 1), ("reg", q, w)]
    nxt = f"    else if (en) {q} <= {val};\n" if enable else f"    else {q} <= {val};\n"
    body = f"  always @({sens})\n    if ({cond}) {q} <= 0;\n{nxt}"
    return _make("shift", "medium", (w, left, enable), {"width": w, "direction": left, "enable": enable},
                 _module_name(rng, "shr"), spec, ports, body)


_EDGES = {"rise": ("rising", "{x} & ~prev"), "fall": ("falling", "~{x} & prev"), "any": ("any", "{x} ^ prev")}


def edge(rng: random.Random) -> Design:
    """Rising/falling/any edge detectors; split on (edge, reset polarity, reset kind)."""
    kind = rng.choice(sorted(_EDGES))
    pol = rng.choice(["high", "low"])
    rkind = rng.choice(["sync", "async"])
    clk = "clk"
    rst, sens, cond, rphrase = _reset(rng, rkind, pol, clk)
    x = _name(rng, ("x", "sig", "din", "a"))
    y = _name(rng, ("y", "pulse", "edge_out", "tick"))
    word, expr = _EDGES[kind]
    what = {"rise": "rises (was 0 at the previous clock edge, is 1 now)",
            "fall": "falls (was 1 at the previous clock edge, is 0 now)",
            "any": "differs from its value at the previous clock edge"}[kind]
    spec = rng.choice([
        f"An edge detector: {y} is 1 while {x} {what}. The previous value is sampled on the rising edge of "
        f"{clk}; {rphrase} clears it to 0.",
        f"Detect {word} edges of {x}: keep the value of {x} from the last rising edge of {clk} in a register "
        f"(cleared by {rphrase}); {y} is 1 when {x} {what}.",
    ])
    body = (f"  reg prev;\n  always @({sens})\n    if ({cond}) prev <= 0;\n    else prev <= {x};\n"
            f"  assign {y} = {expr.format(x=x)};\n")
    return _make("edge", "medium", (kind, pol, rkind), {"edge": kind, "polarity": pol, "reset": rkind},
                 _module_name(rng, "edge"), spec,
                 [("in", clk, 1), ("in", rst, 1), ("in", x, 1), ("out", y, 1)], body)


def fsm(rng: random.Random) -> Design:
    """Moore/Mealy machines from random state tables (2-4 states); split on the table."""
    kind = rng.choice(["moore", "mealy"])
    k = rng.choice([2, 3, 4])
    nxt = [[rng.randrange(k) for _ in range(2)] for _ in range(k)]  # nxt[state][x]
    if kind == "moore":
        out = [rng.randrange(2) for _ in range(k)]
        if len(set(out)) == 1:
            out[rng.randrange(k)] ^= 1
    else:
        out = [[rng.randrange(2) for _ in range(2)] for _ in range(k)]
        if len({v for r in out for v in r}) == 1:
            out[rng.randrange(k)][rng.randrange(2)] ^= 1
    sw = max(1, (k - 1).bit_length())
    rows = []
    for s in range(k):
        if kind == "moore":
            rows.append(f"S{s} (output {out[s]}): x=0 -> S{nxt[s][0]}, x=1 -> S{nxt[s][1]}")
        else:
            rows.append(f"S{s}: x=0 -> S{nxt[s][0]} with output {out[s][0]}, x=1 -> S{nxt[s][1]} with output "
                        f"{out[s][1]}")
    spec = (f"A {'Moore' if kind == 'moore' else 'Mealy'} state machine with input x and output y, {k} states "
            f"S0..S{k - 1}, clocked on the rising edge of clk; synchronous active-high reset rst goes to S0. "
            f"{'The output depends only on the state. ' if kind == 'moore' else 'The output depends on the state and x. '}"
            "Transitions: " + "; ".join(rows) + ".")
    lines = [f"  reg [{sw - 1}:0] state;", "  always @(posedge clk)", "    if (rst) state <= 0;",
             "    else case (state)"]
    for s in range(k):
        lines.append(f"      {s}: state <= x ? {nxt[s][1]} : {nxt[s][0]};")
    lines += ["      default: state <= 0;", "    endcase"]
    if kind == "moore":
        ones = [s for s in range(k) if out[s]]
        lines.append(f"  assign y = {' || '.join(f'state == {s}' for s in ones)};")
    else:
        terms = [f"(state == {s} && x == {xv})" for s in range(k) for xv in range(2) if out[s][xv]]
        lines.append(f"  assign y = {' || '.join(terms) if terms else '0'};")
    table = tuple(tuple(r) for r in nxt)
    outs = tuple(out) if kind == "moore" else tuple(tuple(r) for r in out)
    return _make("fsm", "hard", (kind, k, table, outs), {"kind": kind, "states": k, "next": nxt, "out": out},
                 _module_name(rng, kind), spec, [("in", "clk", 1), ("in", "rst", 1), ("in", "x", 1), ("out", "y", 1)],
                 "\n".join(lines) + "\n")


FAMILIES: dict[str, Callable[[random.Random], Design]] = {
    "bitwise": bitwise, "arith": arith, "compare": compare, "mux": mux, "parity": parity, "decoder": decoder,
    "encoder": encoder, "counter": counter, "shift": shift, "edge": edge, "fsm": fsm,
}
