"""The bounded parse worker: a crash, a hang or a memory bomb costs one call a WorkerFailed, never our process;
the next call gets a fresh worker; workers die with the process that started them, even after ``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from verilog_sim.sandbox import worker

SEGFAULTING = "module TopModule(input a, output y); assign y = " + " + ".join(["a"] * 50000) + "; endmodule\n"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture(autouse=True)
def _no_workers_left():
    yield
    pids = worker.worker_pids()
    worker.shutdown()
    for pid in pids:
        assert not _alive(pid)


def test_result_and_own_exception_come_back():
    assert worker.call("verilog_sim.source.extract:module_names", "module a(); endmodule module b; endmodule") == \
        ["a", "b"]
    with pytest.raises(ValueError, match="invalid literal"):
        worker.call("builtins:int", "xx")
    assert worker.call("builtins:int", "7") == 7  # the worker survived its function's exception


def test_pyslang_segfault_is_a_crash_and_the_next_call_works():
    with pytest.raises(worker.WorkerFailed) as exc:
        worker.call("verilog_sim.frontend.syntax:check_source", SEGFAULTING, timeout_s=60)
    assert exc.value.kind == "crash" and "SIGSEGV" in exc.value.message
    assert worker.call("verilog_sim.frontend.syntax:check_source", "module m; endmodule\n").ok


def test_hang_is_a_timeout_and_the_worker_is_killed():
    worker.call("builtins:len", "warm")
    before = set(worker.worker_pids())
    t0 = time.monotonic()
    with pytest.raises(worker.WorkerFailed) as exc:
        worker.call("time:sleep", 30, timeout_s=0.5)
    assert exc.value.kind == "timeout" and time.monotonic() - t0 < 5
    assert not any(_alive(p) for p in before - set(worker.worker_pids()))
    assert worker.call("builtins:len", "abc") == 3


def test_memory_bomb_is_a_memory_failure():
    with pytest.raises(worker.WorkerFailed) as exc:
        worker.call("builtins:bytearray", 3 * 2**30, memory_mb=1024)
    assert exc.value.kind == "memory"
    assert worker.call("builtins:len", "ok") == 2


def test_workers_outlive_the_thread_that_started_them():
    pid: list[int] = []

    def first() -> None:
        worker.call("builtins:len", "x")
        pid.extend(worker.worker_pids())

    t = threading.Thread(target=first)
    t.start()
    t.join()
    time.sleep(0.3)
    assert pid and all(_alive(p) for p in pid)  # PR_SET_PDEATHSIG follows the starting thread: not this one


def test_workers_die_with_a_killed_parent():
    code = ("from verilog_sim.sandbox import worker; worker.call('builtins:len', 'x'); "
            "print(*worker.worker_pids(), flush=True); import time; time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]  # type: ignore[union-attr]
        assert pids and all(_alive(p) for p in pids)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)


def test_forked_child_uses_its_own_workers():
    worker.call("builtins:len", "x")
    mine = set(worker.worker_pids())
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            ok = worker.call("builtins:len", "abcd") == 4 and not (set(worker.worker_pids()) & mine)
            worker.shutdown()
            os.write(w, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(w)
    got = os.read(r, 1)
    os.waitpid(pid, 0)
    os.close(r)
    assert got == b"1"
    assert worker.call("builtins:len", "ab") == 2 and set(worker.worker_pids()) == mine
