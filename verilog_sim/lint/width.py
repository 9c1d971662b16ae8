"""Width rules: truncation and extension in assignments and port connections.

slang computes SystemVerilog's expression widths exactly (context-determined operands, unsized literals
such as ``count + 1`` are not flagged), so these rules map its WidthTruncate/WidthExpand diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable

Emit = Callable[[str, object, str], None]

SLANG_CODES = {
    "WidthTruncate": "width-trunc", "PortWidthTruncate": "width-trunc",
    "WidthExpand": "width-expand", "PortWidthExpand": "width-expand",
}


def check(design: object, emit: Emit) -> None:
    for diag in design.diagnostics:  # type: ignore[attr-defined]
        code = SLANG_CODES.get(str(diag.code).removeprefix("DiagCode(").rstrip(")"))
        if code is not None:
            emit(code, diag.location, design.message(diag))  # type: ignore[attr-defined]
