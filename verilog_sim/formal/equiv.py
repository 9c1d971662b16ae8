"""Run the equivalence check: yosys writes the miter as AIGER, ABC proves it or finds a counterexample.

Why ABC and not yosys' own ``sat``: on an 8-bit saturating counter, ``sat -seq 40`` took 4.3 s and
``sat -tempinduct`` to 40 steps 13 s, and neither reaches the bug 256 cycles from reset; ABC's PDR (IC3, an
inductive prover: a proof holds for every depth) finds that counterexample in under a second, and ``iprove``
settles a combinational miter in milliseconds. ``yosys-abc`` ships in the same Debian package.

Every tool runs through :func:`verilog_sim.sandbox.run` (time, memory, output, files): the designs are
untrusted, and yosys reading a hostile design is as much an attack surface as Icarus compiling one. Whatever
goes wrong (yosys cannot read a construct, a limit, an undecided solver) is an ``unsupported`` result with a
note; nothing here ever fails a candidate on its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from .. import sandbox
from ..sandbox import worker
from ..source.ports import Port, Timing
from ..source.rename import rename_all
from .miter import GATE_SUFFIX, GOLD_SUFFIX, build_miter, input_name

DEFAULT_DEPTH = 64  # cycles from reset a bounded check covers when no proof is found
DEFAULT_BUDGET_S = 20.0  # wall seconds for yosys and ABC together, per candidate
MEMORY_MB = 2048
MAX_AND_GATES = 2_000_000  # larger miters (big memories, wide multipliers unrolled) are left to simulation

_CEX = re.compile(r"^pi(\d+)(?:@(\d+))?=([01xX])\s*$", re.M)
_FRAME = re.compile(r"asserted in frame (\d+)")
_NO_ASSERT = re.compile(r"No output (?:failed|asserted) in (\d+) frames")
_REACHED = re.compile(r"[Rr]eached (?:timeout|conflict limit|frame limit).*?frame (\d+)", re.S)


@dataclass(frozen=True)
class FormalResult:
    """What the formal tier found for one candidate.

    ``outcome``: ``proved`` (equivalent at every depth; combinational: for every input), ``bounded``
    (no difference within ``depth`` cycles from reset), ``counterexample`` (``words``: one stimulus word per
    frame, the harness's word order; the designs differ at the last frame, cycle ``depth``) or ``unsupported``
    (``note`` says why: a construct yosys cannot read, a limit, an undecided solver).
    """

    outcome: str
    depth: int = 0
    words: tuple[int, ...] = ()
    frames: tuple[dict[str, int], ...] = ()
    sequential: bool = False
    engine: str = ""
    note: str = ""
    seconds: float = 0.0
    stimulus: tuple[Port, ...] = field(default=(), repr=False)

    @property
    def decided(self) -> bool:
        return self.outcome in ("proved", "bounded", "counterexample")


@cache
def yosys_version() -> str | None:
    """``'Yosys 0.23 (git sha1 ...)'`` or None when yosys or yosys-abc is not on PATH."""
    exe = shutil.which("yosys")
    if not exe or not shutil.which("yosys-abc"):
        return None
    try:
        out = subprocess.run([exe, "-V"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.splitlines()[0] if out else "Yosys (unknown)"


def _first_error(res: sandbox.RunResult) -> str:
    text = res.stderr + "\n" + res.stdout
    for line in text.splitlines():
        if "ERROR" in line:
            return re.sub(r"\s+", " ", line.strip())[:200]
    tail = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (tail[-1][:200] if tail else f"exit status {res.returncode}")


def _aiger_header(path: Path) -> tuple[int, int, int]:
    """(inputs, latches, and-gates) from an AIGER file's header line."""
    with path.open("rb") as f:
        head = f.readline().split()
    if len(head) < 6 or head[0] not in (b"aig", b"aag"):
        raise ValueError("not an AIGER file")
    return int(head[2]), int(head[3]), int(head[5])


def _input_map(text: str) -> dict[int, tuple[str, int]]:
    """AIGER input index -> (design input name, bit) from yosys' ``-map`` file; free values are left out."""
    out: dict[int, tuple[str, int]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "input" and parts[3].startswith("hdI_"):
            out[int(parts[1])] = (parts[3][4:], int(parts[2]))
    return out


def _words(cex: str, inputs: dict[int, tuple[str, int]], stim: tuple[Port, ...],
           last: int) -> tuple[tuple[int, ...], tuple[dict[str, int], ...]]:
    frames: list[dict[str, int]] = [dict.fromkeys((p.name for p in stim), 0) for _ in range(last + 1)]
    for m in _CEX.finditer(cex):
        idx, frame, val = int(m.group(1)), int(m.group(2) or 0), m.group(3)
        if idx in inputs and frame <= last and val == "1":
            name, bit = inputs[idx]
            if name in frames[frame]:
                frames[frame][name] |= 1 << bit
    return _pack(frames, stim), tuple(frames)


def _pack(frames: list[dict[str, int]] | tuple[dict[str, int], ...], stim: tuple[Port, ...]) -> tuple[int, ...]:
    """One stimulus word per frame: the inputs concatenated MSB first, as the harness's ``hdlgen_stim``."""
    words = []
    for f in frames:
        w = 0
        for p in stim:
            w = (w << p.width) | (f[p.name] & ((1 << p.width) - 1))
        words.append(w)
    return tuple(words)


def check_equivalence(ref_code: str, ref_top: str, cand_code: str, cand_top: str, ports: list[Port],
                      timing: Timing, *, depth: int = DEFAULT_DEPTH, budget_s: float = DEFAULT_BUDGET_S,
                      memory_mb: int = MEMORY_MB) -> FormalResult:
    """Equivalence of the candidate and the reference on ``ports``; never raises for what the designs hold."""
    start = time.perf_counter()
    if yosys_version() is None:
        return FormalResult("unsupported", note="yosys/yosys-abc not installed")
    try:  # untrusted text: renamed in the bounded parse worker
        (gold, gmap), (gate, cmap) = worker.call(rename_all, [(ref_code, GOLD_SUFFIX), (cand_code, GATE_SUFFIX)],
                                                 timeout_s=budget_s, memory_mb=min(memory_mb, 1024))
    except worker.WorkerFailed as exc:
        return FormalResult("unsupported", note=f"renaming stopped: {exc.message}")
    miter = build_miter(gold, gmap.get(ref_top, ref_top), gate, cmap.get(cand_top, cand_top), ports, timing)
    result = _run(miter, depth, budget_s, memory_mb)
    if result.outcome == "counterexample" and miter.sequential and timing.reset in {p.name for p in miter.stimulus}:
        # the miter held the reset active in the first cycle whatever the solver chose for it: so does the replay
        frames = tuple(dict(f) for f in result.frames)
        for f in frames[:2]:
            f[timing.reset] = 0 if timing.reset_active_low else 1
        result = replace(result, frames=frames, words=_pack(frames, miter.stimulus))
    return replace(result, sequential=miter.sequential, stimulus=miter.stimulus,
                   seconds=time.perf_counter() - start)


def _run(miter, depth: int, budget_s: float, memory_mb: int) -> FormalResult:  # noqa: ANN001 - a Miter
    deadline = time.perf_counter() + budget_s

    def limits(share: float = 1.0) -> sandbox.Limits:
        left = max(1.0, (deadline - time.perf_counter()) * share)
        return sandbox.Limits(wall_s=left, memory_mb=memory_mb, file_mb=256, output_bytes=2 * 2**20)

    with sandbox.Scratch(prefix="hdlgen-formal-") as scratch:
        for name, text in miter.files.items():
            (scratch / name).write_text(text)
        (scratch / "equiv.ys").write_text(miter.script)
        res = sandbox.run(["yosys", "-q", "-s", "equiv.ys"], scratch, limits=limits(), proc=True)
        if res.limit:
            return FormalResult("unsupported", note=f"yosys stopped: {res.limit} limit reached")
        aig = scratch / "miter.aig"
        if not res.ok or not aig.exists():
            return FormalResult("unsupported", note=f"yosys could not build the miter: {_first_error(res)}")
        try:
            _, latches, ands = _aiger_header(aig)
            inputs = _input_map((scratch / "miter.aigmap").read_text())
        except (OSError, ValueError) as exc:
            return FormalResult("unsupported", note=f"unreadable miter: {exc}")
        if ands > MAX_AND_GATES:
            return FormalResult("unsupported", note=f"miter too large for the formal tier ({ands} AND gates)")
        if not miter.sequential and latches == 0:
            return _abc(scratch, "iprove", limits(), inputs, miter.stimulus, sequential=False)
        # PDR's own -T is not always honoured inside a SAT call: the sandbox's wall limit stops it at 45%
        first = _abc(scratch, f"pdr -T {max(1, int((deadline - time.perf_counter()) * 0.4))}", limits(0.45),
                     inputs, miter.stimulus, sequential=True)
        if first.decided or time.perf_counter() > deadline - 1:
            return first
        frames = 2 * depth + 2
        second = _abc(scratch, f"bmc3 -F {frames} -T {max(1, int(deadline - time.perf_counter()) - 1)}", limits(),
                      inputs, miter.stimulus, sequential=True)
        if second.outcome == "unsupported" and first.note:
            return replace(second, note=f"{first.note}; {second.note}")
        return second


def _abc(scratch: Path, command: str, limits: sandbox.Limits, inputs: dict[int, tuple[str, int]],
         stim: tuple[Port, ...], *, sequential: bool) -> FormalResult:
    engine = "abc " + command.split()[0]
    cex_file = scratch / "cex.txt"
    cex_file.unlink(missing_ok=True)
    script = f"read_aiger miter.aig; strash; {command}; write_cex -n cex.txt"
    res = sandbox.run(["yosys-abc", "-c", script], scratch, limits=limits)
    out = res.stdout + res.stderr
    if res.limit:
        return FormalResult("unsupported", engine=engine, note=f"{engine} stopped: {res.limit} limit reached")
    cex = cex_file.read_text() if cex_file.exists() else ""
    if not sequential:
        if "UNSATISFIABLE" in out:
            return FormalResult("proved", engine=engine)
        if "SATISFIABLE" in out and cex:
            words, frames = _words(cex, inputs, stim, 0)
            return FormalResult("counterexample", depth=0, words=words, frames=frames, engine=engine)
        return FormalResult("unsupported", engine=engine, note=f"{engine} undecided")
    if "Property proved" in out:
        return FormalResult("proved", engine=engine)
    if (m := _FRAME.search(out)) and cex:
        last = int(m.group(1))
        words, frames = _words(cex, inputs, stim, last)
        return FormalResult("counterexample", depth=last // 2, words=words, frames=frames, engine=engine)
    if (m := _NO_ASSERT.search(out)) or (m := _REACHED.search(out)):
        done = int(m.group(1))
        cycles = max(0, done // 2 - 1)
        if cycles > 0:
            return FormalResult("bounded", depth=cycles, engine=engine)
    return FormalResult("unsupported", engine=engine, note=f"{engine} undecided")


__all__ = ["DEFAULT_BUDGET_S", "DEFAULT_DEPTH", "FormalResult", "check_equivalence", "input_name", "yosys_version"]
