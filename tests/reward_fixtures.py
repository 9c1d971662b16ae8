"""A tiny problem (a 2-input AND gate with an exhaustive Verilog testbench) and completions of every kind."""

from __future__ import annotations

TB = """module tb;
  reg a, b; wire y; integer i, errs;
  andgate dut(.a(a), .b(b), .y(y));
  initial begin
    errs = 0;
    for (i = 0; i < 4; i = i + 1) begin
      {a, b} = i; #1;
      if (y !== (a & b)) errs = errs + 1;
    end
    $display("Mismatches: %0d in %0d samples", errs, 4);
    $finish;
  end
endmodule
"""

PROBLEM = {"task_id": "andgate", "prompt": "Implement module andgate: y = a AND b.", "top": "andgate",
           "ref": None, "test": TB, "test_kind": "verilog", "test_top": "tb"}

CODE = "module andgate(input a, input b, output y);\n  assign y = a & b;\nendmodule\n"
GOOD = f"<think>y is the AND of a and b.</think>\n```verilog\n{CODE}```\n"
LONG_GOOD = ("<think>" + "Let me think about this carefully. " * 20 + "</think>\n```verilog\n"
             + CODE + "```\n")
WRONG = GOOD.replace("a & b", "a | b")  # compiles, 2 of 4 samples mismatch
SYNTAX = GOOD.replace("assign y", "assign assign y")
NO_CODE = "<think>hmm</think>\nI cannot do this."
WRONG_NAME = GOOD.replace("module andgate", "module other")  # parses, lacks the top module
EMPTY_THINK = f"<think>  </think>\n```verilog\n{CODE}```\n"
NO_THINK = f"```verilog\n{CODE}```\n"
TWO_ANSWERS = GOOD + f"\nOr equally:\n```verilog\n{CODE}```\n"
CODE_OUTSIDE = GOOD + "\n" + CODE
TWO_THINKS = "<think>a</think><think>b</think>\n" + f"```verilog\n{CODE}```\n"


def columns(n: int, **extra: object) -> dict[str, list]:
    """TRL-style keyword columns for n rows of the AND problem (plus any extra columns)."""
    cols = {k: [v] * n for k, v in PROBLEM.items()}
    for k, v in extra.items():
        cols[k] = [v] * n
    return cols
