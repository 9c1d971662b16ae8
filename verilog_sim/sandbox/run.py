"""Run one untrusted compile or simulation: own scratch dir, time/memory/output/file limits, group kill.

Every Icarus and cocotb process of hdlgen goes through :func:`run`. It never raises for what the child
does; it reports which limit (if any) was hit so the caller can turn it into a ``timeout`` or
``resource_limit`` verdict with a message naming the limit.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import bwrap, landlock, tree
from .policy import confined, require_isolation

_MiB = 1024 * 1024
DEFAULT_TIMEOUT_S = 30.0  # wall clock per compile or simulation: the official VerilogEval limit


@dataclass(frozen=True)
class Limits:
    """Per-process limits. ``wall_s`` is the timeout; the others are hard OS limits."""

    wall_s: float = DEFAULT_TIMEOUT_S
    cpu_s: int | None = None  # default: wall_s rounded up + 1
    memory_mb: int = 4096  # address space; cocotb's embedded Python needs a few hundred MiB of it
    output_bytes: int = 4 * _MiB  # stdout + stderr kept and allowed before the group is killed
    file_mb: int = 64  # largest file the child may write
    open_files: int = 256
    input_bytes: int = 8 * _MiB  # largest candidate text accepted before any parsing
    processes: int = 64  # processes of the whole run at once (watched: RLIMIT_NPROC does not bind root)
    disk_mb: int = 256  # the sum of what the run leaves in its scratch directory (watched)

    def cpu_limit(self) -> int:
        return self.cpu_s if self.cpu_s is not None else int(self.wall_s) + 2


@dataclass(frozen=True)
class RunResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    limit: str | None = None  # human text naming the limit that ended the run, e.g. "wall time 30 s"
    timed_out: bool = False
    max_rss_mb: float = 0.0
    isolation: str = field(default="")

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.limit is None


def isolation_name() -> str:
    """Which isolation layer runs get here, for the Verdict's ``tools``: ``bwrap`` (namespaces: no network,
    own PID space, only the toolchain mounted), else ``landlock v7`` (file access only), else ``rlimits only``
    (then cocotb tests, which are arbitrary Python, are refused). Every run also has its rlimits and the
    whole-run bounds of :mod:`verilog_sim.sandbox.tree`."""
    if bwrap.available():
        return "bwrap (net, pid, mount namespaces) + rlimits + tree bounds"
    abi = landlock.abi_version()
    return f"landlock v{abi} + rlimits + tree bounds" if abi else \
        "rlimits only (no bwrap, no landlock: no kernel isolation)"


@lru_cache(maxsize=1)
def toolchain_read_paths() -> tuple[str, ...]:
    """Directories a simulation legitimately reads: system libraries, Icarus, the Python running cocotb."""
    paths = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/ld.so.cache", "/etc/localtime",
             "/dev/null", "/dev/urandom", "/dev/zero"}
    for exe in ("iverilog", "vvp", "yosys", "yosys-abc"):
        found = shutil.which(exe)
        if found:
            paths.update(_tool_paths(Path(found)))
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              sysconfig.get_paths().get("stdlib", ""), sysconfig.get_paths().get("purelib", ""),
              sysconfig.get_paths().get("platlib", ""), str(Path(sys.executable).resolve().parent.parent)):
        if p:
            paths.add(p)
    try:
        import cocotb  # noqa: PLC0415 - location of the cocotb install and its libpython

        paths.add(str(Path(cocotb.__file__).resolve().parent.parent))
    except Exception:  # cocotb missing: verilog testbenches still run
        pass
    return tuple(sorted(p for p in paths if os.path.exists(p)))


def _tool_paths(found: Path) -> set[str]:
    """The files a tool outside the system directories needs: the program (and the link to it) and its own
    ``lib/<tool>``/``share/<tool>`` folders, never its install prefix (a ``yosys`` in ``~/bin`` would grant
    the whole home directory)."""
    real = found.resolve()
    out = {str(found), str(real)}
    prefix = real.parent.parent
    for sub in ("lib", "share", "libexec"):
        for name in ("ivl", "iverilog", "yosys", real.name):
            out.add(str(prefix / sub / name))
    return out


def base_env(scratch: Path) -> dict[str, str]:
    """A small, deterministic environment: nothing of the caller's secrets, HOME and TMPDIR in scratch."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    return env


