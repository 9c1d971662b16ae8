"""verilog_sim — the verification core of hdlgen: extract, syntax check, compile, simulate, Verdict.

The pipeline, one subpackage per stage: ``source`` (find and rename Verilog, read ports) → ``frontend``
(syntax) → ``sim`` (Icarus, cocotb) inside ``sandbox`` → ``judge`` (verify, verify_many, differential) →
``Verdict``. ``verilog_eval`` and ``lint`` build on them. See ARCHITECTURE.md.

Imports no ML library; everything LLM lives in ``hdlgen``. Names below load on first use, so importing the
package (e.g. for ``hdlgen check --help``) costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Diagnostic": ".verdict", "Stage": ".verdict", "Status": ".verdict", "Tests": ".verdict",
    "Verdict": ".verdict",
    "Problem": ".problem", "ProblemError": ".problem",
    "UserError": ".errors", "ToolMissing": ".errors",
    "Limits": ".sandbox",
    "extract_verilog": ".source.extract", "module_names": ".source.extract",
    "verify": ".judge.verify", "verify_many": ".judge.batch",
}

__all__ = ["Diagnostic", "Limits", "Problem", "ProblemError", "Stage", "Status", "Tests", "ToolMissing", "UserError",
           "Verdict", "extract_verilog", "module_names", "verify", "verify_many"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import ToolMissing, UserError
    from .judge.batch import verify_many
    from .judge.verify import verify
    from .problem import Problem, ProblemError
    from .sandbox import Limits
    from .source.extract import extract_verilog, module_names
    from .verdict import Diagnostic, Stage, Status, Tests, Verdict


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'verilog_sim' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
