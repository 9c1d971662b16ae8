"""verilog_sim — the verification core of hdlgen: extract, syntax check, compile, simulate, Verdict.

Imports no ML library; everything LLM lives in ``hdlgen``.
"""

from .extract import extract_verilog, module_names
from .problem import Problem, ProblemError
from .sandbox import Limits
from .tools import ToolMissing
from .verdict import Diagnostic, Stage, Status, Tests, Verdict
from .verify import verify
from .batch import verify_many  # noqa: E402 - after verify: batch builds on it

__all__ = [
    "Diagnostic", "Limits", "Problem", "ProblemError", "Stage", "Status", "Tests", "ToolMissing", "Verdict",
    "extract_verilog", "module_names", "verify", "verify_many",
]
__version__ = "0.1.0"
