"""A file list read as Icarus and Verilator read it (verilog_sim.frontend.sources), held against both tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verilog_sim.frontend.sources import SourceListError, source_set
from verilog_sim.frontend.syntax import check_files, check_source
from verilog_sim.lint import lint_paths

INNER = "`define INNER 5\n"
DEFS = """`ifndef DEFS_SVH
`define DEFS_SVH
`include "inner.svh"
`define CLK clk_i
`define FLOP(d, q, clk = `CLK) always_ff @(posedge clk) q <= d;
`ifdef NOPE
`define BAD 1
`endif
`endif
"""
USER = """`include "defs.svh"
module {name}(input clk_i, input [3:0] x, output logic [3:0] y);
  `FLOP(x, y)
  localparam P = `INNER;
`ifdef BAD
  this is not verilog
`endif
endmodule
"""


def _verilator() -> str | None:
    return shutil.which("verilator-cli", path=str(Path(sys.executable).parent)) or shutil.which("verilator")


@pytest.fixture
def design(tmp_path: Path) -> list[str]:
    (tmp_path / "inner.svh").write_text(INNER)
    (tmp_path / "defs.svh").write_text(DEFS)
    files = [tmp_path / "defs.svh"]
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.sv").write_text(USER.format(name=name))
        files.append(tmp_path / f"{name}.sv")
    return [str(f) for f in files]


def test_macro_state_carries_from_file_to_file_as_real_tools_do(design: list[str]) -> None:
    # The header goes first, as a pre-commit run passes packages and macro headers: b.sv and c.sv then skip
    # the guarded include, and still have the macros its nested include defined (INNER), the default argument
    # naming another macro (FLOP's clk = `CLK), and not the define of the branch not taken (BAD).
    results = check_files(design)
    assert [(r.ok, r.diagnostics) for r in results] == [(True, ())] * 4
    assert lint_paths(design) == []
    inc = "-I" + str(Path(design[0]).parent)
    if shutil.which("iverilog"):
        argv = ["iverilog", "-g2012", inc, "-o", "/dev/null", *design]
        assert subprocess.run(argv, capture_output=True).returncode == 0
    exe = _verilator()
    if exe:
        proc = subprocess.run([exe, "--lint-only", "-Wno-fatal", "-Wno-MULTITOP", "-Wno-DECLFILENAME", inc, *design],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and "%Error" not in proc.stderr


def test_undef_and_undefineall_are_carried(tmp_path: Path) -> None:
    (tmp_path / "a.v").write_text("`define W 4\n`define V 2\n`undef W\nmodule a; endmodule\n")
    (tmp_path / "b.v").write_text("module b; localparam P = `V; localparam Q = `W; endmodule\n")
    res = check_files([tmp_path / "a.v", tmp_path / "b.v"])
    # W is gone, V is not; an info says where the missing macro may come from
    assert [d.code for d in res[1].diagnostics] == ["UndefinedMacro", "undefined-macros", "ExpectedExpression"]
    (tmp_path / "a.v").write_text("`define V 2\n`undefineall\nmodule a; endmodule\n")
    res = check_files([tmp_path / "a.v", tmp_path / "b.v"])
    assert "UndefinedMacro" in {d.code for d in res[1].diagnostics}


def test_every_location_is_a_real_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "m.vh").write_text("`define BROKEN(x) x +;\n")
    top = tmp_path / "top.v"
    top.write_text('`include "m.vh"\nmodule top(input a, output y);\n  assign y = `BROKEN(a)\nendmodule\n')
    res = check_files([top], defines=[("ALSO", "1 +")])
    assert not res[0].ok
    for d in res[0].diagnostics:
        assert d.file == str(top) and d.line == 3, d
    assert "defined at " + str(tmp_path / "m.vh") + ":1" in res[0].errors[0].message
    # a -D macro: reported where it is used, naming the command line
    top.write_text("module top(input a, output y);\n  assign y = a `ALSO;\nendmodule\n")
    bad = check_files([top], defines=[("ALSO", "] [")])[0]
    assert bad.errors and all(d.file == str(top) and d.line == 2 for d in bad.errors)
    assert any("defined by -D on the command line" in d.message for d in bad.errors)


