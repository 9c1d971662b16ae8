"""How fast is ``hdlgen check``? Files per second on VerilogEval-sized files, and start-up of ``check --help``.

Every figure comes with a baseline measured in the same run (medians of repeats), so ratios survive a busy
machine: raw pyslang parsing (the floor of our cost), pyverilog's own ``parse()`` (what a naive caller gets),
pyverilog with our parser built once, and ``iverilog -g2012`` per file in the sandbox; for start-up,
``python -c pass`` and ``python -c 'import click'``.

    .venv/bin/python benchmarks/bench_check.py            # table
    .venv/bin/python benchmarks/bench_check.py --json     # one JSON document
Goals (issue 2): check >= 2000 files/s; ``hdlgen check --help`` < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from verilog_sim.verilog_eval.rules import benchmarks_dir  # noqa: E402


def load_sources(root: Path) -> list[str]:
    """The 611 VerilogEval references (v1: header + body; v2: ref), the size of files check sees in RL."""
    out = []
    for name in ("human", "machine"):
        for line in (root / "verilog-eval-v1" / f"{name}.jsonl").read_text().splitlines():
            r = json.loads(line)
            out.append(r["prompt"] + r["canonical_solution"])
    for name in ("spec-to-rtl", "code-complete-iccad2023"):
        for line in (root / "verilog-eval-v2" / f"{name}.jsonl").read_text().splitlines():
            out.append(json.loads(line)["ref"])
    return out


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of this process (CPU time suffers less on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def throughput(srcs: Sequence[str], paths: Sequence[Path], repeats: int, iverilog_n: int,
               pyverilog_n: int) -> list[dict]:
    import pyslang
    from pyslang import syntax

    from verilog_sim import sandbox
    from verilog_sim.frontend.pyverilog import verilog2001_errors
    from verilog_sim.frontend.syntax import check_files, check_source

    check_source(srcs[0])  # warm imports
    verilog2001_errors(srcs[0], "w.v")  # builds pyverilog's parser once (not timed)
    rows = []

    def row(name: str, n: int, times: tuple[float, float] | float, note: str) -> None:
        seconds, cpu = times if isinstance(times, tuple) else (times, None)
        rows.append({"name": name, "files": n, "seconds": seconds, "files_per_s": n / seconds,
                     "cpu_files_per_s": n / cpu if cpu else None, "note": note})

    row("check_source (in process)", len(srcs), median_time(lambda: [check_source(s) for s in srcs], repeats),
        "parse + elaboration whitelist, auto std")
    row("check_file (reads files)", len(paths), median_time(lambda: [check_files([p]) for p in paths], repeats),
        "one file at a time")
    row("check_files (one design)", len(paths), median_time(lambda: check_files(paths), repeats),
        "all files in one call, as `hdlgen check *.v`")
    row("baseline: pyslang parse only", len(srcs),
        median_time(lambda: [syntax.SyntaxTree.fromText(s, pyslang.SourceManager(), "d.v") for s in srcs], repeats),
        "floor of our cost (no elaboration, no diagnostics)")
    row("check_source --std verilog2001", len(srcs),
        median_time(lambda: [check_source(s, std="verilog2001") for s in srcs], 1),
        "adds pyverilog (parser built once)")
    sub = srcs[:iverilog_n]

    def iverilog_all() -> None:
        for s in sub:
            with sandbox.Scratch() as scratch:
                (scratch / "d.sv").write_text(s)
                sandbox.run(["iverilog", "-g2012", "-o", "a.vvp", "d.sv"], scratch, limits=sandbox.Limits(wall_s=30))

    row("baseline: iverilog -g2012 (sandbox)", len(sub), median_time(iverilog_all, 1)[0], "one process per file")
    row("baseline: pyverilog parse()", pyverilog_n, _pyverilog_default(paths[:pyverilog_n]),
        "rebuilds its parser per call, preprocesses with iverilog -E")
    return rows


def _pyverilog_default(paths: Sequence[Path]) -> float:
    """pyverilog's public ``parse()`` as documented, in a throwaway cwd (it writes parser tables there)."""
    code = ("import sys, time\nfrom pyverilog.vparser.parser import parse\nt = time.perf_counter()\n"
            "for p in sys.argv[1:]:\n    try:\n        parse([p])\n    except Exception:\n        pass\n"
            "print(time.perf_counter() - t)\n")
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run([sys.executable, "-c", code, *map(str, paths)], cwd=cwd, capture_output=True,
                             text=True, timeout=600).stdout
    return float(out.strip().splitlines()[-1])


