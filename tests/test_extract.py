"""extract_verilog: the Verilog to judge out of raw LLM text (fences, answer tags, bare modules, reasoning)."""

from __future__ import annotations

import pytest

from verilog_sim.source.extract import blank_comments_and_strings, extract_verilog, module_names, module_spans

TOP = "module top(input a, output y);\n  assign y = a;\nendmodule"
SUB = "module inv(input i, output o);\n  assign o = ~i;\nendmodule"
TOP_USING_SUB = "module top(input a, output y);\n  inv u0(.i(a), .o(y));\nendmodule"


@pytest.mark.parametrize("tag", ["verilog", "systemverilog", "sv", "Verilog", "", "v"])
def test_fenced_block_each_tag(tag: str) -> None:
    text = f"Here is the design.\n\n```{tag}\n{TOP}\n```\n\nIt passes `a` through."
    assert extract_verilog(text, "top") == TOP + "\n"


def test_fence_with_info_after_tag_and_indent() -> None:
    text = f"  ```verilog title=top.v\n{TOP}\n  ```"
    assert extract_verilog(text) == TOP + "\n"


def test_unterminated_fence_is_read_to_the_end() -> None:
    assert extract_verilog(f"```verilog\n{TOP}\n") == TOP + "\n"


def test_answer_tags_win_over_text_outside() -> None:
    draft = TOP.replace("assign y = a", "assign y = ~a")
    text = f"First try:\n```verilog\n{draft}\n```\n<answer>\n```verilog\n{TOP}\n```\n</answer>"
    assert extract_verilog(text, "top") == TOP + "\n"


def test_bare_module_in_answer_tags() -> None:
    assert extract_verilog(f"<answer>{TOP}</answer>") == TOP + "\n"


def test_empty_answer_falls_back_to_the_text() -> None:
    assert extract_verilog(f"```verilog\n{TOP}\n```\n<answer></answer>") == TOP + "\n"


def test_bare_module_text_without_prose() -> None:
    text = f"Sure! This module implements a buffer; the module below is my answer.\n\n{TOP}\n\nHope this helps."
    assert extract_verilog(text, "top") == TOP + "\n"


def test_bare_modules_separated_by_prose_come_without_the_prose() -> None:
    text = f"The helper module:\n{SUB}\nAnd now the top module, which uses it:\n{TOP_USING_SUB}\nDone."
    code = extract_verilog(text, "top")
    assert code is not None and "helper" not in code and "Done" not in code
    assert module_names(code) == ["inv", "top"]


def test_directives_above_a_bare_module_are_kept() -> None:
    text = f"Answer:\n`timescale 1ns/1ps\n`default_nettype none\n{TOP}\n"
    assert extract_verilog(text) == "`timescale 1ns/1ps\n`default_nettype none\n" + TOP + "\n"


def test_block_defining_the_top_wins_and_submodules_come_along() -> None:
    text = (f"Submodule:\n```verilog\n{SUB}\n```\nTop:\n```verilog\n{TOP_USING_SUB}\n```\n"
            f"A testbench:\n```verilog\nmodule tb;\n  top dut(.a(1'b0), .y());\nendmodule\n```")
    code = extract_verilog(text, "top")
    assert code is not None
    assert module_names(code) == ["top", "inv"]  # tb is not used by top: left out


def test_last_block_defining_the_top_wins() -> None:
    v1 = TOP.replace("assign y = a", "assign y = 1'b0")
    text = f"```verilog\n{TOP}\n```\nWait, fix:\n```verilog\n{v1}\n```"
    assert extract_verilog(text, "top") == v1 + "\n"


def test_without_top_the_last_block_wins() -> None:
    assert extract_verilog(f"```verilog\n{SUB}\n```\n```verilog\n{TOP}\n```") == TOP + "\n"


def test_top_not_defined_anywhere_gives_the_last_block() -> None:
    assert module_names(extract_verilog(f"```verilog\n{SUB}\n```", "top") or "") == ["inv"]


def test_think_section_is_ignored() -> None:
    draft = TOP.replace("assign y = a", "assign y = ~a")
    text = f"<think>Let me draft:\n```verilog\n{draft}\n```\nHmm.</think>\n```verilog\n{TOP}\n```"
    assert extract_verilog(text, "top") == TOP + "\n"


def test_code_only_in_think_is_no_code() -> None:
    assert extract_verilog(f"<think>\n{TOP}\n</think>\nI could not finish.") is None
    assert extract_verilog(f"<think>still thinking {TOP}") is None


def test_lone_closing_think_tag_drops_the_reasoning_before_it() -> None:
    draft = TOP.replace("assign y = a", "assign y = ~a")
    text = f"Reasoning...\n```verilog\n{draft}\n```\n</think>\nFinal answer:\n```verilog\n{SUB}\n```"
    assert extract_verilog(text) == SUB + "\n"


@pytest.mark.parametrize("text", ["", "   \n", "I cannot help with that.", "```python\nprint('module x;')\n```",
                                  "The module should have two inputs.", "```verilog\nassign y = a;\n```"])
def test_nothing_found_is_none(text: str) -> None:
    assert extract_verilog(text) is None


def test_python_fence_is_not_verilog_even_with_a_module_inside() -> None:
    text = f"```python\nsrc = '''\n{SUB}\n'''\n```\n```verilog\n{TOP}\n```"
    assert extract_verilog(text) == TOP + "\n"


def test_module_word_in_comments_and_strings_is_not_a_module() -> None:
    code = ('// module fake(input x);\n/* module fake2(); endmodule */\n'
            'module top(input a, output y);\n  initial $display("http://x module s; endmodule");\n'
            '  assign y = a;\nendmodule\n')
    assert module_names(code) == ["top"]
    assert [(s.start, s.end) for s in module_spans(code)] == [(code.index("module top"), len(code) - 1)]


def test_blank_keeps_offsets_and_newlines() -> None:
    code = 'a // c\n"s // t" /* x\ny */ b'
    blank = blank_comments_and_strings(code)
    assert len(blank) == len(code) and blank.count("\n") == code.count("\n")
    assert blank.split() == ["a", "b"]


def test_module_headers_of_every_form() -> None:
    code = ("module a; endmodule\nmodule b #(parameter W=1) (input x); endmodule\n"
            "module c\n  (input x);\nendmodule\nmodule automatic d(); endmodule\n"
            "module e import p::*; (); endmodule\nmacromodule f(); endmodule\n")
    assert module_names(code) == ["a", "b", "c", "d", "e", "f"]


def test_unterminated_module_spans_to_the_end() -> None:
    code = "module top(input a);\n  assign y = a;\n"
    assert [(s.name, s.end) for s in module_spans(code)] == [("top", len(code))]
