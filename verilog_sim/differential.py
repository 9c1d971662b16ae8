"""Differential verification against a golden reference: no testbench needed, many candidates per simulation.

The reference and N candidates (units renamed apart, see :mod:`verilog_sim.rename`) are instantiated by a
generated wrapper on shared inputs; the cocotb test :mod:`verilog_sim.difftb_cocotb` drives random stimulus
(reset at start and at random points) and the wrapper compares every output after each clock edge and each
input change. X/Z on a reference bit is don't-care; X/Z on a candidate bit the reference defines is a
mismatch (the VerilogEval rule). The testbench reports through a JSON file, never text.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import sandbox, simulate
from .ports import Port, PortError, Timing, compare_ports, detect_timing, module_ports
from .problem import Problem
from .rename import rename_units
from .untrusted import needs_sandboxed_preprocessing
from .verdict import Diagnostic, Stage, Status, Tests, Verdict

DEFAULT_CYCLES = 2000
WRAPPER = "hdlgen_diff_top"
TB_MODULE = "hdlgen_difftb"
_HEADER = "`timescale 1ns/1ps\n`default_nettype wire\n"  # each file starts clean: no leaks between files
_HEADER_LINES = _HEADER.count("\n")
_SUFFIX = re.compile(r"_hc\d+\b|_href\b|\bhdlgen_diff_top\.hdlgen_c\d+\.?")


class ReferenceError_(ValueError):
    """The reference cannot be used (no such module, unreadable ports)."""


@dataclass(frozen=True)
class Reference:
    """The golden design, analysed once per problem."""

    code: str
    top: str
    ports: tuple[Port, ...]
    timing: Timing

    @property
    def inputs(self) -> list[Port]:
        return [p for p in self.ports if p.direction == "input"]

    @property
    def outputs(self) -> list[Port]:
        return [p for p in self.ports if p.direction == "output"]


def analyse_reference(problem: Problem) -> Reference:
    """Ports and clock/reset of the problem's reference; raises ReferenceError_ with a clear message."""
    if not problem.ref:
        raise ReferenceError_(f"{problem.task_id}: the problem has no reference")
    top = problem.ref_top or problem.top
    try:
        ports = module_ports(problem.ref, top, "reference.v")
    except PortError as exc:
        raise ReferenceError_(f"reference: {exc}") from exc
    if any(p.direction not in ("input", "output") for p in ports):
        raise ReferenceError_("reference: inout/ref ports are not supported by differential testing")
    if not any(p.direction == "output" for p in ports):
        raise ReferenceError_("reference: module has no outputs to compare")
    return Reference(problem.ref, top, tuple(ports), detect_timing(problem.ref, ports))


def check_candidate_ports(ref: Reference, code: str, top: str, filename: str) -> Verdict | None:
    """A ``compile_error`` verdict when the candidate's ports differ from the reference's, else None.

    Sources with ``include`` or macros are not parsed in-process (the parser would open the named path, or
    expand a macro bomb; see :mod:`verilog_sim.untrusted`); the sandboxed compile of the wrapper, which
    connects ports by name, judges their ports instead.
    """
    if needs_sandboxed_preprocessing(code):
        return None
    try:
        ports = module_ports(code, top, filename)
    except PortError as exc:
        msg = f"cannot read the ports of the design: {exc}"
        return Verdict(Status.COMPILE_ERROR, Stage.COMPILE,
                       diagnostics=(Diagnostic(filename, 1, 1, "error", "ports", msg),), message=msg)
    msg = compare_ports(list(ref.ports), ports, top)
    if msg is None:
        return None
    return Verdict(Status.COMPILE_ERROR, Stage.COMPILE,
                   diagnostics=(Diagnostic(filename, 1, 1, "error", "port-mismatch", msg),), message=msg)


# --------------------------------------------------------------------------------------------- wrapper


def _decl(width: int) -> str:
    return f"[{width - 1}:0] "


def stimulus_ports(ref: Reference) -> list[Port]:
    """Inputs replayed from the stimulus file, in word order (MSB first): every input but the clock."""
    return [p for p in ref.inputs if p.name != ref.timing.clock]


