"""Compile and simulate with Icarus, always inside the sandbox.

Two flows: cocotb tests through ``cocotb_tools.runner`` (a subclass of its Icarus runner whose commands run
in :mod:`verilog_sim.sandbox` instead of a bare ``subprocess.run``), and plain Verilog testbenches run by
``vvp`` and judged by their own output.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import sandbox
from ..verdict import Diagnostic

DEFAULT_TIMESCALE = ("1ns", "1ps")
# Environment keys cocotb's runner sets that the simulator needs; everything else of the caller is dropped.
_COCOTB_ENV_PREFIXES = ("COCOTB_", "GPI_", "PYGPI_", "TOPLEVEL", "LIBPYTHON_LOC", "RANDOM_SEED")

_IVERILOG_MSG = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):\s*(?:(?P<sev>error|warning|sorry|syntax error)\b:?\s*)?(?P<msg>.*)$"
)


_SCRATCH_PATH = re.compile(r"(?:/[^\s/:'\"`]+)*/hdlgen-[^\s/:'\"`]+/(?:sim_build/)?")


def iverilog_diagnostics(text: str, default_file: str = "<design>") -> list[Diagnostic]:
    """Diagnostics from iverilog's stderr (``file:line: error: message``), in the contract's form."""
    out: list[Diagnostic] = []
    for raw in text.splitlines():
        line = raw.strip()
        m = _IVERILOG_MSG.match(line)
        if not m:
            continue
        sev = (m.group("sev") or "error").lower()
        msg = _SCRATCH_PATH.sub("", m.group("msg").strip()) or sev
        if sev == "syntax error":
            code, severity, msg = "syntax", "error", "syntax error" + (f": {msg}" if msg != sev else "")
        elif sev == "warning":
            code, severity = "iverilog-warning", "warning"
        elif sev == "sorry":
            code, severity, msg = "unsupported", "error", f"sorry: {msg}"
        else:
            code, severity = "compile", "error"
        out.append(Diagnostic(os.path.basename(m.group("file")), int(m.group("line")), 1, severity, code, msg))
    if not out and text.strip():
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        out.append(Diagnostic(default_file, 1, 1, "error", "compile", first[:300]))
    return out


def compile_error_diagnostics(result: sandbox.RunResult) -> list[Diagnostic]:
    """Only the errors of a failed iverilog run (warnings stay out of a compile_error verdict)."""
    diags = iverilog_diagnostics(result.stderr + result.stdout)
    errors = [d for d in diags if d.severity == "error"]
    return errors or diags


def iverilog_argv(sources: Sequence[str | Path], top: str | Sequence[str], out: str = "sim.vvp",
                  extra: Sequence[str] = ()) -> list[str]:
    """The official-harness style compile: ``iverilog -Wall -Winfloop -Wno-timescale -g2012 -s TOP``."""
    tops = [top] if isinstance(top, str) else list(top)
    argv = ["iverilog", "-Wall", "-Winfloop", "-Wno-timescale", "-g2012", "-o", out]
    for t in tops:
        argv += ["-s", t]
    return argv + list(extra) + [str(s) for s in sources]


# What Icarus prints when it failed, whatever its exit status says.
_ICARUS_ERROR = re.compile(
    r"^(?:[^\s:][^:]*:\d+:\s*(?:error|syntax error)\b|\s*\d+ error\(s\) during elaboration|error:|"
    r"Elaboration failed|I give up|No top level modules)", re.M)


def compile_result(res: sandbox.RunResult, output: Path) -> sandbox.RunResult:
    """``res`` judged by Icarus' report rather than its exit status alone: failed when it reports an error or
    wrote no ``output``. The one home for "did iverilog compile?".

    iverilog's exit status is its error count modulo 256, so 256 (or 512, or 2048) errors exit 0: a design can
    pick its own error count and "compile". A run that exits 0 but failed gets exit status 1 here.
    """
    if not res.ok:
        return res
    reported = _ICARUS_ERROR.search(res.stderr + res.stdout)
    if reported is None and ("-tnull" in res.argv or output.is_file()):  # -tnull: elaborate, write nothing
        return res
    why = "it reported errors" if reported else f"it wrote no {output.name}"
    return replace(res, returncode=1, stderr=res.stderr + f"error: iverilog failed ({why}) but exited with status 0\n")


def compile_sources(sources: Sequence[str | Path], top: str | Sequence[str], cwd: Path,
                    limits: sandbox.Limits, out: str = "sim.vvp", extra: Sequence[str] = ()) -> sandbox.RunResult:
    res = sandbox.run(iverilog_argv(sources, top, out, extra), cwd, limits=limits)
    return compile_result(res, Path(cwd) / out)


def run_vvp(cwd: Path, limits: sandbox.Limits, vvp_file: str = "sim.vvp",
            plusargs: Sequence[str] = ()) -> sandbox.RunResult:
    return sandbox.run(["vvp", "-n", vvp_file, *plusargs], cwd, limits=limits)


# ----------------------------------------------------------------------------------------------- cocotb


HARNESS_DIR = Path(__file__).resolve().parent / "harness"
REPORTER = "hdlgen_report"  # harness/hdlgen_report.py: imported by cocotb before the test module


@dataclass
class CocotbResult:
    build: sandbox.RunResult | None
    run: sandbox.RunResult | None
    total: int = 0
    passed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (test name, message)
    results_found: bool = False
    data: dict = field(default_factory=dict)  # what the harness put in its report (hdlgen_report.put)
    report_problem: str = ""  # why no report was accepted (missing, partial, wrong nonce)


class ReportChannel:
    """Where the harness inside the simulator reports: an anonymous memory file the simulator inherits, and a
    per-run nonce, both handed over in the environment (which ``hdlgen_report`` empties on import). The
    design cannot name the descriptor, so only the harness writes there; :meth:`read` accepts one complete
    report carrying the nonce and nothing else."""

    def __init__(self) -> None:
        self.fd = os.memfd_create("hdlgen-report", 0)
        self.nonce = secrets.token_hex(16)

    def env(self) -> dict[str, str]:
        return {"HDLGEN_REPORT_FD": str(self.fd), "HDLGEN_REPORT_NONCE": self.nonce}

    def read(self) -> tuple[dict | None, str]:
        """(report, "") or (None, why it was refused)."""
        size = os.fstat(self.fd).st_size
        if size == 0:
            return None, "the harness wrote no report"
        if size > 64 * 2**20:
            return None, "the report is implausibly large"
        body = os.pread(self.fd, size, 0)
        try:
            report = json.loads(body)
        except ValueError:
            return None, "the report is incomplete"
        if not isinstance(report, dict) or not secrets.compare_digest(str(report.get("nonce", "")), self.nonce):
            return None, "the report does not carry this run's nonce"
        return report, ""

    def close(self) -> None:
        os.close(self.fd)


def parse_results_xml(source: Path | str) -> tuple[int, int, list[tuple[str, str]]] | None:
    """(total, passed, failures) from cocotb's xUnit results (a file, or the XML text itself), or None when
    missing/corrupt."""
    try:
        root = ET.fromstring(source) if isinstance(source, str) else ET.parse(source).getroot()
    except (OSError, ET.ParseError):
        return None
    total = passed = 0
    failures: list[tuple[str, str]] = []
    for case in root.iter("testcase"):
        total += 1
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is None:
            if case.find("skipped") is None:
                passed += 1
            continue
        msg = (bad.get("message") or bad.text or "failed").strip()
        failures.append((case.get("name", "?"), msg[:2000]))
    return total, passed, failures


def _make_runner(limits: sandbox.Limits, scratch: Path, channel: ReportChannel):  # noqa: ANN202 - a cocotb Runner
    from cocotb_tools.runner import Icarus

    class SandboxedIcarus(Icarus):
        """cocotb's Icarus runner with every command run by the sandbox; never raises or exits."""

        runs: list[sandbox.RunResult]

        def _execute_cmds(self, cmds, cwd, stdout=None):  # noqa: ANN001, ARG002 - cocotb's signature
            env = sandbox.base_env(scratch)
            for k, v in self.env.items():
                if k.startswith(_COCOTB_ENV_PREFIXES):
                    env[k] = v
            # the harness folder first: a file the design wrote in scratch can never stand in for hdlgen_report
            env["PYTHONPATH"] = os.pathsep.join([str(HARNESS_DIR), str(scratch), self.env.get("PYTHONPATH", "")])
            for cmd in cmds:
                simulating = Path(cmd[0]).name == "vvp"
                res = sandbox.run(cmd, Path(cwd), limits=limits, env={**env, **channel.env()} if simulating else env,
                                  writable=scratch, extra_read=[str(HARNESS_DIR)],
                                  pass_fds=(channel.fd,) if simulating else ())
                if Path(cmd[0]).name == "iverilog" and "-o" in cmd:
                    res = compile_result(res, Path(cwd) / cmd[cmd.index("-o") + 1])
                self.runs.append(res)
                if not res.ok:
                    break

    runner = SandboxedIcarus()
    runner.runs = []
    return runner


