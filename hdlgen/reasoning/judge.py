"""How hard is a spec? A transparent rule-based judge: features of the text, a weighted score, three levels.

Every decision comes with the features and the reasons that produced it, so a user can see why a spec got
``hard``. Any callable ``spec -> Judgement`` can replace it (a learned classifier, say); :func:`load_judge`
takes ``"rules"`` or ``"package.module:attr"``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("easy", "medium", "hard")
EASY_BELOW, HARD_FROM = 2.5, 5.5  # score thresholds

_SEQ = re.compile(r"\b(clk|clock|posedge|negedge|flip[- ]?flops?|dff|registers?|registered|counters?|counts?|"
                  r"reset|cycles?|shift[- ]register|latch(?:es|ed)?|sequential|edge[- ]triggered|timer)\b", re.I)
_COMB = re.compile(r"\b(combinational|truth table|karnaugh|k-map|multiplexer|mux|gates?|assign|decoder|encoder|"
                   r"always (?:drive|output)s?|logic (?:low|high)|boolean)\b", re.I)
_FSM = re.compile(r"\b(state machine|fsm|state transition|next[- ]state|moore|mealy|state diagram|state table|"
                  r"one-hot (?:state|fsm|encoded state))\b", re.I)
_MEM = re.compile(r"\b(memory|memories|ram|rom|fifo|lifo|stack|register file|regfile|cache|lookup table|\$readmem\w*|"
                  r"array of)\b", re.I)
_PROTO = re.compile(r"\b(uart|spi|i2c|axi[\w-]*|apb|ahb|wishbone|handshake|valid/ready|ready/valid|ps/2|"
                    r"ethernet|baud|start bit|stop bit|serial (?:protocol|communication|data|receiver|transmitter)|"
                    r"packet|arbiter|bus protocol)\b", re.I)
_ARITH = re.compile(r"\b(multipl(?:y|ier|ication)|divi(?:de|der|sion)|alu|arithmetic logic unit|opcode|floating[- ]point|"
                    r"carry[- ]lookahead|"
                    r"crc|lfsr|overflow|bcd|saturat\w*|pipelin\w*|cellular automat\w*|rule ?\d{2,3}|game of life)\b",
                    re.I)
_NEGATED = re.compile(r"\b(?:no|without|not|never|nor)\s+(?:an?\s+|any\s+|internal\s+)?(?:clock|reset|registers?|"
                      r"flip[- ]?flops?|state|latch\w*|memory)\b", re.I)
_WIDTH = re.compile(r"\((\d+)\s*bits?\)|\[(\d+)\s*:\s*(\d+)\]|\b(\d+)[- ]bits?\b", re.I)
_PORT = re.compile(r"^\s*(?:-\s*)?(input|output|inout)\b", re.I | re.M)
_STATE_LIST = re.compile(r"\bstates?\s+((?:[A-Z][A-Z0-9_]*\b(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)?)+)")
_STATE_ARROW = re.compile(r"^\s*([A-Z][A-Z0-9_]{0,11})\s*(?:\([^)\n]*\))?\s*-+[^\n>]*-+>\s*([A-Z][A-Z0-9_]{0,11})\b",
                          re.M)
_STATE_CODE_ROW = re.compile(r"^\s*([01]{2,})\s*\|", re.M)  # state-assigned tables: "000 | 000, 001 | 0"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_STATE_COUNT = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+states\b", re.I)
_S_NUM = re.compile(r"\bS(\d{1,2})\b")


@dataclass(frozen=True)
class Judgement:
    level: str  # "easy" | "medium" | "hard"
    score: float
    features: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    judge: str = "rules"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "score": round(self.score, 2), "features": self.features,
                "reasons": list(self.reasons), "judge": self.judge}


Judge = Callable[[str], Judgement]


def count_states(spec: str) -> int:
    """Distinct state names the spec enumerates (``states A, B and C``, table rows, ``S0..S5``)."""
    names: set[str] = set()
    for m in _STATE_LIST.finditer(spec):
        names.update(re.findall(r"[A-Z][A-Z0-9_]*", m.group(1)))
    for m in _STATE_ARROW.finditer(spec):
        names.update(m.groups())
    if re.search(r"\bstate\b", spec, re.I):
        names.update(f"code{m.group(1)}" for m in _STATE_CODE_ROW.finditer(spec))
    nums = {int(n) for n in _S_NUM.findall(spec)}
    if nums:
        names.update(f"S{n}" for n in range(max(nums) + 1))
    names.discard("I")
    stated = [int(n) if n.isdigit() else _NUMBERS[n.lower()] for n in _STATE_COUNT.findall(spec)]
    return max([len(names), *stated])


def features(spec: str) -> dict[str, Any]:
    negated = len(_NEGATED.findall(spec))
    spec = _NEGATED.sub(" ", spec)  # "no clock, no reset" is a combinational cue, not a sequential one
    widths = []
    for m in _WIDTH.finditer(spec):
        if m.group(1):
            widths.append(int(m.group(1)))
        elif m.group(2):
            widths.append(abs(int(m.group(2)) - int(m.group(3))) + 1)
        elif m.group(4):
            widths.append(int(m.group(4)))
    return {
        "words": len(spec.split()),
        "ports": len(_PORT.findall(spec)),
        "max_width": max(widths, default=1),
        "sequential_cues": len(_SEQ.findall(spec)),
        "combinational_cues": len(_COMB.findall(spec)) + negated,
        "fsm": bool(_FSM.search(spec)),
        "states": count_states(spec),
        "memories": sorted({m.lower() for m in _MEM.findall(spec)}),
        "protocols": sorted({m.lower() for m in _PROTO.findall(spec)}),
        "arithmetic": sorted({m.lower() for m in _ARITH.findall(spec)}),
    }


def score(f: dict[str, Any]) -> tuple[float, list[str]]:
    """Weighted sum of the features, with a reason for every term that counted."""
    s, why = 0.0, []

    def add(points: float, reason: str) -> None:
        nonlocal s
        s += points
        why.append(f"{points:+.1f} {reason}")

    sequential = f["sequential_cues"] > 0
    if sequential:
        add(2.0, f"sequential ({f['sequential_cues']} cues: clock/reset/registers/counters)")
    elif f["combinational_cues"]:
        add(-0.5, "combinational only")
    if f["fsm"] or f["states"] >= 3:
        add(2.0, "state machine")
    if f["states"] > 2:
        add(min(0.5 * (f["states"] - 2), 3.0), f"{f['states']} states")
    if f["memories"]:
        add(1.5, "memory: " + ", ".join(f["memories"]))
    if f["protocols"]:
        add(2.0, "protocol: " + ", ".join(f["protocols"]))
    if f["arithmetic"]:
        add(min(1.0 * len(f["arithmetic"]), 2.0), "arithmetic: " + ", ".join(f["arithmetic"]))
    if f["max_width"] > 16:
        add(0.5, f"wide data ({f['max_width']} bits)")
    if f["ports"] > 5:
        add(min(0.25 * (f["ports"] - 5), 1.5), f"{f['ports']} ports")
    if f["words"] > 80:
        add(min((f["words"] - 80) / 80, 3.0), f"long spec ({f['words']} words)")
    return s, why


def level_of(points: float) -> str:
    return "easy" if points < EASY_BELOW else "medium" if points < HARD_FROM else "hard"


def judge(spec: str) -> Judgement:
    """The default, rule-based judge."""
    f = features(spec)
    points, why = score(f)
    return Judgement(level_of(points), points, f, tuple(why))


def load_judge(name: str | None) -> Judge:
    """``"rules"`` (default) or ``"pkg.module:attr"`` naming any callable ``spec -> Judgement``."""
    if not name or name == "rules":
        return judge
    if ":" not in name:
        raise ValueError(f"judge must be 'rules' or 'package.module:callable', got {name!r}")
    mod, attr = name.split(":", 1)
    fn = getattr(importlib.import_module(mod), attr)
    if not callable(fn):
        raise ValueError(f"{name} is not callable")
    return fn