class Scratch:
    """A private temporary directory removed on exit (``HDLGEN_SCRATCH`` picks the parent)."""

    def __init__(self, prefix: str = "hdlgen-", keep: bool = False) -> None:
        parent = os.environ.get("HDLGEN_SCRATCH") or None
        if parent:
            os.makedirs(parent, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent)).resolve()
        self.keep = keep

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        if not self.keep:
            shutil.rmtree(self.path, ignore_errors=True)


def _preexec(limits: Limits, ruleset_fd: int | None):  # noqa: ANN202 - returns the child hook
    cpu = limits.cpu_limit()
    mem = limits.memory_mb * _MiB
    fsize = limits.file_mb * _MiB
    nofile = limits.open_files

    def hook() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if ruleset_fd is not None:
            landlock.restrict_self(ruleset_fd)

    return hook


def _drain(stream, sink: bytearray, cap: int, over: threading.Event) -> None:  # noqa: ANN001
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        room = cap - len(sink)
        if room > 0:
            sink.extend(chunk[:room])
        if len(chunk) > room:
            over.set()
            break
    stream.close()


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_MEMORY_HINTS = ("bad_alloc", "out of memory", "cannot allocate memory", "memory allocation failed",
                 "MemoryError", "Failed to allocate")


def run(
    argv: Sequence[str],
    cwd: Path,
    *,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    extra_read: Iterable[str] = (),
    isolate: bool = True,
    writable: Path | None = None,
    pass_fds: Sequence[int] = (),
    proc: bool = False,
) -> RunResult:
    """Run ``argv`` (never a shell string) in ``cwd`` under ``limits``; ``cwd`` is the only writable place.

    ``writable`` (default ``cwd``) is the one directory tree the child may write.
    ``pass_fds`` stay open in the child (the harness's report channel: a descriptor the design cannot name).
    ``proc``: mount the sandbox's own ``/proc`` under bubblewrap (yosys finds itself through /proc/self/exe).
    The child gets its own session (process group); on timeout, output overflow or when the caller is
    interrupted, the whole group is killed. The caller owns ``cwd`` (see :class:`Scratch`).
    """
    argv = tuple(str(a) for a in argv)
    cwd = Path(cwd).resolve()
    path = (env if env is not None else os.environ).get("PATH", os.defpath)
    if not shutil.which(argv[0], path=path):  # as Popen would say it, not bwrap's execvp inside the sandbox
        return RunResult(argv, 127, "", f"could not start {argv[0]}: no such program", 0.0)
    write_dir = Path(writable).resolve() if writable else cwd
    ruleset = None
    if isolate and not confined():
        require_isolation()  # every untrusted run passes here: enforce the setting once
    use_bwrap = isolate and bwrap.available()
    if isolate and not use_bwrap and landlock.abi_version():  # the fallback layer
        ruleset = landlock.Ruleset(read_paths=[*toolchain_read_paths(), *extra_read], write_paths=[str(write_dir)])
    isolation = "bwrap" if use_bwrap else f"landlock v{ruleset.abi}" if ruleset else "none"
    command = bwrap.wrap(argv, cwd=cwd, writable=write_dir, read_paths=[*toolchain_read_paths(), *extra_read],
                         proc=proc) if use_bwrap else list(argv)
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(env) if env is not None else base_env(cwd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_preexec(limits, ruleset.fd if ruleset else None),
            pass_fds=((ruleset.fd,) if ruleset else ()) + tuple(pass_fds),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        if ruleset:
            ruleset.close()
        return RunResult(argv, 127, "", f"could not start {argv[0]}: {exc}", time.perf_counter() - start,
                         isolation=isolation)
    if ruleset:
        ruleset.close()
    out, err = bytearray(), bytearray()
    over = threading.Event()
    cap = max(limits.output_bytes // 2, 1024)
    readers = [threading.Thread(target=_drain, args=(s, b, cap, over), daemon=True)
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for t in readers:
        t.start()
    status_box: list[tuple[int, int, resource.struct_rusage]] = []
    waiter = threading.Thread(target=lambda: status_box.append(os.wait4(proc.pid, 0)), daemon=True)
    waiter.start()
    limit = None
    timed_out = False
    deadline = start + limits.wall_s
    polls = 0
    seen = _Seen()
    try:
        while waiter.is_alive():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                timed_out = True
                limit = f"wall time {limits.wall_s:g} s"
                break
            if over.is_set():
                limit = f"output {limits.output_bytes // 1024} KiB"
                break
            waiter.join(min(remaining, 0.02 if polls < 10 else 0.05))
            polls += 1
            if waiter.is_alive() and (limit := _tree_limit(proc.pid, write_dir, limits, polls, seen)):
                break
    except BaseException:
        _kill_group(proc.pid)
        raise
    finally:
        _kill_group(proc.pid)  # grandchildren too, even after a clean exit
        waiter.join()
        for t in readers:
            t.join(timeout=2.0)
    seconds = time.perf_counter() - start
    _, wstatus, usage = status_box[0]
    proc.returncode = os.waitstatus_to_exitcode(wstatus)
    rc = proc.returncode
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    max_rss_mb = max(usage.ru_maxrss / 1024, seen.rss / _MiB)  # under bwrap wait4 may not see the tool itself
    if limit is None and over.is_set():
        limit = f"output {limits.output_bytes // 1024} KiB"
    if limit is None:
        limit = _limit_from_exit(rc, usage, limits, stdout + stderr, seen)
        if limit and limit.startswith("cpu"):
            timed_out = True
    return RunResult(argv, rc, stdout, stderr, seconds, limit, timed_out, max_rss_mb, isolation)


@dataclass
class _Seen:
    """The most the run's process tree was seen using at a poll."""

    rss: int = 0
    cpu: float = 0.0


def _tree_limit(pid: int, scratch: Path, limits: Limits, polls: int, seen: _Seen) -> str | None:
    """The bound the whole run has passed (process count, memory of all its processes, scratch disk), or None."""
    pids = tree.descendants(pid, cap=limits.processes + 8)
    if len(pids) > limits.processes + 2:  # bwrap and the sandbox's init are not the run's own
        return f"processes {limits.processes}"
    rss = tree.rss_bytes(pids)
    seen.rss = max(seen.rss, rss)
    seen.cpu = max(seen.cpu, tree.cpu_seconds(pids))
    if rss > limits.memory_mb * _MiB:
        return f"memory of all processes {limits.memory_mb} MiB"
    if polls % 5 == 0:
        used, entries = tree.disk_bytes(str(scratch), max_entries=20_000)
        if used > limits.disk_mb * _MiB or entries >= 20_000:
            return f"scratch disk {limits.disk_mb} MiB"
    return None


def _limit_from_exit(rc: int, usage: resource.struct_rusage, limits: Limits, text: str,
                     seen: _Seen | None = None) -> str | None:
    """Name the limit that ended a child which exited on its own (signal or allocation failure)."""
    # a signal that ended the child itself (rc < 0), or a grandchild whose shell (or bwrap) reported it as 128 + sig
    sig = -rc if rc < 0 else rc - 128 if 128 < rc < 128 + 65 else 0
    cpu = max(usage.ru_utime + usage.ru_stime, seen.cpu if seen else 0.0)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= limits.cpu_limit() - 0.5):
        return f"cpu time {limits.cpu_limit()} s"
    if sig == signal.SIGXFSZ:
        return f"file size {limits.file_mb} MiB"
    if rc != 0:
        low = text[-4000:].lower()
        if any(h.lower() in low for h in _MEMORY_HINTS) or (sig in (signal.SIGSEGV, signal.SIGABRT)
                                                            and max(usage.ru_maxrss * 1024, seen.rss if seen else 0)
                                                            > limits.memory_mb * _MiB // 2):
            return f"memory {limits.memory_mb} MiB"
    return None
