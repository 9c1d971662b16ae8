"""The pipeline behind every verdict: extract → syntax → compile → simulate (→ compare).

One entry point, :func:`verify`, takes a problem and a candidate's raw text and always returns a Verdict;
it raises only for the caller's own mistakes (a missing simulator is reported as ``ToolMissing``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from .. import sandbox, tools
from ..admission import admit, seal
from ..frontend.syntax import SEMANTIC_ERRORS, check_source
from ..frontend.untrusted import needs_sandboxed_preprocessing
from ..problem import REGEX_TIMEOUT_S, Problem, output_search
from ..sandbox import landlock, pathguard, worker
from ..sandbox.policy import require_confinement_for_python, require_isolation
from ..sim import simulate
from ..sim.tbreport import Tagger
from ..source.extract import extract_verilog, module_names
from ..verdict import Diagnostic, Stage, Status, Tests, Verdict
from .group import verify_differential
from .outcomes import compile_failure, default_limits, limit_verdict, worker_verdict
from .tiers import FormalSettings, after_simulation, check_reset_rate

_MISMATCHES = re.compile(r"Mismatches:\s*(\d+)\s+in\s+(\d+)\s+samples")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def _safe_filename(name: str, default: str) -> str:
    base = Path(name).name
    return base if _SAFE_NAME.match(base) and base not in (".", "..") else default


def _extra_files(problem: Problem) -> list[tuple[Path, str]]:
    out = []
    for name, text in (problem.extra_files or {}).items():
        rel = Path(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts or not all(_SAFE_NAME.match(p) for p in rel.parts):
            raise ValueError(f"extra file name {name!r} must be a relative path inside the scratch directory")
        out.append((rel, text))
    return out


def write_extra_files(problem: Problem, scratch: Path) -> None:
    """``$readmemh`` data and the like, placed beside the sources. Relative names may use subfolders;
    absolute names and ``..`` are refused (ValueError) so a problem cannot write outside scratch."""
    for rel, text in _extra_files(problem):
        target = scratch / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def verify(problem: Problem, candidate: str, *, seed: int | None = None, cycles: int | None = None,
           timeout: float | None = None, limits: sandbox.Limits | None = None, std: str = "auto",
           extract: bool = True, filename: str = "candidate.v", formal: str | FormalSettings = "auto",
           formal_depth: int | None = None, reset_rate: float | None = None) -> Verdict:
    """Judge one candidate (raw LLM text or plain source) against ``problem``.

    ``formal`` (``auto``/``on``/``off``, or :class:`~verilog_sim.judge.tiers.FormalSettings`) and
    ``formal_depth`` choose the formal tier of a reference check (see :mod:`verilog_sim.judge.tiers`);
    ``reset_rate`` fixes the chance of a reset pulse per input change of its random stimulus (0: reset only at
    the start; None: the harness's mix of regimes).
    """
    check_reset_rate(reset_rate)
    start = time.perf_counter()
    tools.require_icarus()
    require_isolation()
    settings = formal if isinstance(formal, FormalSettings) else FormalSettings.make(formal, formal_depth)
    limits = limits or default_limits(timeout)
    v = _verify(problem, candidate, seed=seed, cycles=cycles, limits=limits, std=std, extract=extract,
                filename=_safe_filename(filename, "candidate.v"), formal=settings, reset_rate=reset_rate)
    return v.with_(seconds=time.perf_counter() - start, tools={**tools.versions("pyslang"), **v.tools},
                   seed=v.seed if v.seed is not None else seed)


def precheck(problem: Problem, candidate: str, *, limits: sandbox.Limits, std: str = "auto", extract: bool = True,
             filename: str = "candidate.v") -> str | Verdict:
    """The in-process stages (extract, syntax, top module): the source to simulate, or the Verdict that ends it.

    Shared by :func:`verify` and :func:`verilog_sim.judge.batch.verify_many`, so both judge the same way.
    """
    size = len(candidate.encode("utf-8", "replace"))
    if size > limits.input_bytes:
        return Verdict(Status.RESOURCE_LIMIT, Stage.EXTRACT,
                       message=f"input size {size / 2**20:.1f} MiB exceeds the {limits.input_bytes / 2**20:g} MiB limit")
    if "\x00" in candidate:
        candidate = candidate.replace("\x00", " ")  # binary junk: NULs would truncate tool arguments and files
    bound = worker.bounds(limits)  # untrusted text is parsed only in a bounded worker process
    try:
        code = worker.call(extract_verilog, candidate, problem.top, **bound) if extract else candidate
    except worker.WorkerFailed as exc:
        return worker_verdict(exc, Stage.EXTRACT)
    if not code or not code.strip():
        return Verdict.no_code()
    syn = None
    if not needs_sandboxed_preprocessing(code):
        try:
            syn = worker.call(check_source, code, filename, std, **bound)
        except worker.WorkerFailed as exc:
            return worker_verdict(exc, Stage.SYNTAX)
        except Exception as exc:  # the parser itself gave up (e.g. nesting deeper than it supports)
            msg = f"the parser could not process this source: {type(exc).__name__} {exc}".strip()
            return Verdict(Status.SYNTAX_ERROR, Stage.SYNTAX, message=msg,
                           diagnostics=(Diagnostic(filename, 1, 1, "error", "parser-limit", msg),))
    if syn is not None and not syn.ok:
        errors = tuple(d for d in syn.diagnostics if d.severity == "error")
        if all(d.code in SEMANTIC_ERRORS for d in errors):  # it parses; Icarus would reject it at elaboration
            return Verdict(Status.COMPILE_ERROR, Stage.COMPILE, diagnostics=errors, message=errors[0].message)
        return Verdict(Status.SYNTAX_ERROR, Stage.SYNTAX, diagnostics=errors, message=errors[0].message)
    if problem.top and problem.top not in module_names(code):
        found = ", ".join(module_names(code)) or "none"
        msg = f"the design does not define module '{problem.top}' (modules found: {found})"
        return Verdict(Status.COMPILE_ERROR, Stage.COMPILE,
                       diagnostics=(Diagnostic(filename, 1, 1, "error", "missing-top", msg),), message=msg)
    try:
        _extra_files(problem)  # a problem that cannot place its files is the problem's fault, whatever the design
    except ValueError as exc:
        return Verdict(Status.ERROR, Stage.COMPILE, message=f"bad problem {problem.task_id}: {exc}")
    rejected = admit(code, top=problem.top, data_files=tuple(problem.extra_files or {}), filename=filename,
                     **bound)  # before it shares a simulation with a harness or other candidates
    if rejected is not None:
        return rejected
    if not landlock.abi_version():  # no kernel confinement: refuse paths that would leave scratch
        unsafe = pathguard.unsafe_file_access(code, filename)
        if unsafe:
            return Verdict(Status.COMPILE_ERROR, Stage.COMPILE, diagnostics=tuple(unsafe), message=unsafe[0].message)
    return code


def _verify(problem: Problem, candidate: str, *, seed: int | None, cycles: int | None, limits: sandbox.Limits,
            std: str, extract: bool, filename: str, formal: FormalSettings = FormalSettings(),
            reset_rate: float | None = None) -> Verdict:
    code = precheck(problem, candidate, limits=limits, std=std, extract=extract, filename=filename)
    if isinstance(code, Verdict):
        return code
    differential = bool(problem.ref) and not problem.test_kind
    with sandbox.Scratch() as scratch:  # sealed: the testbench compiled after it starts clean
        (scratch / filename).write_text(code if differential else seal(code))  # (run_group seals its own copy)
        try:
            write_extra_files(problem, scratch)
        except ValueError as exc:
            return Verdict(Status.ERROR, Stage.COMPILE, message=f"bad problem {problem.task_id}: {exc}")
        if problem.test_kind == "cocotb":
            return _verify_cocotb(problem, filename, scratch, limits, seed)
        if problem.test_kind == "verilog":
            return _verify_verilog_tb(problem, filename, scratch, limits)
        if problem.ref:
            v = verify_differential(problem, filename, scratch, limits=limits, seed=seed, cycles=cycles,
                                    reset_rate=reset_rate)
            return after_simulation(problem, code, v, formal, limits=limits)
        res = simulate.compile_sources([filename], problem.top, scratch, limits)
        if not res.ok:
            return compile_failure(res, filename)
        return Verdict(Status.PASS, Stage.COMPILE,
                       diagnostics=tuple(d for d in simulate.iverilog_diagnostics(res.stderr) if d.severity != "error"),
                       message="no test or reference: checked syntax and compilation only")


def _verify_cocotb(problem: Problem, filename: str, scratch: Path, limits: sandbox.Limits,
                   seed: int | None) -> Verdict:
    require_confinement_for_python()  # the problem's test is arbitrary Python: never behind a static scan alone
    module = "hdlgen_cocotb_test"
    (scratch / f"{module}.py").write_text(problem.test or "")
    res = simulate.run_cocotb([scratch / filename], problem.top, module, scratch, limits=limits, seed=seed)
    if res.build is None or not res.build.ok:
        if res.build is None:
            return Verdict(Status.ERROR, Stage.COMPILE, message="cocotb runner did not compile anything")
        return compile_failure(res.build, filename)
    run = res.run
    assert run is not None
    if run.limit:
        return limit_verdict(run, Stage.SIMULATE, tests=Tests(res.total, res.passed))  # type: ignore[return-value]
    if not res.results_found:
        return Verdict(Status.ERROR, Stage.SIMULATE, message=_no_results_message(run, module))
    tests = Tests(res.total, res.passed)
    if res.total > 0 and res.passed == res.total:
        return Verdict(Status.PASS, Stage.SIMULATE, tests=tests)
    if res.total == 0:
        return Verdict(Status.ERROR, Stage.SIMULATE, tests=tests, message="the cocotb module defines no tests")
    name, msg = res.failures[0] if res.failures else ("?", "failed")
    return Verdict(Status.FAIL, Stage.SIMULATE, tests=tests,
                   message=f"{res.total - res.passed} of {res.total} tests failed; first: {name}: "
                           f"{msg.splitlines()[0][:300] if msg else ''}")


_PY_ERROR = re.compile(r"^(SyntaxError|IndentationError|TabError|ImportError|ModuleNotFoundError|NameError): (.*)$", re.M)


def _no_results_message(run: sandbox.RunResult, module: str) -> str:
    """Why a cocotb run gave no results, in the user's terms: no internal module name, no scratch path."""
    err = _PY_ERROR.search(run.stderr)  # first: a module that does not import also "defines no tests"
    if err:
        where = re.findall(rf'File "[^"]*{module}\.py", line (\d+)', run.stderr)
        at = f" at line {where[-1]}" if where else ""
        return f"the cocotb test module does not load{at}: {err.group(1)}: {err.group(2).strip()[:200]}"
    if "No tests were discovered" in run.stderr + "\n" + run.stdout:
        return "the cocotb test module defines no tests (mark an async function with @cocotb.test())"
    tail = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
    msg = f"simulator ended without test results (exit {run.returncode}): " + " | ".join(tail)
    return re.sub(r"(?:/[^\s/:'\"]+)*/hdlgen-[^\s/:'\"]+/", "", msg).replace(module, "the test module")


def judge_output(problem: Problem, tb_text: str, text: str) -> tuple[bool, int | None, int | None, str]:
    """(passed, mismatches, samples, message) of a Verilog testbench's run under the problem's regexes.

    ``tb_text`` is what the testbench itself printed (see :mod:`verilog_sim.sim.tbreport`): only it can pass
    or count mismatches; ``text`` (everything, the design's lines marked) can still match ``fail_regex``.
    """
    m = _MISMATCHES.findall(tb_text)
    mismatches, samples = (int(m[-1][0]), int(m[-1][1])) if m else (None, None)
    try:  # the problem's patterns run with a time bound (``^(a+)+$`` froze a reward server for 30 s)
        if problem.fail_regex and (f := output_search(problem.fail_regex, text)) is not None:
            return False, mismatches, samples, f"fail pattern matched: {f.strip()[:200]}"
        if problem.pass_regex:
            if output_search(problem.pass_regex, tb_text) is not None:
                return True, mismatches, samples, ""
            return False, mismatches, samples, "pass pattern not found in the simulation output"
    except TimeoutError:
        return False, mismatches, samples, f"the problem's pass_regex/fail_regex ran past {REGEX_TIMEOUT_S:g} s"
    if mismatches is not None:
        return mismatches == 0, mismatches, samples, "" if mismatches == 0 else f"{mismatches} mismatches in {samples} samples"
    return False, mismatches, samples, "no pass_regex given and no 'Mismatches:' line in the output"


def reference_beside_testbench(problem: Problem) -> bool:
    """Whether a Verilog testbench is compiled with the reference beside the candidate.

    Yes when the reference is a separate golden module the testbench instantiates (VerilogEval v2's
    ``RefModule``); no when the reference defines ``top`` itself (RTLLM's ``verified_<name>.v``, most user
    datasets): the testbench instantiates ``top`` by name and judges the candidate alone, and compiling the
    reference too would only redeclare the candidate's module.
    """
    return bool(problem.ref) and problem.top not in module_names(problem.ref or "")


def _verify_verilog_tb(problem: Problem, filename: str, scratch: Path, limits: sandbox.Limits) -> Verdict:
    tagger = Tagger()  # only the testbench's own lines may pass it
    (scratch / "testbench.sv").write_text(tagger.tag(problem.test or ""))
    sources = [filename, "testbench.sv"]
    if reference_beside_testbench(problem):
        (scratch / "reference.sv").write_text(problem.ref or "")
        sources.append("reference.sv")
    res = simulate.compile_sources(sources, problem.test_top or "tb", scratch, limits)
    if not res.ok:
        return compile_failure(res, filename)
    run = simulate.run_vvp(scratch, limits)
    limited = limit_verdict(run, Stage.SIMULATE)
    if limited:
        return limited
    tb_text, text = tagger.split(run.stdout)
    passed, mismatches, samples, message = judge_output(problem, tb_text, text + run.stderr)
    status = Status.PASS if passed else Status.FAIL
    return Verdict(status, Stage.SIMULATE, tests=Tests(1, int(passed)), mismatches=mismatches, samples=samples,
                   message=message)
