"""Which tools judged a result, with versions: results differ across simulator versions, so record them."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

from .errors import ToolMissing
from .sandbox import isolation_name

__all__ = ["ToolMissing", "icarus_major", "icarus_version", "package_version", "require_icarus", "versions"]


@cache
def icarus_version() -> str | None:
    """``'Icarus Verilog 11.0 (stable)'`` or None when iverilog is not on PATH."""
    exe = shutil.which("iverilog")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "-V"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"Icarus Verilog version ([^\s]+(?: \([^)]*\))?)", out)
    return f"Icarus Verilog {m.group(1)}" if m else out.splitlines()[0] if out else "Icarus Verilog (unknown)"


def icarus_major() -> int:
    v = icarus_version() or ""
    m = re.search(r"(\d+)\.", v)
    return int(m.group(1)) if m else 0


def require_icarus() -> str:
    v = icarus_version()
    if v is None or not shutil.which("vvp"):
        raise ToolMissing("Icarus Verilog (iverilog, vvp) not found on PATH: install it with "
                          "'sudo apt-get install iverilog' (or run scripts/setup.sh)")
    return v


def package_version(name: str) -> str | None:
    from importlib import metadata  # ~10 ms: only when a verdict records versions

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@cache
def versions(frontend: str | None = "pyslang") -> dict[str, str]:
    """The ``tools`` field of a Verdict."""
    out: dict[str, str] = {}
    if (v := icarus_version()) is not None:
        out["simulator"] = v
    if (c := package_version("cocotb")) is not None:
        out["cocotb"] = c
    if frontend and (f := package_version(frontend)) is not None:
        out["frontend"] = f"{frontend} {f}"
    out["sandbox"] = isolation_name()
    return out
