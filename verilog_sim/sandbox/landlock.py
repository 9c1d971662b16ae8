"""Filesystem isolation for untrusted simulations with Linux Landlock (unprivileged, kernel >= 5.13).

Icarus lets RTL open any path the process can (``$fopen``, ``$readmemh``, ``$dumpfile``, `` `include``).
A Landlock ruleset built here grants read-only access to the toolchain and read-write access to one scratch
directory; everything else on the filesystem (and, on ABI >= 4, TCP) is denied to the child and all its
descendants. The ruleset is built in the parent; the child only calls two syscalls before exec.
"""

from __future__ import annotations

import ctypes
import os
import struct
from collections.abc import Iterable
from functools import lru_cache

_SYS_CREATE_RULESET = 444  # same numbers on x86_64 and aarch64 (generic syscall table)
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_RULE_PATH_BENEATH = 1
_CREATE_RULESET_VERSION = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | (1 << 14) | (1 << 15)  # + TRUNCATE, IOCTL_DEV
READ_ONLY = EXECUTE | READ_FILE | READ_DIR

_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_prctl = _libc.prctl


@lru_cache(maxsize=1)
def abi_version() -> int:
    """Landlock ABI the kernel offers; 0 when Landlock is unavailable (old kernel, disabled, seccomp)."""
    try:
        v = _syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except Exception:  # pragma: no cover - exotic libc
        return 0
    return max(int(v), 0)


def _handled_fs(abi: int) -> int:
    bits = (1 << 13) - 1  # ABI 1: EXECUTE .. MAKE_SYM
    if abi >= 2:
        bits |= 1 << 13  # REFER
    if abi >= 3:
        bits |= 1 << 14  # TRUNCATE
    if abi >= 5:
        bits |= 1 << 15  # IOCTL_DEV
    return bits


class Ruleset:
    """An open Landlock ruleset fd; pass ``fd`` to the child and call :func:`restrict_self` there."""

    def __init__(self, read_paths: Iterable[str], write_paths: Iterable[str]) -> None:
        abi = abi_version()
        if abi < 1:
            raise OSError("Landlock is not available on this kernel")
        self.abi = abi
        handled = _handled_fs(abi)
        attr = struct.pack("=Q", handled)
        if abi >= 4:
            attr += struct.pack("=Q", 0b11)  # deny TCP bind and connect
        if abi >= 6:
            attr += struct.pack("=Q", 0b11)  # scope abstract unix sockets and signals to the sandbox
        buf = ctypes.create_string_buffer(attr, len(attr))
        fd = _syscall(_SYS_CREATE_RULESET, buf, ctypes.c_size_t(len(attr)), 0)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
        self.fd = int(fd)
        try:
            for p in write_paths:
                self._allow(p, handled)
            for p in read_paths:
                self._allow(p, READ_ONLY)
        except BaseException:
            os.close(self.fd)
            raise

    def _allow(self, path: str, access: int) -> None:
        try:
            pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        try:
            if not os.path.isdir(path):
                access &= _FILE_ONLY
            rule = ctypes.create_string_buffer(struct.pack("=Qi", access, pfd), 12)
            if _syscall(_SYS_ADD_RULE, self.fd, _RULE_PATH_BENEATH, rule, 0) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
        finally:
            os.close(pfd)

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> Ruleset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def restrict_self(fd: int) -> None:
    """Called in the forked child before exec: no new privileges, then enforce the ruleset."""
    if _prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if _syscall(_SYS_RESTRICT_SELF, fd, 0) != 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
