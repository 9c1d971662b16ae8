"""Several VerilogEval v2 candidates of one problem in one compile and one simulation, same verdicts.

Most of an official v2 run is fixed cost (starting iverilog and vvp, parsing the testbench), so K distinct
candidates share one run: candidate ``i``'s modules get the suffix ``_c{i}``, the testbench is copied
per candidate (``tb_c{i}``, its ``$display`` lines tagged, its ``$random`` and ``$urandom`` each reading
its own seed, which starts at 0 like Icarus's global ones: the two are separate in Icarus, and
``$urandom_range`` shares ``$urandom``'s but takes no seed, so a testbench using it is not shared), and each
copy's lines of the compile and simulation logs go through the
official classification (:func:`verilog_sim.verilog_eval.rules.judge_v2`).

Only where the copies provably see the official stimulus: the testbench's stimulus reads nothing but
``clk`` (so it cannot depend on the design), uses no other random or output task, and candidates use no
directives or system tasks beyond pure functions. Anything unexpected (a compile failure, a line that
belongs to no copy, a limit, a non-zero exit) returns None and the caller judges those candidates alone.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

from .. import sandbox
from ..admission import admit
from ..frontend.syntax import check_source
from ..problem import Problem
from ..sandbox import worker
from ..sim import simulate
from ..source.extract import blank_comments_and_strings, module_names, module_spans
from ..verdict import Stage, Verdict
from . import rules as ve

MAX_BATCH = 12
_PURE_SYS = {"signed", "unsigned", "clog2", "bits", "size", "countones", "onehot", "onehot0", "isunknown",
             "high", "low", "left", "right", "increment", "dimensions"}
_TB_ALLOWED_SYS = {"display", "random", "urandom", "finish", "time", "dumpfile", "dumpvars", "signed", "unsigned", "bits",
                   "clog2", "countones", "realtime", "stime", "sformatf", "isunknown"}
_SYS = re.compile(r"\$([A-Za-z_][A-Za-z0-9_$]*)")
_TAG = re.compile(r"^\[hdlgen:c(\d+)\] ?(.*)$")
_FILE = re.compile(r"^(cand|test)_(\d+)\.sv:")
_RESERVED = {"tb", "stimulus_gen", "RefModule"}


def _sys_names(code: str) -> set[str]:
    return set(_SYS.findall(blank_comments_and_strings(code)))


@lru_cache(maxsize=512)
def _problem_ok(test: str, ref: str) -> bool:
    if sorted(module_names(test)) != ["stimulus_gen", "tb"] or module_names(ref) != ["RefModule"]:
        return False
    if "`" in ref or not _sys_names(ref) <= _PURE_SYS:
        return False
    clean = blank_comments_and_strings(test)
    if not _sys_names(test) <= _TB_ALLOWED_SYS or re.search(r"\$u?random\s*\(", clean):
        return False
    if len(re.findall(r"\$display\b", test)) != len(re.findall(r'\$display\s*\("', test)):
        return False
    if re.search(r"`(?!timescale\b|define\b|[A-Za-z_]\w*)", test) or "hdlgen" in test:
        return False
    stim = next(s for s in module_spans(test) if s.name == "stimulus_gen")
    body = clean[stim.start:stim.end]
    inputs = re.findall(r"\binput\s+(?:wire\s+|logic\s+|reg\s+|bit\s+)?(?:signed\s+)?(?:\[[^\]]*\]\s*)?(\w+)", body)
    return all(name == "clk" or len(re.findall(rf"\b{re.escape(name)}\b", body)) == 1 for name in inputs)


def problem_batchable(problem: Problem) -> bool:
    """The v2 testbench allows shared runs: design-independent stimulus, tagged output, bare ``$random`` and
    ``$urandom``."""
    return problem.meta.get("suite") == "v2" and bool(problem.test and problem.ref) and \
        _problem_ok(problem.test or "", problem.ref or "")


def candidate_batchable(problem: Problem, code: str) -> bool:
    """No directives, no system tasks with effects, no module clashing with the testbench's, it parses
    (pyslang only routes here: a candidate it rejects is judged alone, by Icarus, as officially), and it passes
    the admission check (a candidate that instantiates ``RefModule`` or names another copy's ``tb_c1`` is
    judged alone, where the admission check rejects it)."""
    names = module_names(code)
    return ("`" not in code and problem.top in names and len(set(names)) == len(names)
            and not set(names) & _RESERVED and _sys_names(code) <= _PURE_SYS and "hdlgen" not in code
            and _parses(code) and admit(code, top=problem.top) is None)


def _parses(code: str) -> bool:
    """pyslang's opinion, in the bounded parse worker: a candidate that crashes or exhausts it is not batched
    (a 50,000-term expression segfaulted pyslang in process and took ``hdlgen eval`` down with it)."""
    try:
        return worker.call(check_source, code, "sample.sv").ok
    except worker.WorkerFailed:
        return False


def _rename(text: str, names: list[str], suffix: str) -> str:
    if not names:
        return text
    wanted = set(names)  # every word looked up: linear (an alternation of many names was not)
    if not all(n.isidentifier() for n in wanted):  # a name with `$` is not one \w+ run
        pat = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
        return pat.sub(lambda m: m.group(1) + suffix, text)
    return _WORD.sub(lambda m: m.group(0) + suffix if m.group(0) in wanted else m.group(0), text)


_WORD = re.compile(r"\b\w+\b")


def _test_copy(test: str, top: str, i: int) -> str:
    t = _rename(test, ["tb", "stimulus_gen", top], f"_c{i}")
    t = re.sub(r'\$display\s*\("', f'$display("[hdlgen:c{i}] ', t)
    t = re.sub(r"\$random\b", f"$random(tb_c{i}.hdlgen_seed)", t)
    t = re.sub(r"\$urandom\b", f"$urandom(tb_c{i}.hdlgen_useed)", t)  # not $urandom_range: no \b after m
    head = re.search(rf"\bmodule\s+tb_c{i}\b[^;]*;", t)
    assert head is not None
    return t[:head.end()] + "\n\tint hdlgen_seed;\n\tint hdlgen_useed;" + t[head.end():]


def judge_batch(problem: Problem, codes: list[str], *, limits: sandbox.Limits,
                lenient: bool = False) -> list[Verdict | None]:
    """Verdicts of ``codes`` (each already :func:`candidate_batchable`) from shared runs; None where a
    candidate must be judged alone (it broke the shared compile, or the run could not be attributed)."""
    result = _judge_batch(problem, codes, limits=limits, lenient=lenient)
    if not isinstance(result, set):
        return result if result is not None else [None] * len(codes)
    keep = [i for i in range(len(codes)) if i not in result]  # the compiler blamed only these: retry without
    rest = _judge_batch(problem, [codes[i] for i in keep], limits=limits, lenient=lenient) if len(keep) > 1 else None
    out: list[Verdict | None] = [None] * len(codes)
    if isinstance(rest, list):
        for i, v in zip(keep, rest):
            out[i] = v
    return out


def _judge_batch(problem: Problem, codes: list[str], *, limits: sandbox.Limits,
                 lenient: bool) -> list[Verdict] | set[int] | None:
    """One shared run: verdicts, or the set of candidates the compiler blamed, or None."""
    k = len(codes)
    start = time.perf_counter()
    with sandbox.Scratch() as scratch:
        files = []
        for i, code in enumerate(codes):
            (scratch / f"cand_{i}.sv").write_text(_rename(code, module_names(code), f"_c{i}"))
            files.append(f"cand_{i}.sv")
        for i in range(k):  # candidates first, as the official sample.sv: no testbench `timescale leaks in
            (scratch / f"test_{i}.sv").write_text(_test_copy(problem.test or "", problem.top, i))
            files.append(f"test_{i}.sv")
        (scratch / "ref.sv").write_text(problem.ref or "")
        files.append("ref.sv")
        comp = simulate.compile_sources(files, [f"tb_c{i}" for i in range(k)], scratch, limits, out="P")
        if not comp.ok:
            if comp.limit is not None:
                return None
            blamed = {int(m.group(2)) for ln in (comp.stdout + comp.stderr).splitlines()
                      if (m := _FILE.match(ln)) and "error" in ln}
            return blamed if blamed and len(blamed) < k else None
        clogs: list[list[str]] = [[] for _ in range(k)]
        for line in (comp.stdout + comp.stderr).splitlines():
            if not line.strip():
                continue
            if (m := _FILE.match(line)) and int(m.group(2)) < k:
                clogs[int(m.group(2))].append(line)
            elif line.startswith("ref.sv:"):
                for log in clogs:
                    log.append(line)
            else:
                return None
        run = simulate.run_vvp(scratch, limits, vvp_file="P", plusargs=("-none",))
        if not run.ok:
            return None
        slogs: list[list[str]] = [[] for _ in range(k)]
        for line in (run.stdout + run.stderr).splitlines():
            if not line.strip() or line.startswith("VCD info: "):  # the unread waveform; no rule matches it
                continue
            m = _TAG.match(line)
            if not m or int(m.group(1)) >= k:
                return None
            slogs[int(m.group(1))].append(m.group(2))
    out = []
    for i in range(k):
        j = ve.judge_v2("\n".join(clogs[i]), "\n".join(slogs[i]), compiled=True, lenient=lenient)
        if j.cls == "T":  # the testbench's own time cap: its race with other copies is not worth modelling
            return None
        out.append(ve.judgement_verdict(j, Stage.SIMULATE))
    share = (time.perf_counter() - start) / k
    return [v.with_(seconds=share) for v in out]
