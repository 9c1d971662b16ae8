"""Run one differential simulation: the reference and a group of candidates, judged by the cocotb harness.

The cocotb test (package data ``verilog_sim/sim/harness/difftb_cocotb.py``) drives random stimulus (reset at
start and at random points); the wrapper of :mod:`verilog_sim.judge.wrapper` compares every output. The
testbench reports through a JSON file, never text.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import sandbox
from ..admission import seal
from ..problem import Problem
from ..sandbox import worker
from ..sim import simulate
from ..source.rename import rename_all
from ..verdict import Diagnostic, Stage, Status, Tests, Verdict
from .outcomes import limit_verdict, worker_verdict
from .reference import Reference, ReferenceError_, analyse_reference, check_candidate_ports, reference_constants
from .wrapper import DEFAULT_CYCLES, HEADER, HEADER_LINES, TB_MODULE, WRAPPER, stimulus_ports, wrapper_source

HARNESS = Path(__file__).resolve().parent.parent / "sim" / "harness" / "difftb_cocotb.py"
_SUFFIX = re.compile(r"_hc\d+\b|_href\b|\bhdlgen_diff_top\.hdlgen_c\d+\.?")


@dataclass
class GroupResult:
    """What one simulation of reference + candidates gave.

    Exactly one of: ``verdicts`` (one per candidate, the run completed), ``compile_failed`` (with the
    candidate indices the compiler blamed), or ``run_failed`` (timeout, limit, crash: nobody's result).
    """

    verdicts: list[Verdict] | None = None
    compile_failed: bool = False
    blamed: set[int] = field(default_factory=set)
    compile_verdict: Verdict | None = None  # meaningful for a group of one
    run_failed: Verdict | None = None
    seconds: float = 0.0
    detail: str = ""  # first compiler message about the reference, for errors nobody was blamed for
    ref_broken: bool = False  # the compiler reported errors in the reference itself


def candidate_file(k: int) -> str:
    return f"cand_{k}.v"


def _map_diagnostics(diags: list[Diagnostic], filename: str) -> tuple[Diagnostic, ...]:
    """Diagnostics of a renamed candidate file, back in the user's file name, lines and module names."""
    out = []
    for d in diags:
        if not re.fullmatch(r"cand_\d+\.v", d.file):
            continue
        out.append(Diagnostic(filename, max(1, d.line - HEADER_LINES), d.col, d.severity, d.code,
                              _SUFFIX.sub("", d.message)))
    return tuple(out)


DEEP_MAX_SHARE = 0.2  # no deep phase when the random run took more than this share of the time limit
DEEP_CYCLES = 2 * 2176  # the deep phase of a sequential design: two reset-free stretches, each long enough
# for an 11-bit counter to saturate (2048) with room past it; +19% time for a batch of 64 (measured)


def split_cycles(cycles: int | None, sequential: bool) -> tuple[int, int]:
    """(random, deep) cycles: ``cycles`` (default ``DEFAULT_CYCLES``) random ones and, for a sequential
    design, the ``DEEP_CYCLES`` of the deep phase."""
    return cycles or DEFAULT_CYCLES, DEEP_CYCLES if sequential else 0


def run_group(ref: Reference, codes: list[str], top: str, scratch: Path, *, limits: sandbox.Limits, seed: int,
              cycles: int | None, filenames: list[str] | None = None, prefix: list[int] | None = None,
              reset_rate: float | None = None, deep_only: bool = False) -> GroupResult:
    """Simulate the reference against ``codes`` (candidate sources defining ``top``) in ``scratch``.

    ``prefix``: the first stimulus words, given instead of drawn (a formal counterexample's replay).
    ``reset_rate``: chance of a reset pulse per input change in the random part (None: the regimes' mix).
    ``cycles``: see :func:`split_cycles`; this run simulates its random part, or with ``deep_only`` its deep
    phase (after a reset): a second run, only for candidates the first one passed (see :func:`merge_deep`).
    """
    random_cycles, deep = split_cycles(cycles, bool(ref.timing.clock) and not prefix)
    if deep_only:
        total = deep
    else:
        total, deep = random_cycles, 0
    filenames = filenames or ["candidate.v"] * len(codes)
    try:  # in the parse worker: untrusted text
        renames = worker.call(rename_all, [(ref.code, "_href")] + [(c, f"_hc{k}") for k, c in enumerate(codes)],
                              **worker.bounds(limits))
    except worker.WorkerFailed as exc:
        return GroupResult(run_failed=worker_verdict(exc, Stage.COMPILE, "renaming"))
    ref_code, ref_map = renames[0]
    (scratch / "reference_hd.v").write_text(HEADER + ref_code)
    tops = []
    for k, (renamed, mapping) in enumerate(renames[1:]):
        (scratch / candidate_file(k)).write_text(HEADER + seal(renamed))  # nothing it sets reaches the next
        tops.append(mapping.get(top, top))
    (scratch / f"{WRAPPER}.v").write_text(wrapper_source(ref, ref_map.get(ref.top, ref.top), tops, total,
                                                         str(scratch / "hdlgen_stim.hex")))
    (scratch / f"{TB_MODULE}.py").write_text(HARNESS.read_text())
    cfg = {"seed": seed, "cycles": total, "candidates": len(codes), "clock": ref.timing.clock,
           "reset": ref.timing.reset, "reset_active_low": ref.timing.reset_active_low,
           "inputs": [{"name": p.name, "width": p.width} for p in ref.inputs],
           "outputs": [{"name": p.name, "width": p.width} for p in ref.outputs],
           "stimulus": [{"name": p.name, "width": p.width} for p in stimulus_ports(ref)]}
    cfg["constants"] = reference_constants(ref.code)
    cfg["prefix"] = list(prefix or [])
    cfg["deep"], cfg["reset_rate"] = deep, reset_rate
    (scratch / "hdlgen_diff.json").write_text(json.dumps(cfg))
    sources = [scratch / f"{WRAPPER}.v", scratch / "reference_hd.v"] + [scratch / candidate_file(k) for k in range(len(codes))]
    res = simulate.run_cocotb(sources, WRAPPER, TB_MODULE, scratch, limits=limits, seed=seed)
    seconds = sum(r.seconds for r in (res.build, res.run) if r is not None)
    if res.build is None:
        return GroupResult(run_failed=Verdict(Status.ERROR, Stage.COMPILE, message="cocotb runner did not compile"),
                           seconds=seconds)
    if not res.build.ok:
        return _compile_failure(res.build, len(codes), filenames, seconds)
    run = res.run
    assert run is not None
    if run.limit:
        return GroupResult(run_failed=limit_verdict(run, Stage.SIMULATE), seconds=seconds)
    data = res.data.get("differential")  # only through the harness's report channel, never a file in scratch
    if not isinstance(data, dict) or not isinstance(data.get("candidates"), list) or \
            len(data["candidates"]) != len(codes):
        why = f" ({res.report_problem})" if res.report_problem else ""
        msg = (f"the simulation ended before the testbench finished{why} (exit {run.returncode}): the design may "
               "call $finish/$stop/$fatal, or the simulator crashed")
        return GroupResult(run_failed=Verdict(Status.ERROR, Stage.SIMULATE, message=msg), seconds=seconds)
    if data.get("stimulus_ok") is not True:
        msg = "the wrapper did not read the stimulus the harness wrote (unreadable or rewritten stimulus file)"
        return GroupResult(run_failed=Verdict(Status.ERROR, Stage.SIMULATE, message=msg), seconds=seconds)
    samples = int(data["samples"])
    coverage = data.get("coverage") if isinstance(data.get("coverage"), dict) else None
    verdicts = []
    for entry in data["candidates"]:
        mm = int(entry["mismatches"])
        first = entry.get("first_mismatch")
        if mm == 0 and samples > 0:
            v = Verdict(Status.PASS, Stage.COMPARE, tests=Tests(samples, samples), mismatches=0, samples=samples,
                        seed=seed, message=coverage_note(coverage))
        elif samples == 0:
            v = Verdict(Status.ERROR, Stage.COMPARE, mismatches=0, samples=0, seed=seed,
                        message="no samples were compared")
        else:
            msg = f"{mm} mismatches in {samples} samples"
            if first:
                msg += (f"; first at {first['time']} ns on '{first['signal']}': expected {first['expected']}, "
                        f"got {first['got']}")
            v = Verdict(Status.FAIL, Stage.COMPARE, tests=Tests(samples, samples - mm), mismatches=mm,
                        samples=samples, seed=seed, message=msg, first_mismatch=first)
        if v.status in (Status.PASS, Status.FAIL):
            v = v.with_(tier=f"simulated {total} cycles", coverage=coverage)
        verdicts.append(v)
    return GroupResult(verdicts=verdicts, seconds=seconds)


def merge_deep(passed: Verdict, deep: Verdict, total: int) -> Verdict:
    """The verdict of a candidate that passed the random run, after its deep-phase run (``total`` cycles in all).

    A mismatch there fails it; a pass merges the coverage (bits neither run toggled); anything else (a limit:
    a heavy design may not finish thousands more cycles in time) leaves the pass, with a note: the deep phase
    adds failures only through a mismatch, never a timeout the random run did not have.
    """
    tier = f"simulated {total} cycles"
    if deep.status is Status.FAIL and deep.first_mismatch:  # its counts are the deep run's
        first = {**deep.first_mismatch, "phase": "deep"}
        return deep.with_(tier=tier, first_mismatch=first,
                          message=f"deep phase (reset-free, 1-bit inputs held): {deep.message}")
    if deep.status is Status.PASS:  # samples/tests stay the random run's (1 + 4 per cycle of --cycles)
        seen = (deep.coverage or {}).get("outputs_never_toggled", [])
        never = [x for x in (passed.coverage or {}).get("outputs_never_toggled", []) if x in seen]
        coverage = {"outputs_never_toggled": never}
        return passed.with_(tier=tier, coverage=coverage, message=coverage_note(coverage))
    note = f"deep phase not completed ({deep.message or deep.status.value})"
    return passed.with_(message=f"{passed.message}; {note}" if passed.message else note)


def skip_deep(passed: Verdict, seconds: float) -> Verdict:
    """A heavy design whose random run already took a large share of the time limit gets no deep phase."""
    note = f"deep phase skipped: the random run took {seconds:.0f} s"
    return passed.with_(message=f"{passed.message}; {note}" if passed.message else note)


def coverage_note(coverage: dict | None) -> str:
    """A pass whose stimulus never toggled some reference output says so: the check saw less than it seems."""
    dead = (coverage or {}).get("outputs_never_toggled") or []
    if not dead:
        return ""
    shown = ", ".join(dead[:12]) + (f" and {len(dead) - 12} more" if len(dead) > 12 else "")
    return f"weak coverage: reference outputs never toggled: {shown}"


def _compile_failure(build: sandbox.RunResult, n: int, filenames: list[str], seconds: float) -> GroupResult:
    limited = limit_verdict(build, Stage.COMPILE)
    if limited:
        return GroupResult(run_failed=limited, seconds=seconds)
    diags = simulate.compile_error_diagnostics(build)
    blamed = {int(m.group(1)) for d in diags if (m := re.fullmatch(r"cand_(\d+)\.v", d.file))}
    blamed &= set(range(n))
    ref_broken = any(d.file == "reference_hd.v" and d.severity == "error" for d in diags)
    first = next((d for d in diags if d.file == "reference_hd.v"), diags[0] if diags else None)
    where = "the reference" if first is not None and first.file == "reference_hd.v" else "the design"  # no internal names
    detail = f"{where}, line {max(1, first.line - HEADER_LINES)}: {_SUFFIX.sub('', first.message)}" if first else ""
    verdict = None
    if n == 1 and not ref_broken:
        mapped = _map_diagnostics(diags, filenames[0]) or tuple(
            Diagnostic(filenames[0], 1, 1, "error", d.code,
                       re.sub(r"\bhdlgen_c\d+\b", "the design's top module", _SUFFIX.sub("", d.message)))
            for d in diags[:5]) or (
            Diagnostic(filenames[0], 1, 1, "error", "compile", f"iverilog exited with status {build.returncode}"),)
        verdict = Verdict(Status.COMPILE_ERROR, Stage.COMPILE, diagnostics=mapped, message=mapped[0].message)
    return GroupResult(compile_failed=True, blamed=set() if ref_broken else blamed, compile_verdict=verdict,
                       seconds=seconds, detail=detail, ref_broken=ref_broken)


def pick_seed(seed: int | None) -> int:
    return seed if seed is not None else random.SystemRandom().randrange(1, 2**31)


def verify_differential(problem: Problem, filename: str, scratch: Path, *, limits: sandbox.Limits,
                        seed: int | None = None, cycles: int | None = None,
                        reset_rate: float | None = None) -> Verdict:
    """Judge the candidate in ``scratch/filename`` against ``problem.ref`` (called by :func:`verify`)."""
    seed = pick_seed(seed)
    try:
        ref = worker.call(analyse_reference, problem, **worker.bounds(limits))
        code = (scratch / filename).read_text()
        bad = worker.call(check_candidate_ports, ref, code, problem.top, filename, **worker.bounds(limits))
    except ReferenceError_ as exc:
        return Verdict(Status.ERROR, Stage.COMPILE, message=str(exc), seed=seed)
    except worker.WorkerFailed as exc:  # the reference and the candidate are both untrusted text
        return worker_verdict(exc, Stage.COMPILE, "port analysis").with_(seed=seed)
    if bad:
        return bad.with_(seed=seed)
    work = scratch / "diff"
    work.mkdir(exist_ok=True)
    for extra in scratch.iterdir():  # $readmemh data beside the sources (subfolders too)
        if extra.is_dir() and extra.name != work.name:
            shutil.copytree(extra, work / extra.name, dirs_exist_ok=True)
        elif extra.is_file() and extra.name != filename:
            shutil.copy(extra, work / extra.name)
    g = run_group(ref, [code], problem.top, work, limits=limits, seed=seed, cycles=cycles, filenames=[filename],
                  reset_rate=reset_rate)
    if g.verdicts:
        random_cycles, deep = split_cycles(cycles, bool(ref.timing.clock))
        if not g.verdicts[0].passed or not deep:
            return g.verdicts[0]
        if g.seconds > DEEP_MAX_SHARE * limits.wall_s:
            return skip_deep(g.verdicts[0], g.seconds)
        d = run_group(ref, [code], problem.top, work, limits=limits, seed=seed, cycles=cycles,
                      filenames=[filename], deep_only=True)
        dv = d.verdicts[0] if d.verdicts else d.compile_verdict or d.run_failed or reference_compile_error(seed)
        return merge_deep(g.verdicts[0], dv, random_cycles + deep)
    if g.compile_verdict:
        return g.compile_verdict.with_(seed=seed)
    if g.run_failed is not None:
        return g.run_failed.with_(seed=seed)
    return reference_compile_error(seed, g.detail)


def reference_compile_error(seed: int | None, detail: str = "") -> Verdict:
    msg = "the reference does not compile with this simulator"
    return Verdict(Status.ERROR, Stage.COMPILE, seed=seed, message=msg + (f": {detail}" if detail else ""))
