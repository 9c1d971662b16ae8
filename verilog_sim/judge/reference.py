"""The golden reference of a differential check, analysed once per problem: ports, clock/reset, constants.

Nothing here simulates; :mod:`verilog_sim.judge.wrapper` builds the harness around what this finds and
:mod:`verilog_sim.judge.group` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..frontend.untrusted import needs_sandboxed_preprocessing
from ..problem import Problem
from ..source.ports import Port, PortError, Timing, compare_ports, detect_timing, module_ports
from ..verdict import Diagnostic, Stage, Status, Verdict


class ReferenceError_(ValueError):
    """The reference cannot be used (no such module, unreadable ports)."""


@dataclass(frozen=True)
class Reference:
    """The golden design, analysed once per problem."""

    code: str
    top: str
    ports: tuple[Port, ...]
    timing: Timing

    @property
    def inputs(self) -> list[Port]:
        return [p for p in self.ports if p.direction == "input"]

    @property
    def outputs(self) -> list[Port]:
        return [p for p in self.ports if p.direction == "output"]


def analyse_reference(problem: Problem) -> Reference:
    """Ports and clock/reset of the problem's reference; raises ReferenceError_ with a clear message."""
    if not problem.ref:
        raise ReferenceError_(f"{problem.task_id}: the problem has no reference")
    top = problem.ref_top or problem.top
    try:
        ports = module_ports(problem.ref, top, "reference.v")
    except PortError as exc:
        raise ReferenceError_(f"reference: {exc}") from exc
    if any(p.direction not in ("input", "output") for p in ports):
        raise ReferenceError_("reference: inout/ref ports are not supported by differential testing")
    if not any(p.direction == "output" for p in ports):
        raise ReferenceError_("reference: module has no outputs to compare")
    return Reference(problem.ref, top, tuple(ports), detect_timing(problem.ref, ports))


def check_candidate_ports(ref: Reference, code: str, top: str, filename: str) -> Verdict | None:
    """A ``compile_error`` verdict when the candidate's ports differ from the reference's, else None.

    Sources with ``include`` or macros are not parsed in-process (the parser would open the named path, or
    expand a macro bomb; see :mod:`verilog_sim.frontend.untrusted`); the sandboxed compile of the wrapper, which
    connects ports by name, judges their ports instead.
    """
    if needs_sandboxed_preprocessing(code):
        return None
    try:
        ports = module_ports(code, top, filename)
    except PortError as exc:
        msg = f"cannot read the ports of the design: {exc}"
        return Verdict(Status.COMPILE_ERROR, Stage.COMPILE,
                       diagnostics=(Diagnostic(filename, 1, 1, "error", "ports", msg),), message=msg)
    msg = compare_ports(list(ref.ports), ports, top)
    if msg is None:
        return None
    return Verdict(Status.COMPILE_ERROR, Stage.COMPILE,
                   diagnostics=(Diagnostic(filename, 1, 1, "error", "port-mismatch", msg),), message=msg)


_SIZED = re.compile(r"\d*'[sS]?([bBhHdDoO])\s*([0-9a-fA-F_]+)\b")
_DECIMAL = re.compile(r"(?<![\w'$.])(\d+)(?![\w'.])")


def reference_constants(code: str, limit: int = 64) -> list[int]:
    """Literal values of the reference (case items, comparisons): stimulus that reaches its special cases."""
    text = re.sub(r"//[^\n]*|/\*.*?(?:\*/|\Z)", " ", code, flags=re.S)  # \Z: linear when unterminated
    seen: dict[int, None] = {}
    for m in _SIZED.finditer(text):
        radix = {"b": 2, "h": 16, "d": 10, "o": 8}[m.group(1).lower()]
        try:
            seen[int(m.group(2).replace("_", ""), radix)] = None
        except ValueError:
            continue
    for m in _DECIMAL.finditer(text):
        seen[int(m.group(1))] = None
    values = [v for v in seen if v > 1]
    return values[:limit]