def startup(repeats: int, sample: Path, all_files: Sequence[Path]) -> list[dict]:
    hdlgen = [sys.executable, "-c", "import sys; from hdlgen.cli import main; sys.exit(main(sys.argv[1:]))"]
    exe = Path(sys.executable).with_name("hdlgen")
    if exe.exists():
        hdlgen = [str(exe)]
    cases = [
        ("baseline: python -c pass", [sys.executable, "-c", "pass"]),
        ("baseline: python -c 'import click'", [sys.executable, "-c", "import click"]),
        ("hdlgen check --help", [*hdlgen, "check", "--help"]),
        ("hdlgen check ONE_FILE.sv", [*hdlgen, "check", str(sample)]),
        (f"hdlgen check ALL_{len(all_files)}.sv", [*hdlgen, "check", *map(str, all_files)]),
    ]
    rows = []
    for name, argv in cases:
        subprocess.run(argv, capture_output=True, timeout=120)  # warm the page cache
        wall, cpu = [], []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(argv, capture_output=True, timeout=120)
            wall.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        rows.append({"name": name, "ms": statistics.median(wall) * 1000, "cpu_ms": statistics.median(cpu) * 1000})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--benchmarks", type=Path,
                    default=benchmarks_dir())
    ap.add_argument("--repeats", type=int, default=5, help="repeats per measurement (median reported)")
    ap.add_argument("--iverilog-files", type=int, default=100, help="files for the iverilog baseline")
    ap.add_argument("--pyverilog-files", type=int, default=3, help="files for the pyverilog parse() baseline")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = ap.parse_args(argv)
    srcs = load_sources(args.benchmarks)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, s in enumerate(srcs):
            p = Path(d) / f"ref{i:03d}.sv"
            p.write_text(s)
            paths.append(p)
        tp = throughput(srcs, paths, args.repeats, args.iverilog_files, args.pyverilog_files)
        st = startup(max(args.repeats * 2, 5), paths[0], paths)
    result = {
        "files": len(srcs), "mean_bytes": round(sum(map(len, srcs)) / len(srcs)), "repeats": args.repeats,
        "loadavg_before": load_before, "loadavg_after": os.getloadavg(), "cpus": os.cpu_count(),
        "throughput": tp, "startup": st,
    }
    check = tp[0]["files_per_s"]
    result["ratios"] = {
        "check_vs_pyslang_parse_only": tp[0]["seconds"] / tp[0]["files"] / (tp[3]["seconds"] / tp[3]["files"]),
        "check_speedup_vs_iverilog": check / tp[5]["files_per_s"],
        "check_speedup_vs_pyverilog_parse": check / tp[6]["files_per_s"],
        "help_minus_python_ms": st[2]["ms"] - st[0]["ms"],
        "help_cpu_minus_python_cpu_ms": st[2]["cpu_ms"] - st[0]["cpu_ms"],
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{len(srcs)} VerilogEval references, mean {result['mean_bytes']} bytes; load average "
          f"{load_before[0]:.2f} before, {result['loadavg_after'][0]:.2f} after; {os.cpu_count()} CPUs")
    print(f"\n{'throughput (median of repeats)':40} {'files':>6} {'seconds':>9} {'files/s':>10} {'per CPU s':>10}  note")
    for r in tp:
        per_cpu = f"{r['cpu_files_per_s']:>10.1f}" if r["cpu_files_per_s"] else f"{'-':>10}"
        print(f"{r['name']:40} {r['files']:>6} {r['seconds']:>9.3f} {r['files_per_s']:>10.1f} {per_cpu}  {r['note']}")
    print(f"\n{'start-up (median of repeats)':40} {'wall ms':>8} {'CPU ms':>8}")
    for r in st:
        print(f"{r['name']:40} {r['ms']:>8.1f} {r['cpu_ms']:>8.1f}")
    ratios = result["ratios"]
    print(f"\ncheck costs {ratios['check_vs_pyslang_parse_only']:.2f}x a bare pyslang parse; "
          f"{ratios['check_speedup_vs_iverilog']:.0f}x faster than iverilog per file; "
          f"{ratios['check_speedup_vs_pyverilog_parse']:.0f}x faster than pyverilog parse(); "
          f"check --help adds {ratios['help_minus_python_ms']:.0f} ms wall "
          f"({ratios['help_cpu_minus_python_cpu_ms']:.0f} ms CPU) to a bare python start")
    print(f"goals: >= 2000 files/s: {'met' if check >= 2000 else 'NOT met'} ({check:.0f} wall, "
          f"{tp[0]['cpu_files_per_s']:.0f} per CPU second); "
          f"check --help < 300 ms: {'met' if st[2]['ms'] < 300 else 'NOT met'} ({st[2]['ms']:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