def _replay(ref: Reference, cycles: int, stim_file: str) -> list[str]:
    """The process that loads the stimulus the cocotb test wrote and applies it on the clock's schedule.

    Sequential: first inputs at 0 (compared too: initial values count), then rising edge at 10k+5, input
    change at 10k+8, falling edge at 10k+10, input change at 10k+13; combinational: an input vector every
    2 ns. Every event is followed by a compare 1 ns later.
    """
    stim = stimulus_ports(ref)
    width = sum(p.width for p in stim) or 1
    clock = ref.timing.clock
    events = 1 + 2 * cycles if clock else 4 * cycles
    target = "{" + ", ".join(f"hdI_{p.name}" for p in stim) + "}" if stim else "hdlgen_unused"
    out = [f"  reg [{width - 1}:0] hdlgen_stim [0:{events - 1}];", "  reg hdlgen_unused;", "  integer hdlgen_i;",
           "  initial begin",
           "    wait (hdlgen_go === 1'b1);",
           f'    $readmemh("{stim_file}", hdlgen_stim);']
    if clock:
        out += [f"    hdI_{clock} = 1'b0; {target} = hdlgen_stim[0]; hdlgen_cmp = ~hdlgen_cmp;", "    #5;",
                f"    for (hdlgen_i = 0; hdlgen_i < {cycles}; hdlgen_i = hdlgen_i + 1) begin",
                f"      hdI_{clock} = 1'b1; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #3 {target} = hdlgen_stim[2 * hdlgen_i + 1]; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #2 hdI_{clock} = 1'b0; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #3 {target} = hdlgen_stim[2 * hdlgen_i + 2]; hdlgen_cmp = ~hdlgen_cmp;",
                "      #2;", "    end"]
    else:
        out += [f"    for (hdlgen_i = 0; hdlgen_i < {events}; hdlgen_i = hdlgen_i + 1) begin",
                f"      {target} = hdlgen_stim[hdlgen_i]; hdlgen_cmp = ~hdlgen_cmp;", "      #2;", "    end"]
    out += ["    #2 hdlgen_done = 1'b1;", "  end"]
    return out


def wrapper_source(ref: Reference, ref_top: str, cand_tops: list[str], cycles: int = DEFAULT_CYCLES,
                   stim_file: str = "hdlgen_stim.hex") -> str:
    """The top module: input regs, one reference instance, candidates on private input copies, comparators,
    and the stimulus replay."""
    ins, outs = ref.inputs, ref.outputs
    in_cat = "{" + ", ".join(f"hdI_{p.name}" for p in ins) + "}" if ins else "1'b0"
    in_w = sum(p.width for p in ins) or 1
    out_w = sum(p.width for p in outs)
    lines = [_HEADER + f"module {WRAPPER};", "  reg hdlgen_cmp = 1'b0;", "  reg [31:0] hdlgen_samples = 0;",
             "  reg hdlgen_go = 1'b0;", "  reg hdlgen_done = 1'b0;"]
    for p in ins:
        lines.append(f"  reg {_decl(p.width)}hdI_{p.name};")
    for p in outs:
        lines.append(f"  wire {_decl(p.width)}hdR_{p.name};")
        lines.append(f"  wire {_decl(p.width)}hdH_{p.name} = hdR_{p.name} ^ {{{p.width}{{1'b0}}}};  // z -> x")
    conns = ", ".join([f".{p.name}(hdI_{p.name})" for p in ins] + [f".{p.name}(hdR_{p.name})" for p in outs])
    lines.append(f"  {ref_top} hdlgen_ref ({conns});")
    for k, top in enumerate(cand_tops):
        for p in ins:  # a private copy: a candidate driving its input cannot disturb the others
            lines.append(f"  wire {_decl(p.width)}hdK{k}_{p.name} = hdI_{p.name};")
        for p in outs:
            lines.append(f"  wire {_decl(p.width)}hdC{k}_{p.name};")
        conns = ", ".join([f".{p.name}(hdK{k}_{p.name})" for p in ins] + [f".{p.name}(hdC{k}_{p.name})" for p in outs])
        lines.append(f"  {top} hdlgen_c{k} ({conns});")
        lines.append(f"  reg [31:0] hdM{k} = 0; reg [15:0] hdS{k} = 0; reg [63:0] hdT{k} = 0;")
        lines.append(f"  reg {_decl(out_w)}hdE{k}; reg {_decl(out_w)}hdG{k}; reg {_decl(in_w)}hdF{k};")
    lines += _replay(ref, cycles, stim_file)
    lines.append("  reg [15:0] hdlgen_sig;")
    lines.append("  always @(hdlgen_cmp) begin")
    lines.append("    #1;")
    lines.append("    hdlgen_samples = hdlgen_samples + 1;")
    ref_cat = "{" + ", ".join(f"hdR_{p.name}" for p in outs) + "}"
    for k in range(len(cand_tops)):
        lines.append("    hdlgen_sig = 0;")
        for j, p in enumerate(outs, 1):
            h, c = f"hdH_{p.name}", f"hdC{k}_{p.name}"
            lines.append(f"    if (hdlgen_sig == 0 && ({h} ^ {c} ^ {h}) !== {h}) hdlgen_sig = {j};")
        cand_cat = "{" + ", ".join(f"hdC{k}_{p.name}" for p in outs) + "}"
        lines.append(f"    if (hdlgen_sig != 0) begin hdM{k} = hdM{k} + 1; if (hdM{k} == 1) begin hdT{k} = $time; "
                     f"hdS{k} = hdlgen_sig; hdE{k} = {ref_cat}; hdG{k} = {cand_cat}; hdF{k} = {in_cat}; end end")
    lines.append("  end")
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------- run a group


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


