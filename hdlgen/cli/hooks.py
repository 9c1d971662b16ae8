"""pre-commit entry points (``hdlgen-check-hook``, ``hdlgen-lint-hook``): filenames in, exit code out.

Same shape as pre-commit-hooks' ``main(argv=None) -> int``; pre-commit passes the staged Verilog files.
"""

from __future__ import annotations

import sys


def check_main(argv: list[str] | None = None) -> int:
    """``hdlgen check FILE...``: fails the commit on syntax errors."""
    from . import main

    return main(["check", *(sys.argv[1:] if argv is None else argv)])


def lint_main(argv: list[str] | None = None) -> int:
    """``hdlgen lint FILE...``: fails the commit on error-severity findings (pass ``--strict`` for warnings)."""
    from . import main

    return main(["lint", *(sys.argv[1:] if argv is None else argv)])
