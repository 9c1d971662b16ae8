"""What containment costs and what it holds: per-run cost of the sandbox layers, per-candidate cost of parsing in
the bounded worker, and ``serve-reward`` under a mixed load where 10% of the requests are hostile.

    .venv/bin/python benchmarks/bench_containment.py                 # all three, a table
    .venv/bin/python benchmarks/bench_containment.py --only load --connections 16 --seconds 45 --json out.json

* ``layers``: median wall time of one ``sandbox.run`` of ``true`` and of an ``iverilog`` compile of a small
  design, under bubblewrap (the default where it works), Landlock only (``HDLGEN_NO_BWRAP=1``) and with no
  isolation (``isolate=False``), measured in this one run.
* ``parse``: median time of extract + syntax check of a typical candidate, in this process (the old way)
  and through :mod:`verilog_sim.sandbox.worker` (one round trip per stage).
* ``load``: a reward server (a subprocess, loopback only) answers ``--connections`` concurrent clients for
  ``--seconds``; every tenth request is one of the hostile inputs of tests/adversarial (parser segfault,
  instance tree, includes of /dev/zero and /etc/passwd, quadratic text, a ReDoS label). Reported: honest
  requests sent/answered (all must be), their p50/p95 latency, hostile requests answered, and the slowest
  ``/health`` seen by a prober polling every 100 ms. Bounds: at most 50 connections and 60 s.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DESIGN = "module andgate(input a, input b, output y);\n  assign y = a & b;\nendmodule\n"
TB = """module tb;
  reg a, b; wire y; integer i, errs;
  andgate dut(.a(a), .b(b), .y(y));
  initial begin
    errs = 0;
    for (i = 0; i < 4; i = i + 1) begin {a, b} = i; #1; if (y !== (a & b)) errs = errs + 1; end
    $display("Mismatches: %0d in %0d samples", errs, 4);
    $finish;
  end
