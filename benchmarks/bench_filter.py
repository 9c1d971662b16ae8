#!/usr/bin/env python3
"""Throughput and memory of ``hdlgen filter`` on the synthetic dataset (scripts/synth_dataset.py).

For each stage mix (syntax+dedup; +compile; +differential simulation) and worker count, one filter run in a
fresh process: rows/s over the whole run (process start excluded) and the peak RSS of the largest process of
the run (driver or worker), and rows per CPU-second of the whole process tree (startup included), which a
busy machine disturbs far less than wall time: on an idle 2-core machine, 2 x rows/CPU-s bounds the
wall-clock rate from above. A second part runs the cheap mix on growing inputs to show that memory stays flat
except for the dedup index. The machine is shared: the load average is printed with the figures.

    python benchmarks/bench_filter.py                       # default sizes
    python benchmarks/bench_filter.py --rows 5000 --heavy-rows 1000 --scale 25000,50000,100000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIXES = {
    "syntax+dedup": ["--no-compile"],
    "+compile": [],
    "+differential": ["--functional"],
}
_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from hdlgen.filter import FilterConfig, Paths, run_filter
src, out, workers, mix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cfg = {"syntax+dedup": dict(compile=False), "+compile": {}, "+differential": dict(functional=True),
       "extract+dedup": dict(compile=False, syntax=False)}[mix]
t = time.perf_counter()
rep = run_filter(Paths(Path(src), Path(out)), FilterConfig(**cfg), workers=workers)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rep["rows"], "kept": rep["kept"],
                  "driver_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "reasons": rep["rejected_by_reason"], "timings": rep["timings_s"]}))
"""


def run_one(src: Path, mix: str, workers: int, tmp: Path) -> dict:
    out = tmp / f"out-{mix}-{workers}.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(src), str(out), str(workers), mix],
                            stdout=subprocess.PIPE, text=True, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{mix} with {workers} workers failed")
    res = json.loads(stdout.strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime  # the whole tree: driver, workers, Icarus/cocotb children
    res.update(mix=mix, workers=workers, rows_per_s=round(res["rows"] / res["seconds"], 1),
               peak_rss_mb=round(usage.ru_maxrss / 1024, 1), driver_rss_mb=round(res["driver_rss_mb"], 1),
               cpu_s=round(cpu, 2), rows_per_cpu_s=round(res["rows"] / cpu, 1) if cpu else None)
    return res


def synth(rows: int, tmp: Path) -> Path:
    path = tmp / f"synth-{rows}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(REPO / "scripts" / "synth_dataset.py"), "-n", str(rows), "-o", str(path)],
                       check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5000, help="rows for the syntax+dedup mix")
    ap.add_argument("--heavy-rows", type=int, default=1000, help="rows for the compile and differential mixes")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--mixes", default=",".join(MIXES))
    ap.add_argument("--scale", default="25000,50000,100000", help="row counts for the memory-growth runs ('' = skip)")
    ap.add_argument("--json", help="also write all results here")
    args = ap.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    results: dict = {"load_before": os.getloadavg(), "cpus": os.cpu_count(), "runs": [], "scale": []}
    with tempfile.TemporaryDirectory(prefix="bench-filter-") as d:
        tmp = Path(d)
        for mix in args.mixes.split(","):
            src = synth(args.rows if mix == "syntax+dedup" else args.heavy_rows, tmp)
            for w in workers:
                r = run_one(src, mix, w, tmp)
                r["load"] = os.getloadavg()[0]
                results["runs"].append(r)
                print(f"{mix:<14} workers={w}  {r['rows']:>6} rows  {r['rows_per_s']:>8.1f} rows/s  "
                      f"{r['rows_per_cpu_s']:>7.1f} rows per CPU-s  peak RSS {r['peak_rss_mb']:.0f} MB  "
                      f"(load {r['load']:.1f})", flush=True)
            by_w = {r["workers"]: r["rows_per_s"] for r in results["runs"] if r["mix"] == mix}
            if 1 in by_w and 2 in by_w:
                print(f"{'':<14} speed-up 1 -> 2 workers: {by_w[2] / by_w[1]:.2f}x", flush=True)
        for n in [int(x) for x in args.scale.split(",") if x]:
            r = run_one(synth(n, tmp), "syntax+dedup", max(workers), tmp)
            r["load"] = os.getloadavg()[0]
            results["scale"].append(r)
            print(f"scale {n:>7} rows (syntax+dedup, {max(workers)} workers): peak RSS {r['peak_rss_mb']:.0f} MB, "
                  f"driver {r['driver_rss_mb']:.0f} MB, {r['rows_per_s']:.0f} rows/s (load {r['load']:.1f})", flush=True)
    results["load_after"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
