"""``hdlgen check``: exit codes, gcc-form text, one JSON document, and a start-up that never imports torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hdlgen.cli import cli, main

GOOD = "module good(input a, output y);\n  assign y = a;\nendmodule\n"
BAD = "module bad(input a, output y)\n  assign y = a;\nendmodule\n"
WARN = "module warn(input a, output y);\n  sub u(.i(a), .o(y));\nendmodule\n"


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, text in (("good.v", GOOD), ("bad.sv", BAD), ("warn.v", WARN)):
        (tmp_path / name).write_text(text)
        out[name] = str(tmp_path / name)
    return out


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, ["check", *args])
    return res.exit_code, res.stdout, res.stderr


def test_clean_file_exits_0(files: dict[str, str]) -> None:
    code, out, err = run(files["good.v"])
    assert code == 0 and out == "" and "no errors" in err


def test_broken_file_exits_1_with_gcc_form(files: dict[str, str]) -> None:
    code, out, err = run(files["good.v"], files["bad.sv"])
    assert code == 1
    assert out.splitlines() == [f"{files['bad.sv']}:1:30: error: expected ';' [ExpectedToken]"]
    assert "1 with errors" in err


def test_warnings_alone_exit_0(files: dict[str, str]) -> None:
    code, out, _ = run(files["warn.v"])
    assert code == 0 and ": warning: unknown module 'sub'" in out and out.rstrip().endswith("[UnknownModule]")


def test_json_is_one_document_per_run(files: dict[str, str]) -> None:
    code, out, err = run(files["good.v"], files["bad.sv"], "--format", "json")
    assert code == 1 and err == ""
    doc = json.loads(out)
    assert doc["ok"] is False and doc["std"] == "auto"
    assert [(f["file"], f["ok"], f["std"]) for f in doc["files"]] == [
        (files["good.v"], True, "verilog2001"), (files["bad.sv"], False, "sv2012")]
    diag = doc["files"][1]["diagnostics"][0]
    assert diag == {"file": files["bad.sv"], "line": 1, "col": 30, "severity": "error", "code": "ExpectedToken",
                    "message": "expected ';'"}
    assert doc["tools"]["frontend"].startswith("pyslang ") and doc["seconds"] >= 0


def test_std_verilog2001_reports_systemverilog(tmp_path: Path) -> None:
    f = tmp_path / "sv_in_v.v"
    f.write_text("module m(input clk, output reg [3:0] q);\n  always @(posedge clk) q <= '0;\nendmodule\n")
    assert run(str(f))[0] == 0
    code, out, _ = run(str(f), "--std", "verilog2001", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["files"][0]["frontend"] == "pyslang+pyverilog" and "pyverilog" in doc["tools"]
    assert doc["files"][0]["diagnostics"][-1]["code"] == "not-verilog2001"


def test_include_dir_option(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "w.vh").write_text("localparam W = 2;\n")
    (tmp_path / "src").mkdir()
    top = tmp_path / "src" / "top.v"
    top.write_text('module t(input [W-1:0] a, output y);\n`include "w.vh"\n  assign y = &a;\nendmodule\n')
    assert run(str(top))[0] == 1
    assert run(str(top), "-I", str(tmp_path / "inc"))[0] == 0


def test_compile_option_asks_icarus(tmp_path: Path, files: dict[str, str]) -> None:
    sub = tmp_path / "sub.v"
    sub.write_text("module sub(input i, output o);\n  assign o = ~i;\nendmodule\n")
    assert run(files["warn.v"])[0] == 0  # syntax alone: the missing module is only a warning
    code, out, _ = run(files["warn.v"], "--compile")
    assert code == 1 and f"{files['warn.v']}:2:1: error: Unknown module type: sub [compile]" in out.splitlines()
    code, out, _ = run(files["warn.v"], str(sub), "--compile", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["compiled"] is True and doc["tools"]["compiler"].startswith("Icarus Verilog")
    code, _, err = run(files["bad.sv"], "--compile")
    assert code == 1 and "not compiled" in err


@pytest.mark.parametrize("args, needle", [
    (["missing.v"], "missing.v: no such file"),
    (["."], "is a directory"),
])
def test_unusable_input_exits_2_with_one_line(args: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *args]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert cap.err.count("\n") == 1 and needle in cap.err and "Traceback" not in cap.err


def test_no_files_is_a_usage_error() -> None:
    assert main(["check"]) == 2


def test_help_starts_without_torch_or_parsers() -> None:
    probe = ("import sys\nfrom hdlgen.cli import main\nrc = main(['check', '--help'])\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'trl', 'pyslang',"
             " 'pyverilog', 'numpy'})\nprint('HEAVY', heavy, rc)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "--std [auto|verilog2001|sv2012]" in out and "Examples:" in out
    assert out.strip().splitlines()[-1] == "HEAVY [] 0"


def test_console_script_end_to_end(files: dict[str, str]) -> None:
    exe = Path(sys.executable).with_name("hdlgen")
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    res = subprocess.run([str(exe), "check", files["bad.sv"]], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and res.stdout.startswith(f"{files['bad.sv']}:1:30: error:")


def test_std_choices_match_the_library() -> None:
    from hdlgen.cli.check import STDS as CLI_STDS
    from verilog_sim.frontend.syntax import STDS

    assert CLI_STDS == STDS


def test_filelist_defines_and_top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "w.vh").write_text("`define W 8\n")
    (tmp_path / "t.v").write_text('`include "w.vh"\nmodule t(input [`W-1:0] a, output [`W-1:0] y);\n'
                                  "`ifndef FAST\n  oops\n`endif\n  assign y = a;\nendmodule\n")
    (tmp_path / "t.f").write_text("// the design\n+incdir+inc\n-y libs\nt.v\n")
    code, out, err = run("-f", "t.f")
    assert code == 1 and "t.v:" in out and "error" in out and "'-y libs' ignored" in err
    code, out, err = run("-f", "t.f", "-D", "FAST")
    assert code == 0, out + err
    code, out, err = run("-I", "inc", "-DFAST", "t.v", "--top", "t", "--format", "json")
    assert code == 0 and json.loads(out)["ok"]
    code, _, err = run("-I", "inc", "-DFAST", "t.v", "--top", "other")
    assert code == 2 and "--top other" in err
    code, _, err = run("-D", "9X", "t.v")
    assert code == 2 and "-D 9X" in err


@pytest.mark.skipif(not __import__("shutil").which("iverilog"), reason="needs Icarus")
def test_compile_honours_include_dirs(tmp_path: Path) -> None:
    (tmp_path / "include").mkdir()
    (tmp_path / "rtl").mkdir()
    (tmp_path / "include" / "w.vh").write_text("`define W 8\n")
    (tmp_path / "rtl" / "t.v").write_text('`include "w.vh"\nmodule t(input [`W-1:0] a, output [`W-1:0] y);\n'
                                          "  assign y = a;\nendmodule\n")
    code, out, err = run("--compile", "-I", str(tmp_path / "include"), str(tmp_path / "rtl" / "t.v"),
                         "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["compiled"] and doc["ok"], out + err