def run_cocotb(sources: Sequence[Path], top: str, test_module: str, scratch: Path, *,
               limits: sandbox.Limits, seed: int | None = None, timescale: tuple[str, str] = DEFAULT_TIMESCALE,
               extra_env: Mapping[str, str] | None = None, build_args: Sequence[str] = ()) -> CocotbResult:
    """Build ``sources`` with top ``top`` and run the cocotb module ``test_module`` (a file in ``scratch``).

    Results come only through a :class:`ReportChannel`; a results file in ``scratch`` is never read.
    """
    channel = ReportChannel()
    try:
        return _run_cocotb(sources, top, test_module, scratch, channel, limits=limits, seed=seed,
                           timescale=timescale, extra_env=extra_env, build_args=build_args)
    finally:
        channel.close()


def _run_cocotb(sources: Sequence[Path], top: str, test_module: str, scratch: Path, channel: ReportChannel, *,
                limits: sandbox.Limits, seed: int | None, timescale: tuple[str, str],
                extra_env: Mapping[str, str] | None, build_args: Sequence[str]) -> CocotbResult:
    runner = _make_runner(limits, scratch, channel)
    build_dir = scratch / "sim_build"
    runner.build(sources=[str(s) for s in sources], hdl_toplevel=top, build_dir=build_dir, always=True,
                 timescale=timescale, build_args=["-Wno-timescale", *build_args])
    build = runner.runs[-1] if runner.runs else None
    if build is None or not build.ok:
        return CocotbResult(build=build, run=None)
    try:
        runner.test(test_module=[REPORTER, test_module], hdl_toplevel=top, build_dir=build_dir, test_dir=scratch,
                    results_xml=str(scratch / "results.xml"), seed=seed, extra_env=dict(extra_env or {}))
    except SystemExit:  # cocotb's runner exits on failed tests when it sees PYTEST_CURRENT_TEST; we judge below
        pass
    run = runner.runs[-1]
    report, problem = channel.read()
    parsed = parse_results_xml(str(report.get("xunit", ""))) if report else None
    if report is None or parsed is None:
        return CocotbResult(build=build, run=run, report_problem=problem or "the report holds no test results")
    total, passed, failures = parsed
    data = report.get("data")
    return CocotbResult(build, run, total, passed, failures, results_found=True,
                        data=data if isinstance(data, dict) else {})