def test_defines_and_top(tmp_path: Path) -> None:
    f = tmp_path / "t.v"
    f.write_text("module t(output [`W-1:0] y);\n`ifdef FAST\n  assign y = 0;\n`else\n  oops\n`endif\nendmodule\n")
    assert not check_files([f])[0].ok
    assert check_files([f], defines=[("FAST", "1"), ("W", "4")])[0].ok
    assert check_files([f], defines=[("FAST", "1"), ("W", "4")], top="t")[0].ok
    with pytest.raises(SourceListError, match="--top nope"):
        check_files([f], defines=[("FAST", "1"), ("W", "4")], top="nope")


def test_filelist_syntax(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.f").write_text("c.v\n")
    (tmp_path / "sub" / "rel.f").write_text("d.v  // relative to this list with -F\n")
    (tmp_path / "list.f").write_text(
        "// a comment\n+incdir+inc+inc2\n+define+A=1+B\n-I other\n-DC=3\n-y libdir  # ignored with a note\n"
        "a.v /* block\ncomment */ b.v\n-f sub/inner.f\n-F sub/rel.f\n+libext+.v\n")
    s = source_set(["z.v"], include_dirs=["cli_inc"], defines=["E"], filelists=["list.f"], top="top")
    assert s.files == ("a.v", "b.v", "c.v", str(Path("sub") / "d.v"), "z.v")
    assert s.include_dirs == ("inc", "inc2", "other", "cli_inc")
    assert s.defines == (("A", "1"), ("B", "1"), ("C", "3"), ("E", "1"))
    assert s.top == "top" and len(s.notes) == 2 and "-y libdir" in s.notes[0]
    with pytest.raises(SourceListError):
        source_set(filelists=["missing.f"])
    with pytest.raises(SourceListError):
        source_set(["a.v"], defines=["1BAD"])


def test_header_among_files_only_adds_macros(tmp_path: Path) -> None:
    (tmp_path / "cfg.vh").write_text("`define DEPTH 4\n")
    (tmp_path / "m.v").write_text("module m(output [`DEPTH-1:0] y);\n  assign y = 0;\nendmodule\n")
    files = [str(tmp_path / "cfg.vh"), str(tmp_path / "m.v")]
    assert all(r.ok for r in check_files(files))
    assert lint_paths(files) == []


@pytest.mark.parametrize("code", [
    "module m(input [7:0] a, output [7:0] y);\n  assign y = a ^ 8'h ff;\nendmodule\n",
    "module m(input clk, output [3:0] y);\n  reg [3:0] r = 0, s;\n"
    "  always @(posedge clk) begin r <= r + 1; s <= r; end\n  assign y = s;\nendmodule\n",
    "module m(input [7:0] a, output [7:0] y);\n  function [7:0] inv(input [7:0] x, input en);\n"
    "    inv = en ? ~x : x;\n  endfunction\n  assign y = inv(a, 1'b1);\nendmodule\n",
    "module m(input [7:0] a, output [7:0] y);\n  function automatic [3:0] lo;\n    input [7:0] x;\n"
    "    lo = x[3:0];\n  endfunction\n  assign y = {4'd0, lo(a)};\nendmodule\n",
])
def test_verilog2001_mode_accepts_legal_verilog2001(code: str) -> None:
    # each was a not-verilog2001 error from pyverilog before issue 13; iverilog -g2001 accepts them
    res = check_source(code, "legal.v", "verilog2001")
    assert res.ok and not res.diagnostics, [d.format() for d in res.diagnostics]


def test_verilog2001_mode_disagreement_is_a_warning() -> None:
    code = "module m(input a, output reg b);\n  task t(input x, output y); y = x; endtask\n  always @* t(a, b);\nendmodule\n"
    res = check_source(code, "task.v", "verilog2001")  # legal Verilog-2001 that pyverilog 1.3 cannot parse
    assert res.ok and [d.severity for d in res.diagnostics] == ["warning"]
