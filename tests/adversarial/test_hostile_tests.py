"""A problem's cocotb test is arbitrary Python (a dataset row, a reward request's label). Under the sandbox it
reaches no network and no socket outside scratch, leaves no process behind, and the whole run is bounded in
processes, memory and scratch disk: each case ends in a clear verdict within its limit."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from verilog_sim import Limits, Problem, verify
from verilog_sim.sandbox import bwrap
from verilog_sim.verdict import Status

pytestmark = pytest.mark.skipif(not bwrap.available(), reason="needs a working bubblewrap (apt-get install bubblewrap)")

DESIGN = "module TopModule(input [7:0] a, output [7:0] y);\nassign y = a + 8'd1;\nendmodule\n"
TEST = """import cocotb, os, socket, subprocess, sys, time
from cocotb.triggers import Timer

@cocotb.test()
async def hostile(dut):
{body}
    dut.a.value = 3
    await Timer(1, unit="ns")
    assert int(dut.y.value) == 4
"""


def _problem(body: str) -> Problem:
    indented = "\n".join("    " + line for line in body.strip("\n").splitlines())
    return Problem(task_id="hostile", top="TopModule", test=TEST.format(body=indented), test_kind="cocotb")


def _processes_with(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if marker in ln and "ps -eo" not in ln]


@pytest.fixture()
def scratch_parent(tmp_path, monkeypatch):
    parent = tmp_path / "scratch"
    parent.mkdir()
    monkeypatch.setenv("HDLGEN_SCRATCH", str(parent))
    yield parent
    assert list(parent.iterdir()) == [], "scratch was not removed"


def test_udp_to_the_hosts_loopback_never_arrives(scratch_parent):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.setblocking(False)
    port = rx.getsockname()[1]
    body = f"""
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(20):
    s.sendto(b"pwned", ("127.0.0.1", {port}))
"""
    v = verify(_problem(body), DESIGN, timeout=20)
    assert v.status is not Status.TIMEOUT, v.message
    time.sleep(0.2)
    with pytest.raises(BlockingIOError):
        rx.recv(100)  # the sandbox's own network namespace: the host's loopback is not there
    rx.close()
    assert v.tools.get("sandbox", "").startswith("bwrap")


def test_unix_socket_outside_scratch_is_unreachable(scratch_parent, tmp_path):
    path = tmp_path / "outside.sock"
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(str(path))
    srv.listen(1)
    srv.settimeout(0.5)
    body = f"""
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect({str(path)!r})
c.sendall(b"pwned")
"""
    v = verify(_problem(body), DESIGN, timeout=20)
    assert v.status is not Status.PASS  # the connect failed inside: the test did not get past it
    with pytest.raises(TimeoutError):
        srv.accept()
    srv.close()


def test_a_setsid_child_does_not_survive_the_run(scratch_parent):
    body = """
subprocess.Popen(["sleep", "1234.5"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    os.execvp("sleep", ["sleep", "1234.6"])
"""
    v = verify(_problem(body), DESIGN, timeout=20)
    assert v.status is Status.PASS, v.message  # nothing stopped the test itself; its children are the point
    time.sleep(0.3)
    assert _processes_with("sleep 1234.") == []


@pytest.mark.slow  # 1.5 GB for a moment: not on every run of a shared machine
def test_children_together_past_the_memory_limit_are_stopped(scratch_parent):
    body = """
kids = [subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(b'x') * (300 * 2**20); time.sleep(30)"])
        for _ in range(5)]
time.sleep(30)
"""
    t0 = time.monotonic()
    v = verify(_problem(body), DESIGN, limits=Limits(wall_s=40, memory_mb=1024))
    assert v.status is Status.RESOURCE_LIMIT and "memory of all processes" in v.message, v.message
    assert time.monotonic() - t0 < 30


def test_many_processes_are_stopped(scratch_parent):
    body = """
kids = [subprocess.Popen(["sleep", "1234.7"]) for _ in range(200)]
time.sleep(30)
"""
    v = verify(_problem(body), DESIGN, limits=Limits(wall_s=40))
    assert v.status is Status.RESOURCE_LIMIT and "processes" in v.message, v.message
    time.sleep(0.3)
    assert _processes_with("sleep 1234.7") == []


def test_scratch_disk_flood_is_stopped(scratch_parent, tmp_path):
    body = """
chunk = b"x" * (8 * 2**20)
for i in range(100):
    with open(f"flood{i}.bin", "wb") as fh:
        for _ in range(6):
            fh.write(chunk)
"""
    t0 = time.monotonic()
    v = verify(_problem(body), DESIGN, limits=Limits(wall_s=60, disk_mb=100))
    assert v.status is Status.RESOURCE_LIMIT and "scratch disk" in v.message, v.message
    assert time.monotonic() - t0 < 30


def test_toolchain_grant_is_exactly_the_tools_not_their_prefix(tmp_path, monkeypatch):
    """A ``yosys`` found in a home-like folder grants that program, not the folder above its ``bin``."""
    from verilog_sim.sandbox.run import _tool_paths

    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    (home / "private.txt").write_text("secret")
    fake = home / "bin" / "yosys"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    granted = _tool_paths(Path(fake))
    assert str(home) not in granted and str(home / "bin") not in granted
    assert str(fake) in granted
    assert not any(Path(p) == home or str(home / "private.txt").startswith(p + os.sep) for p in granted)
