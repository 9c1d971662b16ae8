"""check_source / check_file: the syntax verdict, held against what Icarus Verilog (-g2012) really does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verilog_sim import sandbox
from verilog_sim.frontend.pyverilog import Unsupported, preprocess, verilog2001_errors
from verilog_sim.frontend.syntax import check_file, check_files, check_source, detect_std


def iverilog_accepts(code: str, name: str = "design.sv", other: str | None = None) -> bool:
    """Icarus' own judgement (compile and elaborate), run in the sandbox like any untrusted RTL; ``other`` is a
    second file compiled alongside (a module the checked file uses but does not define)."""
    with sandbox.Scratch() as scratch:
        (scratch / name).write_text(code)
        files = [name]
        if other is not None:
            (scratch / "other.sv").write_text(other)
            files.append("other.sv")
        res = sandbox.run(["iverilog", "-g2012", "-o", "a.vvp", *files], scratch, limits=sandbox.Limits(wall_s=20))
        return res.ok


M = "module m(input a, input clk, output y);\n{}\nendmodule\n"

# Icarus accepts all of these: the syntax check must too (a false reject throws a good sample away).
ACCEPTED = {
    "plain": M.format(" assign y = a;"),
    "implicit net from a port connection": "module s(input i, output o); assign o = i; endmodule\n"
                                           + M.format(" s u(.i(a), .o(n1));\n assign y = n1;"),
    "implicit net on an assign lhs": M.format(" assign n1 = a;\n assign y = n1;"),
    "use before declaration": M.format(" assign y = n1;\n wire n1 = a;"),
    "continuous assign to a reg": "module m(input a, output reg y);\n assign y = a;\nendmodule\n",
    "integer declared in a for": "module m(input [3:0] a, output reg [3:0] y);\n"
                                 " always @* for (integer i = 0; i < 4; i = i + 1) y[i] = a[3 - i];\nendmodule\n",
    "declaration in an unnamed block": "module m(input clk, input a, output reg y);\n"
                                       " always @(posedge clk) begin\n reg t; t = a; y <= t; end\nendmodule\n",
    "typedef enum": "module m(input clk, output y);\n typedef enum logic [1:0] {A, B} st_t;\n st_t s;\n"
                    " assign y = (s == B);\n always @(posedge clk) s <= B;\nendmodule\n",
    "fill literal and int": "module m(input clk, output logic [7:0] y);\n"
                            " always_ff @(posedge clk) for (int i = 0; i < 8; i++) y[i] <= '0;\nendmodule\n",
    "constant index out of range": "module m(input [3:0] a, output y);\n assign y = a[7];\nendmodule\n",
    "two drivers": M.format(" assign y = a;\n assign y = ~a;"),
    "non-ANSI ports": "module m(a, y);\n input a; output y; reg y;\n always @* y = a;\nendmodule\n",
    "instance of a module defined elsewhere": "module m(input a, output y);\n foo u(.a(a), .y(y));\nendmodule\n",
    "CRLF line ends": M.format(" assign y = a;").replace("\n", "\r\n"),
    "old-style function": "module m(input [3:0] a, output [3:0] y);\n function [3:0] f;\n input [3:0] x;\n"
                          " f = ~x;\n endfunction\n assign y = f(a);\nendmodule\n",
    "generate loop without generate": "module m(input [3:0] a, output [3:0] y);\n genvar i;\n"
                                      " for (i = 0; i < 4; i = i + 1) begin : g\n assign y[i] = a[i];\n end\nendmodule\n",
    "defparam": "module s #(parameter P = 1)(output [3:0] o); assign o = P; endmodule\n"
                "module m(output [3:0] y);\n s u(.o(y));\n defparam u.P = 3;\nendmodule\n",
    "wire declared after its implicit use": "module s(input i, output o); assign o = i; endmodule\n"
                                            + M.format(" s u(.i(a), .o(n));\n wire n;\n assign y = n;"),
    "undefined macros are empty": "module m(input [`W-1:0] a, output y);\n `DEBUG_HOOK\n assign y = a[0];\nendmodule\n",
    "mixed timescales": "`timescale 1ns/1ps\nmodule s(input i, output o); assign o = i; endmodule\n"
                        "`resetall\nmodule m(input a, output y); s u(.i(a), .o(y)); endmodule\n",
}
OTHER_FILE = {"instance of a module defined elsewhere": "module foo(input a, output y); assign y = a; endmodule\n"}
# Icarus rejects these: the check must reject them, naming the line.
REJECTED = {
    "missing semicolon": ("module m(input a, output y)\n assign y = a;\nendmodule\n", 1),
    "missing end": ("module m(input clk, input a, output reg y);\n always @(posedge clk) begin\n"
                    "  y <= a;\nendmodule\n", 3),
    "misspelt keyword, parse error": ("module m(input a, output y);\n asign y = a;\nendmodule\n", 2),
    "misspelt type": ("module m(input a, output y);\n wier b;\n assign y = a;\nendmodule\n", 2),
    "undeclared name": (M.format(" assign y = a & b;"), 2),
    "undeclared function": (M.format(" assign y = f(a);"), 2),
    "undeclared parameter": ("module m #(parameter W = 4)(input [W-1:0] a, output y);\n"
                             " assign y = ^a[N-1:0];\nendmodule\n", 2),
    "procedural assignment to a wire": ("module m(input a, output y);\n always @* y = a;\nendmodule\n", 2),
    "always_ff driving a wire": (M.format(" always_ff @(posedge clk) y <= a;"), 2),
    "endmodule missing": ("module m(input a, output y);\n assign y = a;\n", 2),
    "undefined function-like macro": (M.format(" assign y = `ADD(a, 1);"), 2),
    "unbalanced parenthesis": (M.format(" assign y = (a & (a | a);"), 2),
    "missing include": ('module m(input a, output y);\n`include "nowhere_at_all.vh"\n assign y = a;\nendmodule\n', 2),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepts_what_icarus_accepts(name: str) -> None:
    code = ACCEPTED[name]
    assert iverilog_accepts(code, other=OTHER_FILE.get(name)), f"fixture is wrong: Icarus rejects {name!r}"
    res = check_source(code, "design.v")
    assert res.ok, [d.format() for d in res.diagnostics]
    assert all(d.severity != "error" for d in res.diagnostics)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejects_what_icarus_rejects_with_its_line(name: str) -> None:
    code, line = REJECTED[name]
    assert not iverilog_accepts(code), f"fixture is wrong: Icarus accepts {name!r}"
    res = check_source(code, "design.v")
    assert not res.ok
    first = res.errors[0]
    assert (first.file, first.line) == ("design.v", line), first.format()
    assert first.col >= 1 and first.code and first.message
    assert first.format().startswith(f"design.v:{line}:{first.col}: error: ")


def test_diagnostic_codes_are_slang_names() -> None:
    assert check_source(REJECTED["missing semicolon"][0]).errors[0].code == "ExpectedToken"
    assert check_source(REJECTED["undeclared name"][0]).errors[0].code == "UndeclaredIdentifier"
    assert check_source(REJECTED["procedural assignment to a wire"][0]).errors[0].code == "AssignToNet"


def test_other_elaboration_errors_are_warnings() -> None:
    res = check_source(ACCEPTED["instance of a module defined elsewhere"])
    assert res.ok and [d.code for d in res.diagnostics] == ["UnknownModule"]
    assert res.diagnostics[0].severity == "warning"
    assert [d.code for d in check_source(ACCEPTED["use before declaration"]).diagnostics] == ["UsedBeforeDeclared"]


def test_hierarchical_reference_is_not_an_undeclared_name() -> None:
    res = check_source(M.format(" assign y = tb.dut.x;"))  # resolves once the testbench is compiled alongside
    assert res.ok and res.diagnostics and res.diagnostics[0].severity == "warning"


def test_names_from_a_package_in_another_file_are_not_errors() -> None:
    code = "module m(input a, output y);\n import defs::*;\n assign y = a & ENABLE & defs::MASK;\nendmodule\n"
    res = check_source(code, "m.sv")
    assert res.ok, [d.format() for d in res.diagnostics]
    assert {d.code for d in res.diagnostics} == {"UnknownPackage", "UnknownClassOrPackage"}
    assert all(d.severity == "warning" for d in res.diagnostics)


def test_std_detection() -> None:
    assert detect_std(ACCEPTED["plain"], "x.v") == "verilog2001"
    assert detect_std(ACCEPTED["plain"], "x.sv") == "sv2012"
    assert detect_std(ACCEPTED["plain"], "X.SVH") == "sv2012"
    assert detect_std(ACCEPTED["fill literal and int"], "x.v") == "sv2012"
    assert detect_std(ACCEPTED["typedef enum"], "x.v") == "sv2012"
    assert detect_std("// logic int typedef\n" + ACCEPTED["plain"], "x.v") == "verilog2001"
    assert check_source(ACCEPTED["typedef enum"], "x.v").std == "sv2012"
    assert check_source(ACCEPTED["plain"], "x.v").std == "verilog2001"


def test_systemverilog_keyword_as_a_verilog_name() -> None:
    code = "module m(input a, output y);\n wire logic = a;\n assign y = logic;\nendmodule\n"
    res = check_source(code, "old.v")
    assert res.ok and res.std == "verilog2001", [d.format() for d in res.diagnostics]
    assert not check_source(code, "new.sv").ok  # in a SystemVerilog file `logic` is a keyword


def test_verilog2001_mode_asks_pyverilog() -> None:
    plain = check_source(ACCEPTED["plain"], "x.v", "verilog2001")
    assert plain.ok and plain.frontend == "pyslang+pyverilog" and plain.std == "verilog2001"
    sv = check_source("module m(input clk, output reg [7:0] y);\n\n always @(posedge clk)\n   y <= '0;\nendmodule\n",
                      "x.v", "verilog2001")
    assert not sv.ok
    assert [(d.line, d.col, d.code) for d in sv.errors] == [(4, 9, "not-verilog2001")]


def test_auto_never_asks_pyverilog() -> None:
    res = check_source(ACCEPTED["fill literal and int"], "x.v")
    assert res.ok and res.frontend == "pyslang"


def test_pyverilog_line_numbers_do_not_drift_across_parses() -> None:
    broken = "module m(input a, output y);\n assign y = a\n assign y = a;\nendmodule\n"
    first = verilog2001_errors(broken, "b.v")
    for _ in range(3):
        verilog2001_errors(ACCEPTED["plain"] * 5, "ok.v")
    again = verilog2001_errors(broken, "b.v")
    assert first == again and first[0].line == 3


def test_pyverilog_preprocessor_keeps_line_numbers() -> None:
    code = ("`timescale 1ns/1ps\n`define W 4\n`ifdef NOPE\n garbage here\n`else\n`define V 1\n`endif\n"
            "module m(input [`W-1:0] a, output y);\n assign y = a[`V] & ;\nendmodule\n")
    text = preprocess(code)
    assert text.count("\n") == code.count("\n")
    assert "garbage" not in text and "[ 4 -1:0]" in text
    assert [(d.line, d.code) for d in verilog2001_errors(code, "p.v")] == [(9, "not-verilog2001")]
    with pytest.raises(Unsupported):
        preprocess("`define ADD(a, b) a + b\nmodule m; endmodule\n")
    assert verilog2001_errors("`define F(x) x\nmodule m(); wire w = `F(1); endmodule\n", "f.v") == []


def test_check_file_resolves_includes_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "defs.vh").write_text("localparam W = 4;\n")
    top = tmp_path / "top.v"
    top.write_text('module m(input [W-1:0] a, output y);\n`include "defs.vh"\n assign y = ^a;\nendmodule\n')
    assert check_file(top).ok
    (tmp_path / "defs.vh").write_text("wire q = zz;\n")
    res = check_file(top)
    assert not res.ok and res.errors[0].file.endswith("defs.vh") and res.errors[0].line == 1


def test_check_files_is_one_design(tmp_path: Path) -> None:
    pkg, user = tmp_path / "pkg.sv", tmp_path / "user.sv"
    pkg.write_text("package defs;\n  localparam int ENABLE = 1;\nendpackage\n")
    user.write_text("module m(input a, output y);\n import defs::*;\n assign y = a & ENABLE;\nendmodule\n")
    results = check_files([pkg, user])
    assert [r.ok for r in results] == [True, True]
    assert not results[1].diagnostics  # the package resolved: no UnknownPackage warning
    broken = tmp_path / "broken.v"
    broken.write_text("module b(input a, output y)\nendmodule\n")
    results = check_files([broken, pkg, user])
    assert [r.ok for r in results] == [False, True, True]  # one file's error stays in that file
    with pytest.raises(OSError):
        check_file(tmp_path / "missing.v")


def test_macros_carry_into_later_files_like_iverilog(tmp_path: Path) -> None:
    defs, user = tmp_path / "defs.v", tmp_path / "user.v"
    defs.write_text("`define W 4 // width\n`define ADD(a, b) ((a) + \\\n  (b))\n`define GONE 1\n`undef GONE\n")
    user.write_text("module m(input [`W-1:0] a, output [`W-1:0] y);\n  assign y = `ADD(a, 1);\nendmodule\n")
    assert [r.ok for r in check_files([defs, user])] == [True, True]
    assert not check_file(user).ok  # alone, `ADD is unknown (and Icarus agrees: `ADD(a, 1) is a syntax error)
    assert "UndefinedMacro" in {d.code for d in check_file(user).diagnostics}
    user.write_text("module m(output y);\n  assign y = `GONE;\nendmodule\n")
    assert not check_files([defs, user])[1].ok


def test_hostile_inputs_do_not_crash() -> None:
    deep = M.format(" assign y = " + "(" * 20000 + "a" + ")" * 20000 + ";")
    res = check_source(deep)  # pyslang gives up; Icarus may not: never a reject on that ground
    assert res.ok and res.diagnostics[0].code == "parser-limit"
    garbage = check_source(os.urandom(20000).decode("utf-8", "surrogateescape"))
    assert not garbage.ok and all(d.line >= 1 for d in garbage.diagnostics)
    assert not check_source(M.format(" assign y = a;\x00")).ok
    assert check_source("").ok


def test_bad_std_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="std must be one of"):
        check_source("module m; endmodule\n", std="vhdl")
