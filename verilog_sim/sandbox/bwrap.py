"""bubblewrap: the kernel namespaces every untrusted run gets where ``bwrap`` works.

A dataset's cocotb test is arbitrary Python and a design's system tasks reach the file system, so rlimits and
Landlock alone left holes: UDP to 127.0.0.1 and a Unix socket outside scratch worked, a ``setsid`` child
outlived the run. Under bubblewrap the child sees:

* no network at all (a fresh network namespace: not even loopback),
* its own PID namespace (when the run ends its init dies and the kernel kills everything left in it;
  ``--die-with-parent`` does the same when we die),
* a file system of exactly the toolchain paths, read-only, the scratch directory read-write, a small
  ``/tmp`` (read-only), a minimal ``/dev`` and no ``/proc`` at all (nothing needs it; mounting it cost a
  fifth of the sandbox's start-up),
* no capabilities, a new session (no terminal injection), no further user namespaces.

Landlock is the fallback where bubblewrap cannot run. It is not stacked inside: Landlock forbids mounting, so
it could only be applied by a launcher after bubblewrap built the mounts, and that launcher (a Python start)
cost 35 ms a run against bubblewrap's 16 ms, for no path the mount namespace does not already hide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

TMP_MB = 1  # the sandbox's /tmp: a read-only tmpfs (TMPDIR is the scratch directory)


def executable() -> str | None:
    """The ``bwrap`` on PATH, or None (``HDLGEN_NO_BWRAP=1`` pretends it is missing)."""
    if os.environ.get("HDLGEN_NO_BWRAP", "") not in ("", "0"):
        return None
    return shutil.which("bwrap")


@lru_cache(maxsize=4)
def _works(exe: str) -> bool:
    """bwrap exists and can build our namespaces here (an unprivileged container may forbid them)."""
    try:
        r = subprocess.run([exe, "--unshare-all", "--unshare-user", "--die-with-parent", "--cap-drop", "ALL",
                            "--disable-userns", "--ro-bind", "/", "/", "--dev", "/dev", "true"],
                           capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


def available() -> bool:
    exe = executable()
    return bool(exe) and _works(exe)  # type: ignore[arg-type]


def _mount(path: str, flag: str) -> list[str]:
    if os.path.islink(path):  # /lib -> usr/lib on merged-/usr systems: the same link inside
        return ["--symlink", os.readlink(path), path]
    return [flag, path, path]


def wrap(argv: Sequence[str], *, cwd: Path, writable: Path, read_paths: Iterable[str],
         proc: bool = False) -> list[str]:
    """``argv`` run under bubblewrap: ``read_paths`` read-only, ``writable`` read-write, nothing else.

    ``proc``: a ``/proc`` of the sandbox's own PID namespace (only its processes), for tools that need it:
    yosys locates itself through ``/proc/self/exe`` and stops without it."""
    exe = executable()
    assert exe, "bwrap.wrap called without bwrap"
    out = [exe, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--disable-userns",
           "--dev", "/dev", "--size", str(TMP_MB * 1024), "--tmpfs", "/tmp"] + (["--proc", "/proc"] if proc else [])
    seen: set[str] = set()
    for p in sorted(set(read_paths), key=lambda q: (q.count("/"), q)):  # parents before their children
        if not os.path.lexists(p) or p.startswith(("/dev/", "/proc/")) or p in ("/dev", "/proc", "/tmp"):
            continue
        if any(p == q or p.startswith(q.rstrip("/") + "/") for q in seen):  # inside a folder already there
            continue
        seen.add(p)
        out += _mount(p, "--ro-bind")
    # /dev/zero reads as empty: `include "/dev/zero" grew a compiler to gigabytes; no tool of ours needs it
    out += ["--ro-bind", "/dev/null", "/dev/zero"]
    # /tmp is only a holder for mount points (scratch usually lives under it): read-only once they are made
    return out + ["--bind", str(writable), str(writable), "--remount-ro", "/tmp", "--chdir", str(cwd), "--", *argv]
