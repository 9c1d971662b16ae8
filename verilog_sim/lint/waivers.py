"""Inline waivers, read from comments in the source text.

Forms (``//`` or ``/* */`` comments; CODE is a rule code, a comma list of codes, or ``all``)::

    x = y;  // hdlgen-lint: disable=width-trunc -- a reason may follow the codes
    // hdlgen-lint: disable=unused                   alone on its line: waives this line and the next one
    // hdlgen-lint: disable-start=latch              waives every line up to the matching
    ...                                              // hdlgen-lint: disable-end=latch (or end of file)

Verilator's own ``// verilator lint_off CODE`` / ``lint_on`` regions waive the matching rules too
(``VERILATOR_CODES``), so code already clean under Verilator's waivers stays clean here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WAIVER = re.compile(r"(//|/\*)\s*hdlgen-lint:\s*(disable|disable-start|disable-end)\s*=\s*"
                     r"([\w\-]+(?:\s*,\s*[\w\-]+)*)")  # text after the codes is a free-form reason


@dataclass
class Waivers:
    """Line -> waived codes; ``'all'`` waives every code."""

    lines: dict[int, set[str]] = field(default_factory=dict)

    def waived(self, line: int, code: str) -> bool:
        codes = self.lines.get(line)
        return bool(codes) and (code in codes or "all" in codes)


# Verilator's lint_off/lint_on comments, read as waivers of the rules that match its warning codes.
_VERILATOR = re.compile(r"(?://|/\*)\s*verilator\s+(lint_off|lint_on)\b[ \t]*([A-Z0-9_]*)")
VERILATOR_CODES = {
    "UNUSED": ("unused",), "UNUSEDSIGNAL": ("unused",), "UNDRIVEN": ("undriven",), "MULTIDRIVEN": ("multi-driven",),
    "LATCH": ("latch",), "NOLATCH": ("latch",), "WIDTH": ("width-trunc", "width-expand"),
    "WIDTHTRUNC": ("width-trunc",), "WIDTHEXPAND": ("width-expand",), "CASEINCOMPLETE": ("case-default",),
    "BLKSEQ": ("blocking-in-seq",), "COMBDLY": ("nonblocking-in-comb",), "IMPLICIT": ("implicit-net",),
    "": ("all",),  # a bare lint_off turns every warning off
}


def _verilator_regions(lines: list[str], w: Waivers) -> None:
    """``// verilator lint_off CODE`` ... ``// verilator lint_on CODE`` (or end of file), as Verilator reads them."""
    open_at: dict[str, int] = {}
    for no, line in enumerate(lines, start=1):
        for m in _VERILATOR.finditer(line):
            for code in VERILATOR_CODES.get(m.group(2), ()):
                if m.group(1) == "lint_off":
                    open_at.setdefault(code, no)
                else:
                    start = open_at.pop(code, None)
                    if start is not None:
                        for k in range(start, no + 1):
                            w.lines.setdefault(k, set()).add(code)
    for code, start in open_at.items():
        for k in range(start, len(lines) + 1):
            w.lines.setdefault(k, set()).add(code)


def parse_waivers(text: str) -> Waivers:
    w = Waivers()
    if "verilator" in text:
        _verilator_regions(text.splitlines(), w)
    if "hdlgen-lint" not in text:
        return w
    open_blocks: dict[str, int] = {}
    lines = text.splitlines()
    for no, line in enumerate(lines, start=1):
        for m in _WAIVER.finditer(line):
            kind = m.group(2)
            codes = {c.strip() for c in m.group(3).split(",") if c.strip()}
            if kind == "disable":
                w.lines.setdefault(no, set()).update(codes)
                if not line[: m.start()].strip():  # alone on its line: covers the next line too
                    w.lines.setdefault(no + 1, set()).update(codes)
            elif kind == "disable-start":
                for c in codes:
                    open_blocks.setdefault(c, no)
            else:
                for c in codes:
                    start = open_blocks.pop(c, None)
                    if start is not None:
                        for k in range(start, no + 1):
                            w.lines.setdefault(k, set()).add(c)
    for c, start in open_blocks.items():
        for k in range(start, len(lines) + 1):
            w.lines.setdefault(k, set()).add(c)
    return w
