"""VerilogEval v1/v2 as named benchmarks, judged with the official harnesses' semantics.

A score is only worth quoting if each sample's verdict is the one NVlabs' own scripts would give, so this
module reproduces them (same files, same iverilog flags, same pass rule, same 30 s limit), every process
run by :mod:`verilog_sim.sandbox`. ``lenient=True`` fixes upstream's known scoring defects; it is opt-in
and recorded in reports.

Official rules (Icarus 11 and 12 alike):

- v2 (``scripts/sv-iv-analyze`` over the log of ``iverilog ... sample.sv test.sv ref.sv`` then
  ``timeout 30 ./P``): fail on any log line containing ``syntax error``, ``error``, ``TIMEOUT`` or one of the
  warnings it treats as failures (``always_comb process has no sensitivities``, ``found no sensitivities``);
  pass only if a line reads exactly ``Mismatches: 0 in N samples``.
- v1 (``execution.py``: ``test + prompt + completion`` in one file, ``iverilog ...; vvp -n``): fail on any
  stderr output; pass only if the first ``Mismatches: X in Y samples`` of stdout has X = 0.

Lenient fixes: v2 counts only compile errors (not the word "error" printed by a simulation), ignores the
sensitivity warnings and passes a testbench-printed ``TIMEOUT`` (its own 1,000,000 ps cap, hit by
Prob082/141/156 references) when ``Mismatches: 0``; v1 ignores compiler warnings on stderr.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .. import sandbox, tools
from ..admission import admit, seal
from ..problem import Problem, ProblemError
from ..sim import simulate
from ..sim.tbreport import Tagger
from ..source.extract import extract_verilog, module_names
from ..verdict import Diagnostic, Stage, Status, Tests, Verdict
from . import rtllm

# name -> (file under the benchmarks folder, suite)
BENCHMARKS: dict[str, tuple[str, str]] = {
    "verilog-eval-v1-human": ("verilog-eval-v1/human.jsonl", "v1"),
    "verilog-eval-v1-machine": ("verilog-eval-v1/machine.jsonl", "v1"),
    "verilog-eval-v2-spec": ("verilog-eval-v2/spec-to-rtl.jsonl", "v2"),
    "verilog-eval-v2-complete": ("verilog-eval-v2/code-complete-iccad2023.jsonl", "v2"),
}
OFFICIAL_TIMEOUT_S = sandbox.DEFAULT_TIMEOUT_S
_V2_MISMATCH = re.compile(r"^Mismatches: (\d+) in (\d+) samples$")
_V1_MISMATCH = re.compile(r"Mismatches: ([0-9]*) in ([0-9]*) samples")
# sv-iv-analyze: after "syntax error" (class S), (substring, class) checked per line in this order; the
# first hit ends the scan. Any other line containing "error" makes class C unless a later line hits.
_V2_BREAK_RULES = (
    ("error: This assignment requires an explicit cast", "e"),
    ("error: Sized numeric constant must have a size greater than zero", "0"),
    ("warning: always_comb process has no sensitivities", "n"),
    ("found no sensitivities so it will never trigger", "n"),
    ("is declared here as wire", "w"),
    ("Unknown module type", "m"),
    ("Unable to bind wire/reg/memory `clk'", "c"),
    ("TIMEOUT", "T"),
)
_CLASS_STATUS = {"S": Status.SYNTAX_ERROR, "T": Status.TIMEOUT, "R": Status.FAIL, "r": Status.FAIL,
                 ".": Status.PASS}
_CLASS_TEXT = {"S": "syntax error", "e": "explicit cast required", "0": "zero-width sized constant",
               "n": "process with no sensitivities (a warning upstream counts as a failure)",
               "w": "assignment to a wire", "m": "unknown module type", "p": "unable to bind wire/reg",
               "c": "unable to bind clk", "C": "compile error", "T": "TIMEOUT line in the log",
               "R": "runtime mismatch", "r": "runtime mismatch (async reset found)", ".": "pass"}


def official_limits(timeout: float | None = None) -> sandbox.Limits:
    """Upstream bounds only time; keep the sandbox's other limits but let chatty designs print (64 MiB)."""
    return sandbox.Limits(wall_s=timeout or OFFICIAL_TIMEOUT_S, output_bytes=64 * 1024 * 1024)


def benchmarks_dir() -> Path:
    """``$HDLGEN_BENCHMARKS_DIR`` or ``<checkout>/../shared/benchmarks``."""
    env = os.environ.get("HDLGEN_BENCHMARKS_DIR")
    if env:
        return Path(env)
    return DEFAULT_BENCHMARKS_DIR


