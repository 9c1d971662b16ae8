"""Turning a sandboxed run's outcome into a Verdict: limits hit, compile failures. One home for both."""

from __future__ import annotations

from .. import sandbox
from ..sandbox import DEFAULT_TIMEOUT_S
from ..sandbox.worker import WorkerFailed
from ..sim import simulate
from ..verdict import Diagnostic, Stage, Status, Verdict


def default_limits(timeout: float | None = None) -> sandbox.Limits:
    return sandbox.Limits(wall_s=timeout or DEFAULT_TIMEOUT_S)


def limit_verdict(res: sandbox.RunResult, stage: Stage, **kw: object) -> Verdict | None:
    """A ``timeout`` or ``resource_limit`` verdict naming the limit, or None when no limit was hit."""
    if res.limit is None:
        return None
    status = Status.TIMEOUT if res.timed_out else Status.RESOURCE_LIMIT
    what = "compilation" if stage is Stage.COMPILE else "simulation"
    return Verdict(status, stage, message=f"{what} stopped: {res.limit} limit reached", **kw)  # type: ignore[arg-type]


_PARSE_STEP = {Stage.EXTRACT: "extraction", Stage.SYNTAX: "syntax check", Stage.COMPILE: "port analysis"}


def worker_verdict(exc: WorkerFailed, stage: Stage, what: str | None = None) -> Verdict:
    """The verdict of an input whose parse worker hit a limit (``resource_limit``) or crashed (``error``)."""
    what = what or _PARSE_STEP.get(stage, "parsing")
    if exc.kind == "crash":
        return Verdict(Status.ERROR, stage, message=f"{what} failed: {exc.message}")
    return Verdict(Status.RESOURCE_LIMIT, stage, message=f"{what} stopped: {exc.message} limit reached")


def compile_failure(res: sandbox.RunResult, filename: str, **kw: object) -> Verdict:
    limited = limit_verdict(res, Stage.COMPILE, **kw)
    if limited:
        return limited
    diags = tuple(simulate.compile_error_diagnostics(res)) or (
        Diagnostic(filename, 1, 1, "error", "compile", f"iverilog exited with status {res.returncode}"),)
    return Verdict(Status.COMPILE_ERROR, Stage.COMPILE, diagnostics=diags, message=diags[0].message, **kw)  # type: ignore[arg-type]
