"""hdlgen filter: each stage keeps and rejects the right rows of the sample set; inputs of every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hdlgen.cli import cli
from hdlgen.filter import Columns, FilterConfig, Paths, run_filter

ALL_GOOD = ["ok_adder", "ok_counter", "ok_mux", "ok_hier", "ok_shift", "ok_alu"]
MALFORMED = {15, 16, 17, 22, 23, 24}  # bad JSON, not UTF-8, a list, NUL byte, no code column, code not text


def _run(repo: Path, tmp_path: Path, name: str = "filter_sample.jsonl", **cfg) -> tuple[list[dict], list[dict], dict]:
    paths = Paths(repo / "data" / "samples" / name, tmp_path / "out.jsonl", tmp_path / "rej.jsonl", tmp_path / "rep.json")
    report = run_filter(paths, FilterConfig(timeout=10, **cfg))
    kept = [json.loads(x) for x in paths.out.read_text().splitlines()]
    rejected = [json.loads(x) for x in paths.rejected.read_text().splitlines()]  # type: ignore[union-attr]
    return kept, rejected, report


def _reasons(rejected: list[dict]) -> dict[str, str]:
    return {r["id"]: r["reason"] for r in rejected if not r["reason"] == "malformed"}


def test_every_stage_on_the_sample(repo, tmp_path):
    kept, rejected, report = _run(repo, tmp_path, functional=True, min_rank=5)
    assert [r["id"] for r in kept] == ALL_GOOD + ["func_pass", "func_ref", "lint_latch"]
    reasons = _reasons(rejected)
    # pyslang's elaboration may already catch the undeclared net that Icarus rejects
    assert reasons.pop("bad_compile") in ("syntax_error", "compile_error")
    reasons["bad_compile"] = "compile_error"
    assert reasons == {
        "dup_counter": "duplicate", "near_alu": "near_duplicate", "no_code": "no_code", "bad_syntax": "syntax_error",
        "bad_compile": "compile_error", "bad_compile_inst": "compile_error", "too_small": "size",
        "two_tops": "no_clear_top", "low_rank": "low_rank", "func_fail": "functional_fail"}
    assert {r["index"] for r in rejected if r["reason"] == "malformed"} == MALFORMED
    assert report["rows"] == 25 and report["kept"] == 9 and report["rejected_by_reason"]["malformed"] == 6
    by_id = {r["id"]: r for r in kept}
    assert by_id["func_pass"]["verdict"]["mismatches"] == 0 and by_id["func_pass"]["verdict"]["stage"] == "simulate"
    assert by_id["ok_counter"]["verdict"] == {"status": "pass", "stage": "compile"}
    assert by_id["ok_hier"]["top"] == "full_adder"
    assert by_id["ok_adder"]["rtl"].startswith("module TopModule")  # extracted from the LLM text
    assert by_id["ok_adder"]["complexity_label"]["label"] in ("Basic", "basic") or by_id["ok_adder"]["complexity_label"]["source"] == "judge"
    dup = next(r for r in rejected if r["id"] == "dup_counter")
    assert dup["dedup_cluster"] == "ok_counter" and by_id["ok_counter"]["dedup_cluster"] == "ok_counter"
    assert next(r for r in rejected if r["id"] == "near_alu")["dedup_cluster"] == "ok_alu"


def test_switching_stages_off_keeps_what_they_would_reject(repo, tmp_path):
    kept, rejected, _ = _run(repo, tmp_path, compile=False, dedup=False, single_top=False, syntax=False)
    ids = [r["id"] for r in kept]
    for row in ("dup_counter", "near_alu", "bad_compile", "bad_compile_inst", "two_tops", "func_fail", "bad_syntax"):
        assert row in ids
    assert _reasons(rejected) == {"no_code": "no_code", "too_small": "size"}
    assert all(r["verdict"] is None for r in kept)  # nothing was compiled


def test_compile_stage_alone_catches_elaboration_errors(repo, tmp_path):
    kept, rejected, _ = _run(repo, tmp_path, syntax=False, dedup=False, quality=False)
    reasons = _reasons(rejected)
    assert reasons["bad_compile"] == reasons["bad_compile_inst"] == reasons["bad_syntax"] == "compile_error"
    assert "missing_net" in next(r["detail"] for r in rejected if r["id"] == "bad_compile")
    assert {"two_tops", "too_small", "dup_counter"} <= {r["id"] for r in kept}


def test_near_dup_threshold_and_exact_only(repo, tmp_path):
    kept, _, _ = _run(repo, tmp_path, near_dup=False)
    assert "near_alu" in [r["id"] for r in kept] and "dup_counter" not in [r["id"] for r in kept]
    kept, _, _ = _run(repo, tmp_path, dedup_threshold=0.99)
    assert "near_alu" in [r["id"] for r in kept]


def test_lint_stage_rejects_the_latch(repo, tmp_path):
    kept, rejected, _ = _run(repo, tmp_path, lint=True, max_lint=0)
    assert _reasons(rejected)["lint_latch"] == "lint"
    assert all(r["lint_counts"] == {"error": 0, "warning": 0, "info": 0} for r in kept)


def test_pyranet_csv_layout_with_thresholds(repo, tmp_path):
    kept, rejected, report = _run(repo, tmp_path, "pyranet_sample.csv", min_rank=10, min_complexity="intermediate",
                                  complexity_source="data")
    assert [r["description"] for r in kept] == [
        "8-bit loadable up counter with wrap flag", "serial-in shift register", "full adder from half adders",
        "2:1 mux, JSON-encoded description"]
    assert kept[0]["rank"] == 17 and kept[0]["complexity"] == "Intermediate" and kept[0]["compile_status"] == "Compiled"
    reasons = [(r["index"], r["reason"]) for r in rejected]
    assert reasons[3][1] in ("syntax_error", "compile_error")  # undeclared next-state: pyslang or Icarus
    assert reasons[:3] + reasons[4:] == [(0, "low_rank"), (4, "duplicate"), (5, "syntax_error"), (8, "low_rank")]
    assert report["input_format"] == "csv"


def test_complexity_labels_from_the_generation_judge(repo, tmp_path):
    pytest.importorskip("hdlgen.reasoning.judge")
    kept, rejected, _ = _run(repo, tmp_path, "pyranet_sample.csv", min_complexity="easy")
    assert kept and all(r["complexity_label"]["source"] == "judge" for r in kept)
    assert all(r["complexity_label"]["label"] in ("easy", "medium", "hard") for r in kept)
    kept, rejected, _ = _run(repo, tmp_path, "pyranet_sample.csv", min_complexity="expert")
    assert kept == [] and {r["reason"] for r in rejected} >= {"low_complexity"}


def test_parquet_gives_the_same_rows_as_jsonl(repo, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = repo / "data" / "samples" / "filter_sample.jsonl"
    rows = []
    for line in src.read_bytes().splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if isinstance(d, dict) and isinstance(d.get("code"), str) and "\x00" not in d["code"]:
            rows.append({k: d.get(k) for k in ("id", "code", "description", "rank", "complexity", "top")})
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    paths = Paths(tmp_path / "in.parquet", tmp_path / "out.jsonl")
    report = run_filter(paths, FilterConfig(chunk_size=4))
    kept = [json.loads(x)["id"] for x in paths.out.read_text().splitlines()]
    assert kept == ALL_GOOD + ["low_rank", "func_pass", "func_fail", "func_ref", "lint_latch"]
    assert report["rows"] == len(rows)


def test_column_mapping(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"name": "x1", "verilog": "module a(input x, output y);\n  assign y = x;\nendmodule\n"}) + "\n")
    paths = Paths(src, tmp_path / "out.jsonl")
    run_filter(paths, FilterConfig(columns=Columns(code="verilog", id="name"), compile=False))
    row = json.loads(paths.out.read_text())
    assert row["id"] == "x1" and row["top"] == "a"


def test_cli_writes_report_and_summary(repo, tmp_path):
    out, rep = tmp_path / "o.jsonl", tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["filter", str(repo / "data/samples/filter_sample.jsonl"), "-o", str(out),
                                   "--report", str(rep), "--workers", "2", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "25 rows: 11 kept" in res.output and "malformed 6" in res.output
    report = json.loads(rep.read_text())
    assert report["kept"] == 11 and report["workers"] == 2 and report["timings_s"]["wall"] > 0
    assert not (tmp_path / "o.jsonl.filter-state").exists()  # state is removed after a complete run


def test_cli_usage_errors_exit_2(tmp_path):
    res = CliRunner().invoke(cli, ["filter", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "no such input file" in res.output
    odd = tmp_path / "in.txt"
    odd.write_text("x\n")
    res = CliRunner().invoke(cli, ["filter", str(odd), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "--input-format" in res.output


@pytest.mark.parametrize("name", ["filter_sample.jsonl", "pyranet_sample.csv"])
def test_readers_skip_exactly_the_rows_already_done(repo, name):
    """--resume restarts the reader at a row index: the tail must be the same rows, malformed ones included."""
    from hdlgen.filter.readers import iter_rows

    path = repo / "data" / "samples" / name
    every = [(r.index, r.data.get("id") or r.data.get("code"), r.error) for r in iter_rows(path)]
    assert [i for i, *_ in every] == list(range(len(every)))
    for start in (1, 7, len(every) - 1, len(every)):
        assert [(r.index, r.data.get("id") or r.data.get("code"), r.error) for r in iter_rows(path, start=start)] \
            == every[start:]
