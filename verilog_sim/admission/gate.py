"""Admission of a candidate before it shares a simulation with anything: the rules' verdict, and the seal.

:func:`admit` runs :func:`verilog_sim.admission.rules.check` in the bounded parse worker and turns violations
into a ``compile_error`` verdict at stage ``compile`` naming the rule and line (a design the harness will not
build, decided before Icarus runs, as a missing module would be). :func:`seal` closes the candidate's file so
nothing it sets outlives it: its macros are undefined and its directives reset before the next file.
"""

from __future__ import annotations

import re

from ..sandbox import worker
from ..source.extract import blank_comments_and_strings
from ..verdict import Diagnostic, Stage, Status, Verdict
from .rules import Violation

_DEFINE = re.compile(r"`define\s+([A-Za-z_][A-Za-z0-9_$]*)")


def admit(code: str, *, top: str | None, data_files: tuple[str, ...] = (), filename: str = "candidate.v",
          timeout_s: float = worker.DEFAULT_TIMEOUT_S, memory_mb: int = worker.DEFAULT_MEMORY_MB) -> Verdict | None:
    """None when ``code`` may share a simulation; else the verdict that ends its judging.

    ``data_files`` are the names ``$readmemh``/``$readmemb`` may read (the problem's ``extra_files``).
    """
    try:
        found = worker.call("verilog_sim.admission.rules:check", code, top, tuple(data_files),
                            timeout_s=timeout_s, memory_mb=memory_mb)
    except worker.WorkerFailed as exc:
        if exc.kind == "crash":
            return Verdict(Status.ERROR, Stage.COMPILE, message=f"admission check failed: {exc.message}")
        return Verdict(Status.RESOURCE_LIMIT, Stage.COMPILE,
                       message=f"admission check stopped: {exc.message} limit reached")
    except Exception as exc:  # pyslang gave up on the text (e.g. nesting deeper than it supports)
        found = [Violation("unparsed", 1, f"the admission check cannot analyse the design: {type(exc).__name__} "
                                          f"{str(exc)[:200]}".strip())]
    if not found:
        return None
    diags = tuple(Diagnostic(filename, v.line, 1, "error", f"admission-{v.rule}", v.message) for v in found)
    first = found[0]
    return Verdict(Status.COMPILE_ERROR, Stage.COMPILE, diagnostics=diags,
                   message=f"not admitted ({first.rule}, line {first.line}): {first.message}")


def defined_macros(code: str) -> list[str]:
    """Names the code `` `define``s, in order of first definition."""
    return list(dict.fromkeys(_DEFINE.findall(blank_comments_and_strings(code))))


def seal(code: str, *, reset: bool = True) -> str:
    """``code`` followed by what undoes its file-level effects: `` `undef`` of each macro it defines, then
    `` `resetall`` (``reset``) or, where the next file's ``default_nettype`` must stay as upstream leaves it
    (VerilogEval's official runs), `` `nounconnected_drive`` only."""
    tail = [f"`undef {name}" for name in defined_macros(code)]
    tail.append("`resetall" if reset else "`nounconnected_drive")
    return code.rstrip("\n") + "\n" + "\n".join(tail) + "\n"
