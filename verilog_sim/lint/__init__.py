"""RTL lint: latches, blocking/non-blocking misuse, widths, unused/undriven/multi-driven signals,
sensitivity lists, case defaults, implicit nets; on pyslang's syntax tree and semantic model.

    >>> from verilog_sim.lint import lint_sources
    >>> [d.code for d in lint_sources([("a.v", "module a(input x, output reg y); always @* if (x) y = 1; endmodule")])]
    ['latch']
"""

from .config import ConfigError, LintConfig, load_config
from .engine import LintInputError, lint_paths, lint_sources, lint_untrusted
from .registry import RULES, Rule

__all__ = ["RULES", "ConfigError", "LintConfig", "LintInputError", "Rule", "lint_paths", "lint_sources", "lint_untrusted",
           "load_config"]