_SIZED = re.compile(r"\d*'[sS]?([bBhHdDoO])\s*([0-9a-fA-F_]+)\b")
_DECIMAL = re.compile(r"(?<![\w'$.])(\d+)(?![\w'.])")


def reference_constants(code: str, limit: int = 64) -> list[int]:
    """Literal values of the reference (case items, comparisons): stimulus that reaches its special cases."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", code, flags=re.S)
    seen: dict[int, None] = {}
    for m in _SIZED.finditer(text):
        radix = {"b": 2, "h": 16, "d": 10, "o": 8}[m.group(1).lower()]
        try:
            seen[int(m.group(2).replace("_", ""), radix)] = None
        except ValueError:
            continue
    for m in _DECIMAL.finditer(text):
        seen[int(m.group(1))] = None
    values = [v for v in seen if v > 1]
    return values[:limit]


def candidate_file(k: int) -> str:
    return f"cand_{k}.v"


def _map_diagnostics(diags: list[Diagnostic], filename: str) -> tuple[Diagnostic, ...]:
    """Diagnostics of a renamed candidate file, back in the user's file name, lines and module names."""
    out = []
    for d in diags:
        if not re.fullmatch(r"cand_\d+\.v", d.file):
            continue
        out.append(Diagnostic(filename, max(1, d.line - _HEADER_LINES), d.col, d.severity, d.code,
                              _SUFFIX.sub("", d.message)))
    return tuple(out)


