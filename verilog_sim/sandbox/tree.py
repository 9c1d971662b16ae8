"""Accounting for a whole run, not one process: how many processes, how much memory, how much scratch disk.

RLIMIT_AS bounds each process, so five children of 1 GiB each got past a 4 GiB limit; RLIMIT_NPROC does not
bind root; RLIMIT_FSIZE bounds one file, not their sum (420 MB in 8 s). cgroups would bound the tree in the
kernel, but they are rarely writable where hdlgen runs (CI, containers), so :func:`run` polls instead: every
few tens of milliseconds it walks the run's process tree (``/proc/PID/task/TID/children``; under bubblewrap
orphans are re-parented to the sandbox's own init, so a ``setsid`` child stays in the tree) and its scratch
directory, and kills the run when a bound is passed. A poll can be late by one interval, so each process still
has its own rlimits as the hard ceiling.
"""

from __future__ import annotations

import os

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


_HAS_CHILDREN_FILE = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


def _descendants_by_scan(pid: int, cap: int) -> list[int]:
    """The same from every process's parent id (kernels without CONFIG_PROC_CHILDREN)."""
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(name))
    out = [pid]
    i = 0
    while i < len(out) and len(out) < cap:
        out.extend(kids.get(out[i], ()))
        i += 1
    return out[:cap]


def descendants(pid: int, cap: int = 4096) -> list[int]:
    """``pid`` and every process below it (at most ``cap``)."""
    if not _HAS_CHILDREN_FILE:
        return _descendants_by_scan(pid, cap)
    out = [pid]
    i = 0
    while i < len(out) and len(out) < cap:
        p = out[i]
        i += 1
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    out.extend(int(c) for c in fh.read().split())
            except (OSError, ValueError):
                continue
    return out[:cap]


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of ``pids`` so far (their own, not their reaped children's)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total / _TICK


def disk_bytes(path: str, max_entries: int = 100_000) -> tuple[int, int]:
    """(bytes allocated, entries) under ``path``; stops counting after ``max_entries`` entries."""
    total = entries = 0
    stack = [path]
    while stack and entries < max_entries:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                for e in it:
                    entries += 1
                    try:
                        st = e.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += st.st_blocks * 512
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
        except OSError:
            continue
    return total, entries
