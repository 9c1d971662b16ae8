"""hdlgen filter survives what real runs meet: SIGKILL mid-run (then --resume), malformed and huge rows,
a crash or a dead worker on one row."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hdlgen.filter import FilterConfig, Paths, checkpoint, rowcheck, run_filter
from verilog_sim.sandbox import worker

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from hdlgen.cli import main; sys.exit(main())", "filter"]


def _synth(tmp_path: Path, rows: int, seed: int = 3) -> Path:
    out = tmp_path / "synth.jsonl"
    subprocess.run([sys.executable, str(REPO / "scripts" / "synth_dataset.py"), "-n", str(rows), "-o", str(out),
                    "--seed", str(seed)], check=True)
    return out


def _kill_when(proc: subprocess.Popen, state: Path, rows_at_least: int, timeout: float = 120) -> int:
    """SIGKILL ``proc`` once its checkpoint has passed ``rows_at_least`` rows; returns the rows recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = checkpoint.load(state)
        if st is not None and st.rows_done >= rows_at_least:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return st.rows_done
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be killed (exit {proc.returncode})")
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no checkpoint appeared in time")


def _sigkill_then_resume(tmp_path: Path, rows: int, kills: list[int], extra: list[str], chunk: int = 25,
                         **cfg) -> None:
    src = _synth(tmp_path, rows)
    args = ["--chunk-size", str(chunk), "--workers", "2", "--no-progress", *extra]
    ref_out, ref_rej = tmp_path / "ref.jsonl", tmp_path / "ref.rej.jsonl"
    # the uninterrupted run, in this process with the same options (one worker: the output must not care)
    run_filter(Paths(src, ref_out, ref_rej), FilterConfig(chunk_size=chunk, **cfg))
    out, rej = tmp_path / "out.jsonl", tmp_path / "out.rej.jsonl"
    state = checkpoint.state_dir_for(out)
    for i, at in enumerate(kills):
        proc = subprocess.Popen([*CLI, str(src), "-o", str(out), "--rejected", str(rej), *args,
                                 *(["--resume"] if i else [])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done = _kill_when(proc, state, at)
        assert done < rows, "killed too late to test anything"
    res = subprocess.run([*CLI, str(src), "-o", str(out), "--rejected", str(rej), *args, "--resume"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert f"resumed at row {done}" in res.stdout
    assert out.read_bytes() == ref_out.read_bytes()
    assert rej.read_bytes() == ref_rej.read_bytes()
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()] + \
          [json.loads(x)["id"] for x in rej.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == rows  # every row once: kept or rejected
    assert not state.exists()


def test_sigkill_twice_then_resume_is_byte_identical(tmp_path):
    """The cheap stages and the dedup index (near duplicates of rows before the kill must still be found)."""
    _sigkill_then_resume(tmp_path, 400, [75, 200], ["--no-compile"], compile=False)


@pytest.mark.slow
def test_sigkill_with_compile_and_functional_stages_then_resume(tmp_path):
    # chunks of 150: rows sharing a reference meet in one simulation, as in real runs
    _sigkill_then_resume(tmp_path, 600, [150, 300], ["--functional"], chunk=150, functional=True)


def test_resume_with_other_options_is_refused(tmp_path):
    src = _synth(tmp_path, 120)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([*CLI, str(src), "-o", str(out), "--chunk-size", "10", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(proc, checkpoint.state_dir_for(out), 20)
    res = subprocess.run([*CLI, str(src), "-o", str(out), "--resume", "--dedup-threshold", "0.5"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "other filter options" in res.stderr and "Traceback" not in res.stderr


def test_malformed_and_huge_rows_are_reported_not_fatal(tmp_path):
    good = "module ok(input a, output y);\n  assign y = ~a;\nendmodule\n"
    src = tmp_path / "in.jsonl"
    with open(src, "wb") as fh:
        fh.write(json.dumps({"id": "huge", "code": "module big(input a, output y);\n" + "// pad\n" * 1_400_000
                            + "endmodule\n"}).encode() + b"\n")  # about 10 MB of code
        fh.write(b'{"id": "cut", "code": "module\n')
        fh.write(b'\x00\x01\x02\xff binary garbage\n')
        fh.write(json.dumps({"id": "nocode", "verilog": good}).encode() + b"\n")
        fh.write(json.dumps({"id": "ok", "code": good}).encode() + b"\n")
    paths = Paths(src, tmp_path / "out.jsonl", tmp_path / "rej.jsonl")
    report = run_filter(paths, FilterConfig(compile=False))
    rej = [json.loads(x) for x in paths.rejected.read_text().splitlines()]  # type: ignore[union-attr]
    assert [(r["index"], r["reason"]) for r in rej] == [(0, "too_large"), (1, "malformed"), (2, "malformed"),
                                                         (3, "malformed")]
    assert "missing column 'code'" in rej[3]["detail"]
    assert [json.loads(x)["id"] for x in paths.out.read_text().splitlines()] == ["ok"]
    assert report["rows"] == 5 and report["rejected_by_reason"] == {"malformed": 3, "too_large": 1}


def _crashing(real):  # noqa: ANN001, ANN202 - a check_row that fails on chosen rows (fault injection)
    def check(row, cfg):  # noqa: ANN001, ANN202
        if row.get("id") == "boom":
            raise RuntimeError("injected crash")
        if row.get("id") == "die":
            os._exit(9)  # the worker process dies on this row
        return real(row, cfg)
    return check


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crash_on_one_row_rejects_that_row_with_reason_error(tmp_path, monkeypatch, workers):
    good = "module ok{n}(input a, output y);\n  assign y = ~a ^ {n};\nendmodule\n"
    ids = ["r0", "boom", "r2"] + (["die"] if workers > 1 else []) + ["r4", "r5"]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "code": good.format(n=k)}) + "\n" for k, i in enumerate(ids)))
    monkeypatch.setattr(rowcheck, "check_row", _crashing(rowcheck.check_row))
    # the cheap stages run in the parse worker, a fresh interpreter the monkeypatch does not reach: run the
    # worker's functions here instead (the injected faults are the point of this test, not the worker)
    monkeypatch.setattr(worker, "_INSIDE", True)
    paths = Paths(src, tmp_path / "out.jsonl", tmp_path / "rej.jsonl")
    run_filter(paths, FilterConfig(near_dup=False), workers=workers)
    rej = {r["id"]: r for r in map(json.loads, paths.rejected.read_text().splitlines())}  # type: ignore[union-attr]
    assert rej["boom"]["reason"] == "error" and "injected crash" in rej["boom"]["detail"]
    if workers > 1:
        assert rej["die"]["reason"] == "error" and "worker process died" in rej["die"]["detail"]
    assert [json.loads(x)["id"] for x in paths.out.read_text().splitlines()] == [i for i in ids if i not in rej]
