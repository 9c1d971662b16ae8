"""hdlgen filter on hostile rows: a row that segfaults the parser, includes an outside file or /dev/zero, is
rejected on its own (the run finishes, nothing leaks into a rejection message); a killed filter leaves no
worker behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-c", "import sys; from hdlgen.cli import main; sys.exit(main())", "filter"]
GOOD = ("module top(input [3:0] a, input [3:0] b, output [4:0] y);\n  assign y = a + b;\nendmodule\n")
SEGFAULT = "module top(input a, output y); assign y = " + " + ".join(["a"] * 50_000) + "; endmodule\n"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    out, i = [pid], 0
    while i < len(out):
        try:
            for tid in os.listdir(f"/proc/{out[i]}/task"):
                with open(f"/proc/{out[i]}/task/{tid}/children") as fh:
                    out += [int(c) for c in fh.read().split()]
        except OSError:
            pass
        i += 1
    return out[1:]


def _rows(path: Path, codes: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "code": c}) + "\n" for i, c in enumerate(codes)))
    return path


def _run(tmp_path: Path, codes: list[str], *extra: str, timeout: float = 180) -> tuple[subprocess.CompletedProcess,
                                                                                        list[dict], list[dict]]:
    src = _rows(tmp_path / "in.jsonl", codes)
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    res = subprocess.run([*CLI, str(src), "-o", str(out), "--rejected", str(rej), "--no-progress", "--no-dedup",
                          "--no-quality", *extra], capture_output=True, text=True, timeout=timeout)
    read = (lambda p: [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else [])
    return res, read(out), read(rej)


def test_a_row_that_segfaults_the_parser_is_rejected_alone(tmp_path):
    res, kept, rejected = _run(tmp_path, [GOOD, SEGFAULT, GOOD.replace("a + b", "a - b")], "--no-compile")
    assert res.returncode == 0, res.stderr[-800:]  # one worker (the default): the run itself used to die
    assert [r["id"] for r in kept] == ["r0", "r2"]
    assert len(rejected) == 1 and rejected[0]["id"] == "r1"
    assert "SIGSEGV" in json.dumps(rejected[0])


def test_include_of_an_outside_file_or_dev_zero_leaks_nothing(tmp_path):
    secret = tmp_path / "secret_inc.v"
    secret.write_text("TOP-SECRET-LINE wire leaked = 1;\n")
    codes = [f'`include "{secret}"\n' + GOOD, '`include "/dev/zero"\n' + GOOD, GOOD]
    t0 = time.monotonic()
    res, kept, rejected = _run(tmp_path, codes, "--timeout", "10")
    assert res.returncode == 0, res.stderr[-800:]
    assert time.monotonic() - t0 < 120
    assert [r["id"] for r in kept] == ["r2"]
    everything = res.stdout + res.stderr + (tmp_path / "rej.jsonl").read_text() + (tmp_path / "out.jsonl").read_text()
    assert "TOP-SECRET-LINE" not in everything
    assert {r["id"] for r in rejected} == {"r0", "r1"}


def test_sigkill_of_the_filter_leaves_no_worker(tmp_path):
    codes = [GOOD.replace("a + b", f"a + b + 5'd{i % 30}") for i in range(3000)]
    src = _rows(tmp_path / "in.jsonl", codes)
    proc = subprocess.Popen([*CLI, str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", "2", "--no-progress",
                             "--no-compile", "--chunk-size", "50"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        kids: list[int] = []
        while time.monotonic() < deadline and len(kids) < 3:  # two pool workers and at least one parse worker
            time.sleep(0.2)
            kids = _descendants(proc.pid)
            assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert len(kids) >= 3, kids
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in kids if _alive(p)] == []