endmodule
"""
PROBLEM = {"task_id": "andgate", "top": "andgate", "test": TB, "test_kind": "verilog", "test_top": "tb"}
CANDIDATE = ("<think>y is a AND b</think>\n```verilog\nmodule andgate(input a, input b, output y);\n"
             "  wire t;\n  assign t = a & b;\n  assign y = t;\nendmodule\n```\n")


def _median_time(fn, repeats: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_layers(repeats: int) -> dict:
    from verilog_sim import sandbox

    out: dict[str, dict[str, float]] = {}
    with sandbox.Scratch() as s:
        (s / "d.v").write_text(DESIGN)
        cases = {"true": ["true"], "iverilog": ["iverilog", "-g2012", "-o", "d.vvp", "d.v"]}
        for layer in ("bwrap", "landlock", "none"):
            env_before = os.environ.pop("HDLGEN_NO_BWRAP", None)
            if layer != "bwrap":
                os.environ["HDLGEN_NO_BWRAP"] = "1"
            try:
                row = {}
                for name, argv in cases.items():
                    r = sandbox.run(argv, s, isolate=layer != "none")
                    assert r.ok, (layer, name, r.stderr)
                    iso = layer != "none"
                    row[name + "_ms"] = 1000 * _median_time(lambda a=argv, i=iso: sandbox.run(a, s, isolate=i), repeats)
                row["isolation"] = r.isolation
                out[layer] = row
            finally:
                os.environ.pop("HDLGEN_NO_BWRAP", None)
                if env_before is not None:
                    os.environ["HDLGEN_NO_BWRAP"] = env_before
    return out


def bench_parse(repeats: int) -> dict:
    from verilog_sim.frontend.syntax import check_source
    from verilog_sim.sandbox import worker
    from verilog_sim.source.extract import extract_verilog

    def inproc() -> None:
        check_source(extract_verilog(CANDIDATE, "andgate"), "candidate.v", "auto")

    def bounded() -> None:
        code = worker.call(extract_verilog, CANDIDATE, "andgate")
        worker.call(check_source, code, "candidate.v", "auto")

    inproc()
    bounded()
    n = 50
    a = _median_time(lambda: [inproc() for _ in range(n)], repeats) / n
    b = _median_time(lambda: [bounded() for _ in range(n)], repeats) / n
    worker.shutdown()
    return {"in_process_ms": 1000 * a, "worker_ms": 1000 * b, "overhead_ms": 1000 * (b - a)}


def _hostile() -> list[tuple[str, str]]:
    """(query, label) pairs: the hostile inputs of tests/adversarial."""
    segv = ("module andgate(input a, b, output y); assign y = " + " + ".join(["a"] * 50_000) + "; endmodule\n")
    tree = ("module andgate(input a, b, output y); assign y = a & b; endmodule\n"
            "module node #(parameter N = 0, parameter K = 0) ();\n  generate if (N > 0) begin : g\n"
            "    node #(.N(N - 1), .K(2 * K)) l();\n    node #(.N(N - 1), .K(2 * K + 1)) r();\n"
            "  end endgenerate\nendmodule\nmodule top2();\n  node #(.N(26)) root();\nendmodule\n")

    def fence(code: str) -> str:
        return f"<think>x</think>\n```verilog\n{code}```\n"

    plain = DESIGN
    redos = json.dumps({**PROBLEM, "task_id": "redos", "pass_regex": r"^(a+)+$", "fail_regex": r"(x+x+)+y"})
    return [(fence(segv), "andgate"), (fence(tree), "andgate"), (fence('`include "/dev/zero"\n' + plain), "andgate"),
            (fence('`include "/etc/passwd"\n' + plain), "andgate"), ('"\\' * 1_000_000, "andgate"),
            ("```x\n" * 200_000, "andgate"), (CANDIDATE, redos)]


def _post(url: str, query: str, label: str, timeout: float = 120) -> tuple[int, float]:
    body = json.dumps({"query": [query], "prompts": [""], "labels": [label]}).encode()
    req = urllib.request.Request(url + "/get_reward", data=body, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = -1
    return status, time.perf_counter() - t0


def bench_load(connections: int, seconds: float, hostile_every: int) -> dict:
    connections = max(1, min(50, connections))
    seconds = max(1.0, min(60.0, seconds))
    with tempfile.TemporaryDirectory() as tmp:
        problems = Path(tmp) / "problems.jsonl"
        problems.write_text(json.dumps(PROBLEM) + "\n")
        config = Path(tmp) / "rewards.yaml"
        config.write_text("rewards:\n  verify: {timeout: 5}\n  functional: {weight: 1.0}\n  format: {weight: 0.2}\n")
        server = subprocess.Popen(
            [sys.executable, "-c", "import sys; from hdlgen.cli import main; sys.exit(main())", "serve-reward",
             "--host", "127.0.0.1", "--port", "0", "--problems", str(problems), "--config", str(config),
             "--max-concurrent", "4"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)})
        try:
            url = _await_url(server)
            stop = threading.Event()
            health: list[float] = []

            def probe() -> None:
                while not stop.is_set():
                    t0 = time.perf_counter()
                    try:
                        with urllib.request.urlopen(url + "/health", timeout=10) as r:
                            r.read()
                        health.append(time.perf_counter() - t0)
                    except OSError:
                        health.append(float("inf"))
                    time.sleep(0.1)

            hostile = _hostile()
            counter = itertools.count()
            honest: list[tuple[int, float]] = []
            bad: list[tuple[int, float]] = []
            lock = threading.Lock()
            end = time.monotonic() + seconds

            def client() -> None:
                while time.monotonic() < end:
                    k = next(counter)
                    if k % hostile_every == hostile_every - 1:
                        q, lab = hostile[(k // hostile_every) % len(hostile)]
                        res = _post(url, q, lab)
                        with lock:
                            bad.append(res)
                    else:
                        res = _post(url, CANDIDATE.replace("wire t;", f"wire t; // {k}"), "andgate")
                        with lock:
                            honest.append(res)

            prober = threading.Thread(target=probe, daemon=True)
            prober.start()
            t0 = time.monotonic()
            with ThreadPoolExecutor(connections) as pool:
                for f in [pool.submit(client) for _ in range(connections)]:
                    f.result()
            wall = time.monotonic() - t0
            stop.set()
            prober.join()
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    lat = sorted(s for code, s in honest if code == 200)
    q = statistics.quantiles(lat, n=20) if len(lat) >= 2 else lat * 19
    return {"connections": connections, "seconds": round(wall, 1), "hostile_share": 1 / hostile_every,
            "honest_sent": len(honest), "honest_answered_200": len(lat),
            "honest_p50_s": statistics.median(lat) if lat else None, "honest_p95_s": q[18] if lat else None,
            "honest_per_s": len(lat) / wall if wall else 0.0,
            "hostile_sent": len(bad), "hostile_answered": sum(1 for code, _ in bad if code in (200, 400)),
            "hostile_max_s": max((s for _, s in bad), default=None),
            "health_polls": len(health), "health_max_s": max(health, default=None)}


def _await_url(server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    assert server.stdout is not None
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        if "http://" in line:
            url = line[line.index("http://"):].split()[0].rstrip("/.,")
            for suffix in ("/get_reward",):
                url = url.removesuffix(suffix)
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # type: ignore[union-attr]
            return url
    raise RuntimeError("the reward server did not say where it listens")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["layers", "parse", "load"], action="append")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--connections", type=int, default=16, help="concurrent clients (at most 50)")
    ap.add_argument("--seconds", type=float, default=45.0, help="load duration (at most 60)")
    ap.add_argument("--hostile-every", type=int, default=10, help="every Nth request is hostile (10 = 10%%)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    parts = args.only or ["layers", "parse", "load"]
    out: dict[str, object] = {}
    if "layers" in parts:
        out["layers"] = bench_layers(args.repeats)
        print("layers:", json.dumps(out["layers"]), flush=True)
    if "parse" in parts:
        out["parse"] = bench_parse(max(3, args.repeats // 3))
        print("parse:", json.dumps(out["parse"]), flush=True)
    if "load" in parts:
        out["load"] = bench_load(args.connections, args.seconds, args.hostile_every)
        print("load:", json.dumps(out["load"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
