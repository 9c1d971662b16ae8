"""Untrusted text is parsed here: a small pool of reused worker processes under time and memory limits.

pyslang and our own regex passes run C code and backtracking on text an adversary wrote. In our process a
50,000-term expression segfaulted pyslang (``hdlgen verify`` exited 139, ``serve-reward`` died) and a deep
instance tree held the GIL for 30 s and 4.6 GB. So every in-process stage that reads an untrusted candidate
(extraction, syntax check, port analysis, renaming, the admission check) goes through :func:`call`:

    code = worker.call("verilog_sim.source.extract:extract_verilog", text, "TopModule", timeout_s=30)

runs the named function in one of a few long-lived worker processes and returns its (picklable) result.
The function's own exceptions are raised again here (a ``PortError`` stays a ``PortError``). When the worker
runs past ``timeout_s`` it is killed; when it runs out of its ``memory_mb`` address space (RLIMIT_AS) or dies
(segfault, abort), :class:`WorkerFailed` says which (``.kind`` is ``"timeout"``, ``"memory"`` or ``"crash"``)
and a fresh worker replaces it at the next call, so one input costs one verdict and nothing else.

Why a pool of reused processes rather than a fork per input: importing pyslang costs ~100 ms and a parse
costs ~1 ms; reuse keeps the throughput of in-process parsing. Workers are started with ``subprocess`` (a new
interpreter, not ``fork``), so they are safe under any multiprocessing start method and from threads; each
gets PR_SET_PDEATHSIG, so it dies with the process that started it even after ``kill -9``. A forked child
of ours (a filter worker) never reuses its parent's workers: it starts its own.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
import os
import pickle
import queue
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

_MiB = 1024 * 1024
_HEADER = struct.Struct("<Q")
_PR_SET_PDEATHSIG = 1
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY_MB = 2048
MAX_REPLY_BYTES = 512 * _MiB  # a reply larger than this is a hostile input's doing: the worker is killed
KINDS = ("timeout", "memory", "crash")


class WorkerFailed(RuntimeError):
    """The worker did not return: ``kind`` is ``"timeout"``, ``"memory"`` or ``"crash"``; ``message`` says why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerFailed, (self.kind, self.message))


def pool_size() -> int:
    """Workers per process: ``HDLGEN_PARSE_WORKERS``, else 4 (started only when that many calls overlap)."""
    try:
        return max(1, int(os.environ.get("HDLGEN_PARSE_WORKERS", "4")))
    except ValueError:
        return 4


def bounds(limits: Any) -> dict[str, Any]:
    """``timeout_s`` and ``memory_mb`` for parsing a candidate judged under ``limits`` (a ``sandbox.Limits``):
    the run's wall time, and its memory capped at ``DEFAULT_MEMORY_MB`` (a parse needs far less than a
    simulation; several workers may hold that much at once)."""
    return {"timeout_s": float(limits.wall_s), "memory_mb": min(int(limits.memory_mb), DEFAULT_MEMORY_MB)}


def call(target: str | Callable[..., Any], *args: Any, timeout_s: float = DEFAULT_TIMEOUT_S,
         memory_mb: int = DEFAULT_MEMORY_MB, **kwargs: Any) -> Any:
    """``module.path:function(*args, **kwargs)`` in a bounded worker; raises :class:`WorkerFailed` on a limit
    or crash, and re-raises the function's own exception. ``target`` may be the module-level function itself
    (the worker imports it by name). Inside a worker it runs the function directly (already bounded)."""
    if callable(target):
        target = f"{target.__module__}:{target.__qualname__}"
    if _INSIDE:
        return _resolve(target)(*args, **kwargs)
    pool = _pool()
    w = pool.acquire()
    try:
        kind, value = w.request(pickle.dumps((target, args, kwargs, int(memory_mb)),
                                             protocol=pickle.HIGHEST_PROTOCOL), timeout_s)
        if kind in KINDS:
            w.kill()  # it exits after an allocation failure or a blown stack anyway
    except BaseException:
        w.kill()  # timed out, crashed, or the caller was interrupted mid-call: its state is unknown
        raise
    finally:
        pool.release(w)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    raise WorkerFailed(kind, value)


