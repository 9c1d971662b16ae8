"""Give every design unit of a source a unique suffix, so many candidates and the reference share one simulation.

Two candidates may both define ``TopModule`` and a helper ``full_adder``; renamed copies (``TopModule_hc3``,
``full_adder_hc3``) never clash. Every identifier token equal to a renamed unit is rewritten, outside
comments and strings, so declarations, instantiations and ``pkg::`` references stay consistent.
"""

from __future__ import annotations

import re

from .extract import blank_comments_and_strings, module_names

_UNIT = re.compile(r"\b(?:interface|package|program|primitive|checker)\s+(?:automatic\s+|static\s+)?"
                   r"([A-Za-z_][A-Za-z0-9_$]*)")


# an identifier token not preceded by one (nor by a macro's backtick, a based literal's quote or an escape)
_IDENT = re.compile(r"(?<![A-Za-z0-9_$`'\\])[A-Za-z_][A-Za-z0-9_$]*")


def unit_names(code: str) -> list[str]:
    """Modules, interfaces, packages, programs and UDPs defined in ``code``."""
    clean = blank_comments_and_strings(code)
    names = list(module_names(code))
    seen = set(names)
    for m in _UNIT.finditer(clean):
        before = clean[max(0, m.start() - 8):m.start()]
        if "virtual" not in before and m.group(1) not in seen:
            names.append(m.group(1))
            seen.add(m.group(1))
    return names


def rename_all(items: list[tuple[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """:func:`rename_units` of each ``(code, suffix)``: one call for a whole group, so the parse worker
    (:mod:`verilog_sim.sandbox.worker`) renames a simulation's sources in one round trip."""
    return [rename_units(code, suffix) for code, suffix in items]


def rename_units(code: str, suffix: str, keep: frozenset[str] = frozenset()) -> tuple[str, dict[str, str]]:
    """``code`` with each defined unit ``X`` (except ``keep``) renamed ``X + suffix``; also the name map."""
    names = [n for n in unit_names(code) if n not in keep]
    if not names:
        return code, {}
    mapping = {n: n + suffix for n in names}
    clean = blank_comments_and_strings(code)
    out: list[str] = []
    pos = 0
    for m in _IDENT.finditer(clean):  # every identifier, looked up: linear (an alternation of 40k names was not)
        if m.group(0) not in mapping:
            continue
        out.append(code[pos:m.start()])
        out.append(mapping[m.group(0)])
        pos = m.end()
    out.append(code[pos:])
    return "".join(out), mapping
