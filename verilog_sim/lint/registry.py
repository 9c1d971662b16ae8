"""The rule registry: every rule has a stable code, a default severity, a one-line summary and a fix hint.

Codes are short kebab-case names (``latch``, ``multi-driven``) rather than numbers so that waivers and
config files read as prose. The registry is the single list that config validation, ``--list-rules``,
SARIF rule metadata and the docs come from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # default: "error" | "warning" | "info"
    family: str  # module that implements it
    summary: str
    hint: str
    verilator: str = ""  # Verilator's warning code for the same finding, where it has one

    @property
    def help_uri(self) -> str | None:
        """Documentation of the finding: Verilator's description of its equivalent warning (SARIF helpUri)."""
        return f"{VERILATOR_DOCS}#cmdoption-arg-{self.verilator}" if self.verilator else None


VERILATOR_DOCS = "https://verilator.org/guide/latest/warnings.html"
RULES: dict[str, Rule] = {}
_VERILATOR = {"latch": "LATCH", "blocking-in-seq": "BLKSEQ", "nonblocking-in-comb": "COMBDLY",
              "case-default": "CASEINCOMPLETE", "width-trunc": "WIDTHTRUNC", "width-expand": "WIDTHEXPAND",
              "unused": "UNUSEDSIGNAL", "undriven": "UNDRIVEN", "multi-driven": "MULTIDRIVEN",
              "implicit-net": "IMPLICIT"}


def _rule(code: str, severity: str, family: str, summary: str, hint: str) -> None:
    RULES[code] = Rule(code, severity, family, summary, hint, _VERILATOR.get(code, ""))


_rule("syntax", "error", "parse", "The file does not parse.", "fix the reported syntax error first")
_rule("semantic", "error", "parse",
      "Elaboration error that Icarus rejects too: an undeclared name, a procedural assignment to a net, a "
      "connection to a port the module does not have.",
      "fix the reported error; iverilog and synthesis will reject it too")
_rule("latch", "error", "procedural",
      "Inferred latch: a signal is assigned on some paths of combinational logic but not all.",
      "assign a default at the top of the block or add the missing else/default branch")
_rule("blocking-in-seq", "warning", "procedural",
      "Blocking assignment (=) in edge-triggered logic.",
      "use a non-blocking assignment (<=) for registers in clocked blocks")
_rule("nonblocking-in-comb", "warning", "procedural",
      "Non-blocking assignment (<=) in combinational logic.",
      "use a blocking assignment (=) in always @* / always_comb")
_rule("sensitivity", "error", "procedural",
      "Incomplete sensitivity list: the block reads a signal its event list omits.",
      "use always @* (or always_comb) instead of listing signals by hand")
_rule("case-default", "warning", "procedural",
      "case statement in combinational logic without a default branch that does not cover every value.",
      "add a default: branch (or cover every selector value)")
_rule("width-trunc", "warning", "width",
      "Assignment or connection truncates a wider value.",
      "make the widths match, or select the bits you mean explicitly")
_rule("width-expand", "info", "width",
      "Assignment or connection zero/sign-extends a narrower value.",
      "make the widths match, or extend explicitly with a concatenation or cast")
_rule("unused", "warning", "signals", "A signal (input port included) is never read.",
      "remove it, use it, or waive it where the port is required by an interface")
_rule("undriven", "error", "signals", "A signal is read or output but never assigned.",
      "assign it, or remove it if it is not needed")
_rule("multi-driven", "error", "signals",
      "The same bits are driven from more than one always block, assign or instance.",
      "drive each signal from exactly one process; merge the logic into one block")
_rule("implicit-net", "warning", "signals", "An undeclared identifier became an implicit 1-bit wire.",
      "declare the net explicitly (and consider `default_nettype none)")
