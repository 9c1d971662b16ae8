"""``hdlgen lint`` as users and pre-commit see it: formats, exit codes, config, waivers, hook entry points."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hdlgen.cli import main
from hdlgen.cli.hooks import check_main, lint_main
from verilog_sim.lint import ConfigError, LintConfig, load_config
from verilog_sim.lint.waivers import parse_waivers

CORPUS = Path(__file__).parent / "corpus"
LATCH = CORPUS / "latch" / "latch_if_no_else.v"  # one error
UNUSED = CORPUS / "unused" / "unused_input.v"  # one warning
CLEAN = CORPUS / "clean" / "clean_counter.v"
GCC = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): .+ \[(?P<code>[\w-]+)\]$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["lint", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_text_is_gcc_form_with_file_line_and_code(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, str(LATCH))
    assert rc == 1
    m = GCC.match(out.splitlines()[0])
    assert m and m["file"] == str(LATCH) and m["line"] == "8" and m["sev"] == "error" and m["code"] == "latch"
    assert "hint [latch]:" in out


@pytest.mark.parametrize("path,strict,code", [
    (CLEAN, False, 0), (UNUSED, False, 0), (UNUSED, True, 1), (LATCH, False, 1), (LATCH, True, 1),
])
def test_exit_codes(capsys: pytest.CaptureFixture[str], path: Path, strict: bool, code: int) -> None:
    rc, _, _ = run(capsys, *(["--strict"] if strict else []), str(path))
    assert rc == code


def test_info_never_fails_even_strict(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--strict", str(CORPUS / "width-expand" / "expand_assign.v"))
    assert rc == 0 and "info:" in out


@pytest.mark.parametrize("argv", [["/no/such/file.v"], ["--disable", "nonsense", str(CLEAN)],
                                  ["--config", "/no/such/config.toml", str(CLEAN)]])
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_no_files_is_a_click_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys)
    assert rc == 2 and out == "" and "give at least one FILE" in err.strip().splitlines()[-1]


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--format", "json", str(LATCH), str(UNUSED))
    doc = json.loads(out)
    assert rc == 1
    assert doc["summary"] == {"files": 2, "errors": 1, "warnings": 1, "infos": 0}
    assert {(d["code"], d["line"]) for d in doc["diagnostics"]} == {("latch", 8), ("unused", 3)}
    assert all(d["hint"] for d in doc["diagnostics"])


def test_sarif_output_is_2_1_0_with_rules_and_regions(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--format", "sarif", str(LATCH), str(UNUSED))
    log = json.loads(out)
    assert rc == 1 and log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"latch", "unused", "multi-driven"}
    res = {r["ruleId"]: r for r in run0["results"]}
    assert res["latch"]["level"] == "error" and res["unused"]["level"] == "warning"
    loc = res["latch"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == str(LATCH) and loc["region"]["startLine"] == 8
    assert rules[res["latch"]["ruleIndex"]]["id"] == "latch"
    by_id = {r["id"]: r for r in rules}  # rule help: text, markdown and a link to the equivalent Verilator doc
    assert by_id["latch"]["helpUri"].startswith("https://verilator.org/guide/latest/warnings.html#")
    assert by_id["latch"]["help"]["markdown"] and by_id["latch"]["help"]["text"]


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--format", "github", str(LATCH), str(UNUSED))
    lines = out.strip().splitlines()
    assert rc == 1 and len(lines) == 2
    assert lines[0].startswith(f"::error file={LATCH},line=8,col=")
    assert lines[1].startswith(f"::warning file={UNUSED},line=3,col=")
    assert "title=hdlgen-lint latch::" in lines[0]


def test_disable_on_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--disable", "latch", str(LATCH))
    assert rc == 0 and "[latch]" not in out


def test_pyproject_config_found_from_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.hdlgen.lint]\ndisable = ["latch"]\n'
                                           '[tool.hdlgen.lint.severity]\nunused = "error"\n')
    sub = tmp_path / "rtl"
    sub.mkdir()
    monkeypatch.chdir(sub)
    rc, out, _ = run(capsys, str(LATCH), str(UNUSED))
    assert rc == 1
    assert "[latch]" not in out and "error: input port 'b' is never read [unused]" in out


def test_hdlgen_lint_toml_wins_over_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hdlgen.lint]\ndisable = ["unused"]\n')
    (tmp_path / ".hdlgen-lint.toml").write_text('[severity]\nlatch = "warning"\n')
    monkeypatch.chdir(tmp_path)
    rc, out, _ = run(capsys, str(LATCH), str(UNUSED))
    assert rc == 0  # latch demoted to a warning; unused still on (pyproject ignored)
    assert "warning: 'q' is not assigned" in out and "[unused]" in out


def test_explicit_config_and_bad_values(tmp_path: Path) -> None:
    good = tmp_path / "lint.toml"
    good.write_text('disable = ["width-trunc"]\nenable = ["width-trunc"]\n[severity]\nwidth-expand = "off"\n')
    cfg = load_config(good)
    assert cfg.enabled("width-trunc") and not cfg.enabled("width-expand")
    for text in ('disable = ["no-such-rule"]', '[severity]\nlatch = "fatal"', 'disable = "latch"',
                 "surprise = 1", "not toml ["):
        good.write_text(text)
        with pytest.raises(ConfigError):
            load_config(good)
    assert LintConfig().severity["latch"] == "error"


def test_waiver_forms() -> None:
    w = parse_waivers(
        "a; // hdlgen-lint: disable=latch -- reason: intentional\n"  # 1: this line only; the reason is ignored
        "// hdlgen-lint: disable=unused,width-trunc\n"  # 2: alone: lines 2 and 3
        "b;\n"
        "c;\n"  # 4: nothing
        "/* hdlgen-lint: disable-start=all */\n"  # 5..7
        "d;\n"
        "// hdlgen-lint: disable-end=all\n"
        "e;\n")
    assert w.waived(1, "latch") and not w.waived(1, "unused") and not w.waived(2, "latch")
    assert w.waived(3, "unused") and w.waived(3, "width-trunc") and not w.waived(4, "unused")
    assert w.waived(6, "multi-driven") and not w.waived(8, "multi-driven")


def test_lint_hook_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint_main([str(CLEAN), str(UNUSED)]) == 0
    assert lint_main([str(CLEAN), str(LATCH)]) == 1
    out = capsys.readouterr().out
    assert f"{LATCH}:8:" in out
    assert lint_main(["--strict", str(UNUSED)]) == 1


def test_check_hook_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("hdlgen.cli.check", reason="hdlgen check is built in another issue")
    bad = CORPUS / "syntax" / "missing_semicolon.v"
    assert check_main([str(CLEAN)]) == 0
    assert check_main([str(CLEAN), str(bad)]) == 1
    assert str(bad) in capsys.readouterr().out


def test_includes_beside_the_file_and_from_include_dirs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "defs.vh").write_text("`define W 4\n")
    body = "module {n} (input wire [`W-1:0] x, output wire [`W-1:0] y);\n  assign y = x;\nendmodule\n"
    (tmp_path / "inc" / "beside.v").write_text('`include "defs.vh"\n' + body.format(n="beside"))
    (tmp_path / "top.v").write_text('`include "defs.vh"\n' + body.format(n="top"))
    assert run(capsys, str(tmp_path / "inc" / "beside.v"))[0] == 0
    rc, out, _ = run(capsys, str(tmp_path / "top.v"))
    assert rc == 1 and "[syntax]" in out
    assert run(capsys, "-I", str(tmp_path / "inc"), str(tmp_path / "top.v"))[0] == 0


def test_baseline_fails_only_on_new_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    design = tmp_path / "legacy.v"
    design.write_text(LATCH.read_text())
    rc, out, _ = run(capsys, "--format", "json", "legacy.v")
    assert rc == 1
    (tmp_path / "baseline.json").write_text(out)  # the documented way to create a baseline
    design.write_text("// a comment moves the old finding down a line\n" + LATCH.read_text())
    rc, out, err = run(capsys, "--baseline", "baseline.json", str(design))  # absolute now, relative then
    assert rc == 0 and "1 finding(s) already in the baseline" in err
    design.write_text(LATCH.read_text() + "module more(input a, output reg q);\n  always @* if (a) q = 1'b1;\nendmodule\n")
    rc, out, _ = run(capsys, "--baseline", "baseline.json", "legacy.v")
    assert rc == 1 and out.count(": error:") == 1 and "legacy.v:12:" in out and "'q'" in out, out
    (tmp_path / "bad.json").write_text("[1, 2]")
    rc, _, err = run(capsys, "--baseline", "bad.json", "legacy.v")
    assert rc == 2 and "hdlgen lint --format json" in err


def test_filelist_defines_top_and_headers(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "cfg.vh").write_text("`define W 4\n")
    (tmp_path / "top.v").write_text(
        '`include "cfg.vh"\nmodule top(input [`W-1:0] a, output [`W-1:0] y);\n'
        "`ifdef INVERT\n  assign y = ~a;\n`else\n  assign y = a;\n`endif\nendmodule\n"
        "module spare(input a, output y);\nendmodule\n")
    (tmp_path / "design.f").write_text("+incdir+inc\n+define+INVERT\ntop.v\n")
    rc, out, _ = run(capsys, "-f", "design.f")
    assert rc == 1 and "undriven output port 'y'" in out  # module spare is linted as a top of its own
    rc, out, _ = run(capsys, "-f", "design.f", "--top", "top")
    assert rc == 0, out
    rc, out, _ = run(capsys, "-I", "inc", "inc/cfg.vh", "top.v", "--top", "top")  # a header among the files
    assert rc == 0, out
    rc, _, err = run(capsys, "-f", "design.f", "--top", "nope")
    assert rc == 2 and "--top nope" in err


def test_verilator_waivers_and_unused_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "w.v"
    f.write_text("module w(input a, input unused_b, output y);\n  /* verilator lint_off UNUSEDSIGNAL */\n"
                 "  wire spare = a;\n  /* verilator lint_on UNUSEDSIGNAL */\n  wire other = a;\n"
                 "  assign y = a;\nendmodule\n")
    rc, out, _ = run(capsys, "--strict", str(f))
    assert rc == 1 and out.count("warning:") == 1 and "'other'" in out
    assert "never used is never read" not in out
