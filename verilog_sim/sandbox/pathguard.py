"""Fallback file-access guard where neither bubblewrap nor Landlock works: refuse RTL that names paths outside scratch.

With Landlock the kernel enforces confinement and this module is not consulted. Without it, a static scan is
the best available defence: system tasks that open files and `include must use plain relative names. It is
weaker than the kernel (a path assembled at run time from registers is flagged only because the argument is
not a literal), which is why verdicts record which isolation was in force.
"""

from __future__ import annotations

import re

from ..verdict import Diagnostic

_FILE_TASK = re.compile(
    r"(\$(?:fopen|fopenr|fopenw|fopena|readmemh|readmemb|writememh|writememb|dumpfile|fdumpfile|sdf_annotate"
    r"|system|ivlh_\w+)|`include)\s*\(?\s*([^,;)\n]*)")
_PASTE = re.compile(r"``")
_LITERAL = re.compile(r'^"([^"]*)"$')


def _unsafe(path: str) -> bool:
    return path.startswith(("/", "~", "\\")) or ".." in path.replace("\\", "/").split("/")


def unsafe_file_access(code: str, filename: str) -> list[Diagnostic]:
    """Diagnostics for every file-touching task or include whose path is absolute, climbs with ``..``,
    or is not a string literal (and so cannot be checked)."""
    out: list[Diagnostic] = []
    line, counted, line_start = 1, 0, 0  # counted as we go: counting from the start per match was quadratic
    for m in _FILE_TASK.finditer(code):
        task, arg = m.group(1), m.group(2).strip()
        line += code.count("\n", counted, m.start())
        line_start = max(line_start, code.rfind("\n", counted, m.start()) + 1)
        counted = m.start()
        col = m.start() - line_start + 1
        lit = _LITERAL.match(arg)
        if task == "$system":
            why = "$system is not allowed"
        elif lit is None:
            why = f"{task} with a computed path cannot be checked"
        elif "\\" in lit.group(1):  # an octal or other escape spells the path at compile time
            why = f"{task} with an escape sequence in its path cannot be checked"
        elif _unsafe(lit.group(1)):
            why = f"{task} names a path outside the scratch directory: {lit.group(1)!r}"
        else:
            continue
        out.append(Diagnostic(filename, line, col, "error", "unsafe-path",
                              why + " (no bubblewrap or Landlock here: static guard in force)"))
    if (m := _PASTE.search(code)) is not None:  # token pasting assembles task names and paths the scan cannot see
        line = code.count("\n", 0, m.start()) + 1
        out.append(Diagnostic(filename, line, 1, "error", "unsafe-path",
                              "macro token pasting (``) cannot be checked (no bubblewrap or Landlock here: static guard "
                              "in force)"))
    return out
