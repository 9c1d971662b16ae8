"""``hdlgen check --compile``: the files compiled together by ``iverilog -g2012`` in the sandbox.

The syntax check is fast and never rejects what Icarus compiles, but it cannot see everything Icarus rejects
(an unknown module, a width Icarus does not support). This asks Icarus itself, like the verify pipeline's
compile stage, and maps its diagnostics back to the files as the user named them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from .. import sandbox, tools
from ..verdict import Diagnostic
from . import simulate

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_HDL = (".v", ".vh", ".sv", ".svh", ".h", ".inc", ".vinc")
_MIRROR_BYTES = 64 << 20


def _mirror_includes(scratch: Path, dirs: Sequence[str]) -> list[str]:
    """Copy the HDL files under each directory (bounded) to ``scratch/inc/<absolute path>``; the ``-I`` args."""
    args: list[str] = []
    budget = _MIRROR_BYTES
    for d in dirs:
        src = Path(d).resolve()
        if not src.is_dir():
            continue
        dst = scratch / "inc" / str(src).lstrip("/")
        for f in sorted(src.rglob("*")):
            if budget <= 0:
                break
            if f.suffix.lower() in _HDL and f.is_file() and not f.is_symlink():
                target = dst / f.relative_to(src)
                if not target.exists():
                    data = f.read_bytes()[:budget]
                    budget -= len(data)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
        dst.mkdir(parents=True, exist_ok=True)
        args.append(f"-I{dst.relative_to(scratch)}")
    return args


def compile_check(items: Sequence[tuple[str, str]], timeout: float = sandbox.DEFAULT_TIMEOUT_S, *,
                  include_dirs: Sequence[str] = (), defines: Sequence[tuple[str, str]] = ()) -> list[list[Diagnostic]]:
    """Diagnostics per ``(code, filename)`` item from compiling all items as one design (all roots elaborated).

    Raises ``ToolMissing`` when Icarus is not installed. The HDL files of ``include_dirs`` and of each item's
    own directory are copied into the sandbox under their absolute paths (so ``../inc/x.vh`` still resolves)
    and passed as ``-I``; ``defines`` as ``-D``. These are the user's own trusted files (``hdlgen check``).
    """
    tools.require_icarus()
    names = [f"f{i}_{_UNSAFE.sub('_', name.rsplit('/', 1)[-1])[-80:]}" for i, (_, name) in enumerate(items)]
    index = {n: i for i, n in enumerate(names)}
    out: list[list[Diagnostic]] = [[] for _ in items]
    with sandbox.Scratch() as scratch:
        for n, (code, _) in zip(names, items):
            (scratch / n).write_text(code)
        dirs = [*include_dirs, *dict.fromkeys(os.path.dirname(os.path.abspath(name)) for _, name in items)]
        extra = [f"-D{k}={v}" for k, v in defines] + _mirror_includes(scratch, dirs)
        res = simulate.compile_sources(names, [], scratch, sandbox.Limits(wall_s=timeout), out="check.vvp",
                                       extra=extra)
    if res.limit:
        return [[Diagnostic(items[0][1], 1, 1, "error", "compile-limit", f"iverilog stopped: {res.limit} limit")]] + \
            out[1:]
    for d in simulate.iverilog_diagnostics(res.stderr + res.stdout, default_file=names[0]):
        i = index.get(d.file, 0)
        severity = d.severity if not res.ok else "warning" if d.severity == "error" else d.severity  # exit 0: no error
        out[i].append(Diagnostic(items[i][1], d.line, d.col, severity, d.code, d.message))
    if not res.ok and not any(d.severity == "error" for ds in out for d in ds):
        out[0].append(Diagnostic(items[0][1], 1, 1, "error", "compile", f"iverilog exited with {res.returncode}"))
    return out