DEFAULT_BENCHMARKS_DIR = Path(__file__).resolve().parents[3] / "shared" / "benchmarks"  # beside the checkout


def is_verilog_eval(problem: Problem) -> bool:
    return problem.meta.get("suite") in ("v1", "v2")


def benchmark_file(name: str) -> Path:
    """The JSONL of a named benchmark; ProblemError naming both places looked at when absent."""
    rel, _ = BENCHMARKS[name]
    env = os.environ.get("HDLGEN_BENCHMARKS_DIR")
    default = DEFAULT_BENCHMARKS_DIR
    path = benchmarks_dir() / rel
    if not path.is_file():
        raise ProblemError(
            f"benchmark {name!r}: {rel} not found (looked in $HDLGEN_BENCHMARKS_DIR="
            f"{env or '(unset)'} and {default}); set HDLGEN_BENCHMARKS_DIR to the folder holding "
            "verilog-eval-v1/ and verilog-eval-v2/")
    return path


def load_benchmark(name_or_path: str | Path) -> list[Problem]:
    """Problems of a named VerilogEval benchmark, ``rtllm:PATH`` (a checkout of RTLLM, see
    :mod:`verilog_sim.verilog_eval.rtllm`), a JSONL file in the contract's problem format, or a folder of
    problem directories such as ``data/problems``."""
    from ..problem import load_many

    key = str(name_or_path)
    if rtllm.is_rtllm(key):
        return rtllm.load(key[len(rtllm.PREFIX):], key)
    if key in BENCHMARKS:
        path = benchmark_file(key)
        suite = BENCHMARKS[key][1]
        with open(path, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        make = _v1_problem if suite == "v1" else _v2_problem
        return [make(r, key) for r in rows]
    p = Path(name_or_path)
    if not p.exists():
        names = ", ".join(BENCHMARKS)
        raise ProblemError(f"{key}: not a benchmark name ({names}), rtllm:PATH, a JSONL file or a folder of "
                           "problems")
    return load_many(p)


def _v1_problem(r: dict, name: str) -> Problem:
    header = r["prompt"]
    desc = r.get("detail_description") or r.get("simple_description") or ""
    return Problem(task_id=r["task_id"], prompt=f"{desc.strip()}\n\n{header}", top="top_module",
                   test=r["test"], test_kind="verilog", test_top="tb",
                   pass_regex=r"Mismatches: 0 in \d+ samples",
                   meta={"suite": "v1", "benchmark": name, "header": header,
                         "canonical_solution": r["canonical_solution"]})


def _v2_problem(r: dict, name: str) -> Problem:
    return Problem(task_id=r["task_id"], prompt=r["prompt"], top="TopModule", ref=r["ref"], ref_top="RefModule",
                   test=r["test"], test_kind="verilog", test_top="tb",
                   pass_regex=r"^Mismatches: 0 in \d+ samples$", fail_regex="TIMEOUT",
                   meta={"suite": "v2", "benchmark": name, "header": r.get("ifc") or ""})


def reference_completion(problem: Problem) -> str:
    """The benchmark's own solution written as a sample: v1 the canonical body, v2 the ref renamed TopModule."""
    if problem.meta.get("suite") == "v1":
        return problem.meta["canonical_solution"]
    return re.sub(r"\bRefModule\b", "TopModule", problem.ref or "")


def candidate_source(problem: Problem, completion: str) -> str | None:
    """The code a sample contributes: a whole ``top`` module extracted from the text, else the given header
    plus the completion as a module body (v1 always has a header; v2 code-complete has ``ifc``)."""
    code = extract_verilog(completion, problem.top)
    if code is not None and problem.top in module_names(code):
        return code
    header = problem.meta.get("header") or ""
    if header and completion.strip():
        return header + "\n" + completion
    return code


@dataclass(frozen=True)
class Judgement:
    cls: str  # upstream's one-letter failure class (v2) or our equivalent (v1)
    status: Status
    mismatches: int | None
    samples: int | None
    message: str


def judge_v2(compile_log: str, sim_log: str, compiled: bool, lenient: bool = False,
             wall_timeout: bool = False) -> Judgement:
    """sv-iv-analyze's classification of one sample's log (lenient: its defects fixed)."""
    if lenient:
        return _judge_v2_lenient(compile_log, sim_log, compiled, wall_timeout)
    lines = compile_log.splitlines() + sim_log.splitlines() + (["TIMEOUT"] if wall_timeout else [])
    cls, error_c, error_p, zero = "?", False, False, False
    mism = samp = None
    for line in lines:
        hit = "S" if "syntax error" in line else None
        if hit is None and "error" in line:
            error_c = True
        if hit is None:
            for needle, c in _V2_BREAK_RULES:
                if needle in line:
                    hit = c
                    break
            if hit is None and "Unable to bind wire/reg" in line:
                error_p = True
        if hit is not None:
            cls = hit
            break
        m = _V2_MISMATCH.match(line)
        if m:
            mism, samp = int(m.group(1)), int(m.group(2))
            zero = zero or mism == 0
    if cls == "?":
        cls = "p" if error_p else "C" if error_c else "." if zero else "R"
    return _judgement(cls, compiled, mism, samp, wall_timeout)


def _judge_v2_lenient(compile_log: str, sim_log: str, compiled: bool, wall_timeout: bool) -> Judgement:
    if not compiled:
        cls = "S" if "syntax error" in compile_log else "C"
        return _judgement(cls, compiled, None, None, wall_timeout)
    found = [_V2_MISMATCH.match(ln) for ln in sim_log.splitlines()]
    hits = [m for m in found if m]
    mism, samp = (int(hits[-1].group(1)), int(hits[-1].group(2))) if hits else (None, None)
    cls = "T" if wall_timeout else "." if mism == 0 else "R"
    return _judgement(cls, compiled, mism, samp, wall_timeout)


def _judgement(cls: str, compiled: bool, mism: int | None, samp: int | None, wall_timeout: bool) -> Judgement:
    status = _CLASS_STATUS.get(cls, Status.COMPILE_ERROR)
    if status is Status.FAIL and not compiled:
        status = Status.COMPILE_ERROR  # a failed compile without an "error" line: same verdict, truer class
    msg = "" if status is Status.PASS else _CLASS_TEXT.get(cls, cls)
    if cls == "T" and not wall_timeout:
        msg = "the testbench printed TIMEOUT (its own simulated-time limit)"
    elif cls == "T":
        msg = "simulation stopped: wall time limit reached"
    if status is Status.FAIL and mism is not None:
        msg = f"{mism} mismatches in {samp} samples"
    elif status is Status.FAIL:
        msg = "no 'Mismatches: N in M samples' line in the output"
    return Judgement(cls, status, mism, samp, msg)


def judge_v1(stdout: str, stderr: str, compiled: bool, lenient: bool = False,
             wall_timeout: bool = False) -> Judgement:
    """execution.py's rule: any stderr fails (lenient: only a failed compile); then the first Mismatches line."""
    if wall_timeout:
        return Judgement("T", Status.TIMEOUT, None, None, "simulation stopped: wall time limit reached")
    if not lenient or not compiled:
        if "syntax error" in stderr:
            return Judgement("S", Status.SYNTAX_ERROR, None, None, "syntax error")
        if stderr.strip() or not compiled:
            first = next((ln.strip() for ln in stderr.splitlines() if ln.strip()), "compile failed")
            return Judgement("C", Status.COMPILE_ERROR, None, None,
                             f"output on stderr (upstream fails any): {first[:200]}")
    m = _V1_MISMATCH.search(stdout)
    if not m:
        return Judgement("R", Status.FAIL, None, None, "no 'Mismatches: N in M samples' line in the output")
    mism, samp = int(m.group(1)), int(m.group(2))
    if mism == 0:
        return Judgement(".", Status.PASS, 0, samp, "")
    return Judgement("R", Status.FAIL, mism, samp, f"{mism} mismatches in {samp} samples")


def quick_reject(problem: Problem, code: str | None) -> Verdict | None:
    """Verdicts provably equal to the official one without running Icarus: no code, or no top module name
    anywhere in the text (the testbench's instance cannot bind: upstream's 'unknown module type')."""
    if code is None or not code.strip():
        return Verdict.no_code()
    if problem.meta.get("suite") == "v2" and problem.top not in code and "``" not in code:
        msg = f"the design does not define module '{problem.top}'"
        return Verdict(Status.COMPILE_ERROR, Stage.COMPILE, message=msg,
                       diagnostics=(Diagnostic("sample.sv", 1, 1, "error", "missing-top", msg),))
    return None


def evaluate(problem: Problem, completion: str, *, lenient: bool = False, timeout: float | None = None,
             limits: sandbox.Limits | None = None, waveform: bool = False, quick: bool = True,
             code: str | None = None) -> Verdict:
    """Judge one VerilogEval sample as the official harness would (``lenient``: with its defects fixed).

    ``waveform=False`` runs vvp with ``-none`` (the testbench's VCD is never read by the judge; skipping it
    saves time and keeps long runs under the sandbox's file-size limit). ``code`` skips extraction.
    """
    start = time.perf_counter()
    tools.require_icarus()
    limits = limits or official_limits(timeout)
    code = candidate_source(problem, completion) if code is None else code
    if code is None or not code.strip():  # extraction precedes judging in every flow
        v: Verdict | None = Verdict.no_code()
    else:
        v = quick_reject(problem, code) if quick else None
    if v is None and code:  # before it shares a simulation with the testbench (deviation for forging samples)
        v = admit(code, top=problem.top, filename="sample.sv", timeout_s=limits.wall_s)
    if v is None:
        v = (_run_v1 if problem.meta.get("suite") == "v1" else _run_v2)(problem, code or "", limits, lenient, waveform)
    return v.with_(seconds=time.perf_counter() - start, tools=tools.versions(None))


def judgement_verdict(j: Judgement, stage: Stage, diags: tuple[Diagnostic, ...] = ()) -> Verdict:
    """The Verdict of a classified log (``seconds`` and ``tools`` are the caller's to add)."""
    tests = Tests(1, int(j.status is Status.PASS)) if stage is not Stage.COMPILE else Tests()
    return Verdict(j.status, stage, diagnostics=diags, tests=tests, mismatches=j.mismatches, samples=j.samples,
                   message=j.message)


def _limited(res: sandbox.RunResult, stage: Stage) -> Verdict | None:
    if res.limit is None or res.timed_out:
        return None
    return Verdict(Status.RESOURCE_LIMIT, stage, message=f"stopped: {res.limit} limit reached")


def _run_v2(problem: Problem, code: str, limits: sandbox.Limits, lenient: bool, waveform: bool) -> Verdict:
    with sandbox.Scratch() as scratch:
        (scratch / "sample.sv").write_text(seal(code, reset=False))  # its macros do not reach test.sv
        tagger = Tagger()  # only the testbench's own lines may pass it
        (scratch / "test.sv").write_text(tagger.tag(problem.test or ""))
        (scratch / "ref.sv").write_text(problem.ref or "")
        comp = simulate.compile_sources(["sample.sv", "test.sv", "ref.sv"], "tb", scratch, limits, out="P")
        clog = comp.stdout + comp.stderr
        if not comp.ok:
            if (lv := _limited(comp, Stage.COMPILE)) is not None:
                return lv
            if comp.timed_out:
                return Verdict(Status.TIMEOUT, Stage.COMPILE, message="compilation stopped: wall time limit reached")
            j = judge_v2(clog, "", compiled=False, lenient=lenient)
            return judgement_verdict(j, Stage.COMPILE, tuple(simulate.compile_error_diagnostics(comp)))
        run = simulate.run_vvp(scratch, limits, vvp_file="P", plusargs=() if waveform else ("-none",))
        if (lv := _limited(run, Stage.SIMULATE)) is not None:
            return lv
        j = judge_v2(clog, tagger.split(run.stdout)[1] + run.stderr, compiled=True, lenient=lenient,
                     wall_timeout=run.timed_out)
        return judgement_verdict(j, Stage.SIMULATE)


def _run_v1(problem: Problem, code: str, limits: sandbox.Limits, lenient: bool, waveform: bool) -> Verdict:
    with sandbox.Scratch() as scratch:
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", problem.task_id)[:80] or "task"
        tagger = Tagger()  # only the testbench's own lines may pass it
        (scratch / f"{name}.sv").write_text(tagger.tag(problem.test or "") + "\n" + code)
        comp = simulate.compile_sources([f"{name}.sv"], "tb", scratch, limits, out="test.vvp")
        if comp.limit is not None:
            if (lv := _limited(comp, Stage.COMPILE)) is not None:
                return lv
            return Verdict(Status.TIMEOUT, Stage.COMPILE, message="compilation stopped: wall time limit reached")
        if not comp.ok:
            j = judge_v1(comp.stdout, comp.stderr, compiled=False, lenient=lenient)
            return judgement_verdict(j, Stage.COMPILE, tuple(simulate.compile_error_diagnostics(comp)))
        run = simulate.run_vvp(scratch, limits, vvp_file="test.vvp", plusargs=() if waveform else ("-none",))
        if (lv := _limited(run, Stage.SIMULATE)) is not None:
            return lv
        j = judge_v1(comp.stdout + tagger.split(run.stdout)[0], comp.stderr + run.stderr, compiled=True,
                     lenient=lenient, wall_timeout=run.timed_out)
        return judgement_verdict(j, Stage.SIMULATE)
