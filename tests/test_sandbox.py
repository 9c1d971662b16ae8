"""The sandbox itself: limits, group kill, environment, filesystem isolation, scratch lifetime."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from verilog_sim import sandbox
from verilog_sim.sandbox import bwrap as sandbox_bwrap
from verilog_sim.sandbox import landlock

needs_landlock = pytest.mark.skipif(not landlock.abi_version(), reason="kernel without Landlock")


def test_clean_run_reports_output_and_exit_code(tmp_path):
    r = sandbox.run(["sh", "-c", "echo out; echo err >&2; exit 3"], tmp_path)
    assert (r.returncode, r.stdout, r.stderr, r.limit) == (3, "out\n", "err\n", None)
    assert not r.ok


def test_wall_timeout_kills_the_whole_group(tmp_path):
    marker = f"hdlgen-sleep-{os.getpid()}"
    t = time.perf_counter()
    r = sandbox.run(["sh", "-c", f"(exec -a {marker} sleep 100) & sleep 100"], tmp_path,
                    limits=sandbox.Limits(wall_s=0.5))
    assert r.timed_out and r.limit == "wall time 0.5 s"
    assert time.perf_counter() - t < 3
    time.sleep(0.1)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in ps


def test_cpu_limit_is_reported_as_timeout(tmp_path):
    r = sandbox.run(["sh", "-c", "while :; do :; done"], tmp_path, limits=sandbox.Limits(wall_s=20, cpu_s=1))
    assert r.timed_out and r.limit is not None and r.limit.startswith("cpu time")


def test_output_cap_stops_a_flood(tmp_path):
    r = sandbox.run(["yes"], tmp_path, limits=sandbox.Limits(wall_s=20, output_bytes=64 * 1024))
    assert r.limit is not None and r.limit.startswith("output")
    assert len(r.stdout) <= 64 * 1024


def test_file_size_limit(tmp_path):
    r = sandbox.run(["sh", "-c", "head -c 5000000 /dev/urandom > big"], tmp_path,
                    limits=sandbox.Limits(wall_s=20, file_mb=1))
    assert r.limit == "file size 1 MiB"
    assert (tmp_path / "big").stat().st_size <= 1024 * 1024


def test_memory_limit(tmp_path):
    py = "x = bytearray(600 * 1024 * 1024)"
    r = sandbox.run([os.sys.executable, "-c", py], tmp_path, limits=sandbox.Limits(wall_s=20, memory_mb=256),
                    isolate=False)
    assert r.limit == "memory 256 MiB"


def test_environment_does_not_leak_the_callers_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("HDLGEN_TEST_TOKEN", "s3cr3t")
    r = sandbox.run(["env"], tmp_path)
    assert "s3cr3t" not in r.stdout
    assert f"HOME={tmp_path.resolve()}" in r.stdout


def test_missing_program_is_a_result_not_an_exception(tmp_path):
    r = sandbox.run(["/nonexistent/tool"], tmp_path)
    assert r.returncode == 127 and "could not start" in r.stderr


@pytest.mark.parametrize("layer", ["bwrap", "landlock"])
def test_isolation_confines_reads_and_writes(tmp_path, monkeypatch, layer):
    if layer == "landlock":
        if not landlock.abi_version():
            pytest.skip("no landlock here")
        monkeypatch.setenv("HDLGEN_NO_BWRAP", "1")
    elif not sandbox_bwrap.available():
        pytest.skip("no working bwrap here")
    work = tmp_path / "work"
    work.mkdir()
    secret = tmp_path / "secret"
    secret.write_text("top secret")
    r = sandbox.run(["sh", "-c", f"cat {secret}; echo hi > {tmp_path}/out; echo ok > inside; cat inside"], work)
    assert "top secret" not in r.stdout and ("Permission denied" in r.stderr or "No such file" in r.stderr)
    assert not (tmp_path / "out").exists()
    assert r.stdout.strip().endswith("ok")
    assert r.isolation == layer if layer == "bwrap" else r.isolation.startswith("landlock")


@needs_landlock
def test_writable_can_widen_to_a_parent(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    r = sandbox.run(["sh", "-c", "echo hi > ../sibling"], sub, writable=tmp_path)
    assert r.ok and (tmp_path / "sibling").read_text() == "hi\n"


def test_scratch_is_private_and_removed(monkeypatch, tmp_path):
    monkeypatch.setenv("HDLGEN_SCRATCH", str(tmp_path))
    with sandbox.Scratch() as s:
        (s / "f").write_text("x")
        assert s.parent == tmp_path.resolve()
    assert not s.exists()


def test_isolation_name_is_recorded(monkeypatch):
    assert sandbox.isolation_name().startswith(("bwrap", "landlock v", "rlimits only"))
    monkeypatch.setenv("HDLGEN_NO_BWRAP", "1")
    assert sandbox.isolation_name().startswith(("landlock v", "rlimits only"))


def test_without_landlock_the_static_guard_refuses_outside_paths(monkeypatch):
    from verilog_sim import Problem, Status, verify

    monkeypatch.setattr(landlock, "abi_version", lambda: 0)
    monkeypatch.setenv("HDLGEN_NO_BWRAP", "1")
    monkeypatch.setattr("verilog_sim.judge.verify.admit", lambda *a, **k: None)  # the guard alone (issue 11's check off)
    p = Problem(task_id="g", top="TopModule")
    evil = ("module TopModule(input a, output y);\n  integer fd;\n  initial fd = $fopen(\"/etc/passwd\", \"r\");\n"
            "  assign y = a;\nendmodule\n")
    v = verify(p, evil)
    assert v.status is Status.COMPILE_ERROR and v.diagnostics[0].code == "unsafe-path"
    assert v.diagnostics[0].line == 3
    fine = evil.replace("/etc/passwd", "data.txt")
    assert verify(p, fine).status is Status.PASS
    monkeypatch.setenv("HDLGEN_REQUIRE_ISOLATION", "1")
    from verilog_sim.tools import ToolMissing

    with pytest.raises(ToolMissing):
        verify(p, fine)


def test_static_guard_and_isolation_setting_also_hold_for_batches(monkeypatch, tmp_path):
    from verilog_sim import Problem, Status
    from verilog_sim.judge.batch import verify_many
    from verilog_sim.tools import ToolMissing

    monkeypatch.setattr(landlock, "abi_version", lambda: 0)
    monkeypatch.setenv("HDLGEN_NO_BWRAP", "1")
    monkeypatch.setattr("verilog_sim.judge.verify.admit", lambda *a, **k: None)  # the guard alone (issue 11's check off)
    ref = "module RefModule(input a, output y);\n  assign y = a;\nendmodule\n"
    p = Problem(task_id="g", top="TopModule", ref=ref, ref_top="RefModule")
    evil = ("module TopModule(input a, output y);\n  integer fd;\n  initial fd = $fopen(\"/etc/passwd\", \"r\");\n"
            "  assign y = a;\nendmodule\n")
    fine = ref.replace("RefModule", "TopModule")
    verdicts = verify_many(p, [evil, fine], seed=1, cycles=20)
    assert verdicts[0].status is Status.COMPILE_ERROR and verdicts[0].diagnostics[0].code == "unsafe-path"
    assert verdicts[1].status is Status.PASS
    monkeypatch.setenv("HDLGEN_REQUIRE_ISOLATION", "1")
    with pytest.raises(ToolMissing):
        sandbox.run(["true"], tmp_path)


def test_static_guard_flags_computed_and_dotdot_paths():
    from verilog_sim.sandbox.pathguard import unsafe_file_access

    code = ('initial $readmemh("../x.hex", m);\ninitial fd = $fopen(name, "r");\n`include "/abs/inc.v"\n'
            'initial $dumpfile("ok.vcd");\n')
    found = unsafe_file_access(code, "d.v")
    assert [d.line for d in found] == [1, 2, 3]


def test_static_guard_sees_escapes_token_pasting_and_ivlh_tasks():
    """Without kernel isolation these bypassed the guard: an octal-escaped path, a task name pasted together
    by a macro, and Icarus's own ``$ivlh_file_open``."""
    from verilog_sim.sandbox.pathguard import unsafe_file_access

    for code in ('initial fd = $fopen("\\057etc\\057passwd", "r");',
                 '`define OPEN(x) $f``x\ninitial fd = `OPEN(open)("data.txt");',
                 'initial $ivlh_file_open(fd, "/etc/passwd", 0);'):
        assert unsafe_file_access(code, "d.v"), code
    assert unsafe_file_access('initial $readmemh("rom.hex", m);', "d.v") == []


def test_bwrap_run_sees_no_proc_no_network_and_only_the_toolchain(tmp_path):
    if not sandbox_bwrap.available():
        pytest.skip("no working bwrap here")
    r = sandbox.run(["sh", "-c", "ls /proc | wc -l; ls /home /root/.ssh 2>&1 | head -2; cat /sys/class/net/*/address"
                     " 2>&1 | head -1"], tmp_path)
    lines = r.stdout.splitlines()
    assert lines[0].strip() == "0"  # no /proc: no other process's environment or descriptors to read
    assert r.isolation == "bwrap"
