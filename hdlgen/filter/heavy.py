"""The expensive per-row stages: compile (Icarus, sandboxed, batched) → functional → lint.

Compiling is batched: up to ``compile_batch`` rows go to one ``iverilog -u`` run, each row in its own file
(its own compilation unit) with its module names suffixed by its row index so rows cannot clash. When the
batch compiles, every row in it compiles; when it does not, the rows the errors point at and any rows left
unclear are compiled alone, which also gives each failing row its own diagnostics. One Icarus start for
64 rows instead of 64 is what makes the compile stage fast. ``-tnull`` parses and elaborates (where compile
errors come from) but generates no simulation code, which halves the time of a compile check.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from verilog_sim import Problem, sandbox, verify_many
from verilog_sim.admission import seal
from verilog_sim.sim import simulate
from verilog_sim.source.extract import module_names
from verilog_sim.source.rename import rename_units

from .config import FilterConfig

_ERR_FILE = re.compile(r"^(r\d+)\.v:\d+:", re.M)


def _limits(cfg: FilterConfig, factor: float = 1.0) -> sandbox.Limits:
    return sandbox.Limits(wall_s=cfg.timeout * factor)


def _compile_one(index: int, rtl: str, cfg: FilterConfig) -> tuple[bool, str]:
    with sandbox.Scratch(prefix="hdlgen-filter-") as scratch:
        (scratch / "row.v").write_text(rtl)
        res = simulate.compile_sources(["row.v"], [], scratch, _limits(cfg), out="row.vvp", extra=["-tnull"])
    if res.ok:
        return True, ""
    if res.limit:
        return False, f"compilation stopped: {res.limit} limit reached"
    diags = simulate.compile_error_diagnostics(res)
    return False, diags[0].format() if diags else f"iverilog exited with status {res.returncode}"


def compile_rows(items: list[tuple[int, str]], cfg: FilterConfig) -> dict[int, tuple[bool, str]]:
    """{index: (compiles, first error)} for ``items`` of (row index, rtl)."""
    if len(items) <= 1:
        return {i: _compile_one(i, rtl, cfg) for i, rtl in items}
    with sandbox.Scratch(prefix="hdlgen-filter-") as scratch:
        files = []
        for i, rtl in items:
            (scratch / f"r{i}.v").write_text(seal(rename_units(rtl, f"__h{i}")[0]))  # its macros end with it
            files.append(f"r{i}.v")
        res = simulate.compile_sources(files, [], scratch, _limits(cfg, 2.0), out="batch.vvp", extra=["-u", "-tnull"])
    if res.ok:
        return {i: (True, "") for i, _ in items}
    ours = {f"r{i}" for i, _ in items}
    blamed = ours & set(_ERR_FILE.findall(res.stderr + res.stdout)) if not res.limit else set()
    rest = [(i, rtl) for i, rtl in items if f"r{i}" not in blamed]
    if blamed and rest:  # strictly fewer rows: the recursion ends
        out = compile_rows(rest, cfg)
    else:  # the errors name no row (or a limit was hit): judge each row alone
        out = {i: _compile_one(i, rtl, cfg) for i, rtl in rest}
    for i, rtl in items:
        if i not in out:
            out[i] = _compile_one(i, rtl, cfg)
    return out


def _test_kind(row: dict[str, Any]) -> str | None:
    test = row.get("test")
    if not isinstance(test, str) or not test.strip():
        return None
    kind = row.get("test_kind")
    if kind in ("cocotb", "verilog"):
        return kind
    return "cocotb" if re.search(r"^\s*import cocotb|^\s*from cocotb", test, re.M) else "verilog"


def problem_for(row: dict[str, Any], top: str | None) -> Problem | None:
    """The Problem a row's own testbench or reference defines, or None when it has neither."""
    kind = _test_kind(row)
    ref = row.get("ref") if isinstance(row.get("ref"), str) and row.get("ref", "").strip() else None
    if kind is None and ref is None:
        return None
    ref_top = row.get("ref_top") or (module_names(ref)[-1] if ref and module_names(ref) else None)
    return Problem(task_id=str(row.get("id", "row")), top=top or "TopModule", ref=ref, ref_top=ref_top,
                   test=row.get("test") if kind else None, test_kind=kind,
                   test_top=(row.get("test_top") or "tb") if kind == "verilog" else None,
                   pass_regex=row.get("pass_regex"), fail_regex=row.get("fail_regex"))


def group_key(row: dict[str, Any], top: str | None) -> str:
    """Rows with the same key can share one differential simulation (same reference, same top)."""
    prob = problem_for(row, top)
    if prob is None or prob.test_kind is not None:
        return "tb" if prob is not None else "none"  # own testbench: one verify per row
    return "ref:" + hashlib.sha1(f"{prob.ref}\0{prob.ref_top}\0{prob.top}".encode()).hexdigest()


def summary(v: Any) -> dict[str, Any]:
    """The deterministic part of a Verdict (no timings or tool versions: outputs must be reproducible)."""
    d = {"status": v.status.value, "stage": v.stage.value}
    if v.tests.total:
        d["tests"] = {"total": v.tests.total, "passed": v.tests.passed}
    if v.mismatches is not None:
        d["mismatches"], d["samples"] = v.mismatches, v.samples
    if v.message:
        d["message"] = v.message[:300]
    return d


def functional(rows: list[tuple[int, dict[str, Any], str, str | None]], cfg: FilterConfig) -> dict[int, dict[str, Any]]:
    """{index: verdict summary} for rows that carry a testbench or a reference; others are absent.

    Rows sharing one problem (same reference or testbench, same top) are judged by one
    :func:`verilog_sim.verify_many` call.
    """
    groups: dict[str, list[tuple[int, Problem, str]]] = {}
    for i, row, rtl, top in rows:
        prob = problem_for(row, top)
        if prob is None:
            continue
        key = hashlib.sha1(f"{prob.ref}\0{prob.ref_top}\0{prob.top}\0{prob.test}\0{prob.test_kind}\0"
                           f"{prob.pass_regex}\0{prob.fail_regex}".encode()).hexdigest()
        groups.setdefault(key, []).append((i, prob, rtl))
    out: dict[int, dict[str, Any]] = {}
    for members in groups.values():
        verdicts = verify_many(members[0][1], [rtl for _, _, rtl in members], seed=cfg.seed, cycles=cfg.cycles,
                               timeout=cfg.timeout, workers=1, extract=False, batch_size=cfg.functional_batch,
                               formal=cfg.formal)
        out.update({i: summary(v) for (i, _, _), v in zip(members, verdicts)})
    return out