def run_group(ref: Reference, codes: list[str], top: str, scratch: Path, *, limits: sandbox.Limits, seed: int,
              cycles: int, filenames: list[str] | None = None) -> GroupResult:
    """Simulate the reference against ``codes`` (candidate sources defining ``top``) in ``scratch``."""
    filenames = filenames or ["candidate.v"] * len(codes)
    ref_code, ref_map = rename_units(ref.code, "_href")
    (scratch / "reference_hd.v").write_text(_HEADER + ref_code)
    tops = []
    for k, code in enumerate(codes):
        renamed, mapping = rename_units(code, f"_hc{k}")
        (scratch / candidate_file(k)).write_text(_HEADER + renamed)
        tops.append(mapping.get(top, top))
    (scratch / f"{WRAPPER}.v").write_text(wrapper_source(ref, ref_map.get(ref.top, ref.top), tops, cycles,
                                                         str(scratch / "hdlgen_stim.hex")))
    (scratch / f"{TB_MODULE}.py").write_text((Path(__file__).with_name("difftb_cocotb.py")).read_text())
    cfg = {"seed": seed, "cycles": cycles, "candidates": len(codes), "clock": ref.timing.clock,
           "reset": ref.timing.reset, "reset_active_low": ref.timing.reset_active_low,
           "inputs": [{"name": p.name, "width": p.width} for p in ref.inputs],
           "outputs": [{"name": p.name, "width": p.width} for p in ref.outputs],
           "stimulus": [{"name": p.name, "width": p.width} for p in stimulus_ports(ref)]}
    cfg["constants"] = reference_constants(ref.code)
    (scratch / "hdlgen_diff.json").write_text(json.dumps(cfg))
    results_path = scratch / "hdlgen_diff_results.json"
    results_path.unlink(missing_ok=True)
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
        from .verify import limit_verdict

        return GroupResult(run_failed=limit_verdict(run, Stage.SIMULATE), seconds=seconds)
    try:
        data = json.loads(results_path.read_text())
    except (OSError, ValueError):
        msg = (f"the simulation ended before the testbench finished (exit {run.returncode}): the design may call "
               "$finish/$stop/$fatal, or the simulator crashed")
        return GroupResult(run_failed=Verdict(Status.ERROR, Stage.SIMULATE, message=msg), seconds=seconds)
    samples = int(data["samples"])
    verdicts = []
    for entry in data["candidates"]:
        mm = int(entry["mismatches"])
        first = entry.get("first_mismatch")
        if mm == 0 and samples > 0:
            v = Verdict(Status.PASS, Stage.COMPARE, tests=Tests(samples, samples), mismatches=0, samples=samples,
                        seed=seed)
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
        verdicts.append(v)
    return GroupResult(verdicts=verdicts, seconds=seconds)


def _compile_failure(build: sandbox.RunResult, n: int, filenames: list[str], seconds: float) -> GroupResult:
    from .verify import limit_verdict

    limited = limit_verdict(build, Stage.COMPILE)
    if limited:
        return GroupResult(run_failed=limited, seconds=seconds)
    diags = simulate.compile_error_diagnostics(build)
    blamed = {int(m.group(1)) for d in diags if (m := re.fullmatch(r"cand_(\d+)\.v", d.file))}
    blamed &= set(range(n))
    ref_broken = any(d.file == "reference_hd.v" and d.severity == "error" for d in diags)
    first = next((d for d in diags if d.file == "reference_hd.v"), diags[0] if diags else None)
    detail = f"{first.file}:{max(1, first.line - _HEADER_LINES)}: {_SUFFIX.sub('', first.message)}" if first else ""
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
                        seed: int | None = None, cycles: int | None = None) -> Verdict:
    """Judge the candidate in ``scratch/filename`` against ``problem.ref`` (called by :func:`verify`)."""
    seed = pick_seed(seed)
    cycles = cycles or DEFAULT_CYCLES
    try:
        ref = analyse_reference(problem)
    except ReferenceError_ as exc:
        return Verdict(Status.ERROR, Stage.COMPILE, message=str(exc), seed=seed)
    code = (scratch / filename).read_text()
    bad = check_candidate_ports(ref, code, problem.top, filename)
    if bad:
        return bad.with_(seed=seed)
    work = scratch / "diff"
    work.mkdir(exist_ok=True)
    for extra in scratch.iterdir():  # $readmemh data beside the sources (subfolders too)
        if extra.is_dir() and extra.name != work.name:
            shutil.copytree(extra, work / extra.name, dirs_exist_ok=True)
        elif extra.is_file() and extra.name != filename:
            shutil.copy(extra, work / extra.name)
    g = run_group(ref, [code], problem.top, work, limits=limits, seed=seed, cycles=cycles, filenames=[filename])
    if g.verdicts:
        return g.verdicts[0]
    if g.compile_verdict:
        return g.compile_verdict.with_(seed=seed)
    if g.run_failed is not None:
        return g.run_failed.with_(seed=seed)
    return reference_compile_error(seed, g.detail)


def reference_compile_error(seed: int | None, detail: str = "") -> Verdict:
    msg = "the reference does not compile with this simulator"
    return Verdict(Status.ERROR, Stage.COMPILE, seed=seed, message=msg + (f": {detail}" if detail else ""))