def shutdown() -> None:
    """Stop this process's workers (they also die with it; tests call this to leave no process behind)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None and pool.pid == os.getpid():
        pool.close()


def worker_pids() -> list[int]:
    """Process ids of the workers this process holds now (for tests: each must be gone after shutdown)."""
    pool = _POOL
    if pool is None or pool.pid != os.getpid():
        return []
    with pool.cond:
        return [w.proc.pid for w in pool.all if w is not None]  # None: a slot whose worker is starting


# --------------------------------------------------------------------------------------------- parent side

class _Worker:
    def __init__(self) -> None:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        boot = ("import sys; sys.path[:] = " + repr(list(sys.path)) +
                f"; from verilog_sim.sandbox.worker import _serve; _serve({req_r}, {rep_w}, {os.getpid()})")
        try:
            self.proc = _spawn([sys.executable, "-c", boot], (req_r, rep_w))
        finally:
            os.close(req_r)
            os.close(rep_w)
        self.w, self.r = req_w, rep_r
        self.dead = False

    def alive(self) -> bool:
        return not self.dead and self.proc.poll() is None

    def request(self, payload: bytes, timeout_s: float) -> tuple[str, Any]:
        """``(kind, value)``: ``ok`` and the result, ``raise`` and the function's exception, or a failure kind
        and its message from a worker that will exit (memory, blown stack)."""
        deadline = time.monotonic() + max(0.001, timeout_s)
        try:
            _write_all(self.w, _HEADER.pack(len(payload)) + payload)
        except OSError:
            raise self._died() from None
        head = self._read(_HEADER.size, deadline, timeout_s)
        (n,) = _HEADER.unpack(head)
        if n > MAX_REPLY_BYTES:
            raise WorkerFailed("memory", f"reply of {n} bytes exceeds {MAX_REPLY_BYTES // _MiB} MiB")
        data = self._read(n, deadline, timeout_s)
        try:
            kind, value = pickle.loads(data)
        except Exception as exc:  # an exception type that does not unpickle here
            return "crash", f"unreadable reply from the worker: {type(exc).__name__}: {exc}"
        return kind, value

    def _read(self, n: int, deadline: float, timeout_s: float) -> bytes:
        buf = bytearray()
        poller = select.poll()
        poller.register(self.r, select.POLLIN | select.POLLHUP | select.POLLERR)
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(max(1, int(left * 1000))):
                if time.monotonic() >= deadline:
                    raise WorkerFailed("timeout", f"wall time {timeout_s:g} s")
                continue
            chunk = os.read(self.r, min(n - len(buf), 1 << 20))
            if not chunk:
                raise self._died()
            buf += chunk
        return bytes(buf)

    def _died(self) -> WorkerFailed:
        try:
            rc = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            rc = None
        self.dead = True
        if rc is not None and rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = f"signal {-rc}"
            if -rc == signal.SIGKILL:  # not us: the kernel's OOM killer is the usual sender
                return WorkerFailed("memory", f"the parser was killed ({name}), most likely out of memory")
            return WorkerFailed("crash", f"the parser crashed ({name})")
        return WorkerFailed("crash", f"the parser exited unexpectedly (status {rc})")

    def kill(self) -> None:
        self.dead = True
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: anything it started goes too
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def close_fds(self) -> None:
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass


class _Pool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.pid = os.getpid()
        self.idle: list[_Worker] = []
        self.all: list[_Worker] = []
        self.cond = threading.Condition()

    def acquire(self) -> _Worker:
        with self.cond:
            while True:
                while self.idle:
                    w = self.idle.pop()
                    if w.alive():
                        return w
                    self._drop(w)
                if len(self.all) < self.size:
                    placeholder = None
                    self.all.append(placeholder)  # type: ignore[arg-type] - reserve the slot while spawning
                    break
                self.cond.wait()
        try:
            w = _Worker()
        except BaseException:
            with self.cond:
                self.all.remove(None)  # type: ignore[arg-type]
                self.cond.notify()
            raise
        with self.cond:
            self.all[self.all.index(None)] = w  # type: ignore[arg-type]
        return w

    def release(self, w: _Worker) -> None:
        with self.cond:
            if w.alive():
                self.idle.append(w)
            else:
                self._drop(w)
            self.cond.notify()

    def _drop(self, w: _Worker) -> None:
        w.kill()
        w.close_fds()
        if w in self.all:
            self.all.remove(w)

    def close(self) -> None:
        with self.cond:
            workers = [w for w in self.all if w is not None]
            self.all, self.idle = [], []
        for w in workers:
            w.close_fds()  # EOF: an idle worker exits on its own
            w.kill()


_POOL: _Pool | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> _Pool:
    global _POOL, _POOL_LOCK
    pool = _POOL
    if pool is not None and pool.pid == os.getpid():
        return pool
    if pool is not None:  # a forked child: the workers and locks belong to the parent
        _POOL_LOCK = threading.Lock()
        _reset_spawner()
        for w in pool.all:
            if w is not None:
                w.close_fds()
    with _POOL_LOCK:
        if _POOL is None or _POOL.pid != os.getpid():
            _POOL = _Pool(pool_size())
        return _POOL


atexit.register(shutdown)


# PR_SET_PDEATHSIG fires when the *thread* that started the child ends, not the process. Threads come and go
# (ThreadPoolExecutor, HTTP handler threads), so workers are started by one thread that lives as long as the
# process does.
_SPAWN_Q: queue.Queue[tuple[list[str], tuple[int, ...], queue.Queue[Any]]] | None = None
_SPAWN_LOCK = threading.Lock()


def _reset_spawner() -> None:
    global _SPAWN_Q, _SPAWN_LOCK
    _SPAWN_Q = None
    _SPAWN_LOCK = threading.Lock()


def _spawner_loop(q: queue.Queue[Any]) -> None:
    while True:
        argv, fds, reply = q.get()
        try:
            reply.put(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, pass_fds=fds, start_new_session=True,
                                       preexec_fn=_die_with_parent))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            reply.put(exc)


def _spawn(argv: list[str], fds: tuple[int, ...]) -> subprocess.Popen[bytes]:
    global _SPAWN_Q
    with _SPAWN_LOCK:
        if _SPAWN_Q is None:
            _SPAWN_Q = queue.Queue()
            threading.Thread(target=_spawner_loop, args=(_SPAWN_Q,), name="hdlgen-worker-spawner",
                             daemon=True).start()
        q = _SPAWN_Q
    reply: queue.Queue[Any] = queue.Queue()
    q.put((argv, fds, reply))
    got = reply.get()
    if isinstance(got, BaseException):
        raise got
    return got


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the starting thread's process dies (even by ``kill -9``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def pdeathsig_child_setup() -> Callable[[], None]:
    """The same PR_SET_PDEATHSIG hook for other pools of ours (the filter's worker processes)."""
    return _die_with_parent


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


# --------------------------------------------------------------------------------------------- worker side

def _read_exact(fd: int, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


_INSIDE = False  # True in a worker process
_FUNCTIONS: dict[str, Callable[..., Any]] = {}


def _resolve(target: str) -> Callable[..., Any]:
    fn = _FUNCTIONS.get(target)
    if fn is None:
        mod, _, name = target.partition(":")
        fn = _FUNCTIONS[target] = getattr(importlib.import_module(mod), name)
    return fn


def _serve(rfd: int, wfd: int, parent: int) -> None:
    """The worker's loop: read a request, run it under the memory limit, write the reply; exit on EOF."""
    global _INSIDE
    _INSIDE = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches it, not us
    if os.getppid() != parent:  # the parent died before PR_SET_PDEATHSIG was armed
        os._exit(0)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    while True:
        head = _read_exact(rfd, _HEADER.size)
        if head is None:
            os._exit(0)
        body = _read_exact(rfd, _HEADER.unpack(head)[0])
        if body is None:
            os._exit(0)
        target, args, kwargs, memory_mb = pickle.loads(body)
        fatal = False
        try:
            fn = _resolve(target)
            limit = memory_mb * _MiB
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard),
                                                    hard))
            try:
                reply: tuple[str, Any] = ("ok", fn(*args, **kwargs))
            finally:
                resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        except MemoryError:
            reply, fatal = ("memory", f"address space {memory_mb} MiB"), True
        except RecursionError as exc:
            reply, fatal = ("crash", f"the parser gave up: {exc}"), True
        except BaseException as exc:  # noqa: BLE001 - the caller gets it back
            reply = ("raise", exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            data = pickle.dumps(("crash", f"unpicklable result: {type(exc).__name__}: {exc}"))
        _write_all(wfd, _HEADER.pack(len(data)) + data)
        if fatal:  # after an allocation failure or a blown stack, start clean
            os._exit(0)
