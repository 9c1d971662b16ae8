"""The reward server under hostile requests: each is answered (a reward of 0, or a 400 naming the problem's
fault) within a bound, and ``GET /health`` keeps answering within 1 s while it is being judged (before, a
parser segfault killed the server and a parse or a pattern held the GIL for 30 s)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from reward_fixtures import CODE, GOOD, PROBLEM

from hdlgen.rewards import build_weighted
from hdlgen.serve.reward_server import RewardService, make_server
from verilog_sim.problem import Problem
from verilog_sim.sandbox import worker

from .test_parse_containment import SEGFAULT, instance_tree

SEGFAULT_ANDGATE = SEGFAULT.replace("TopModule", "andgate").replace("input [7:0] a, output [7:0] y", "input a, b, output y")
TREE = instance_tree(26).replace("TopModule", "andgate").replace("input [7:0] a, output [7:0] y",
                                                                 "input a, b, output y")


@pytest.fixture()
def server():
    service = RewardService(build_weighted({"verify": {"timeout": 5}, "functional": {"weight": 1.0},
                                            "format": {"weight": 0.2}}),
                            {"andgate": Problem.from_dict(PROBLEM)})
    srv = make_server(service, "127.0.0.1", 0, max_bytes=16 * 2**20)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()
    worker.shutdown()


def post(url: str, body: object, timeout: float = 120) -> tuple[int, dict]:
    req = urllib.request.Request(url + "/get_reward", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def health_latencies(url: str, stop: threading.Event) -> list[float]:
    out: list[float] = []
    while not stop.is_set():
        t0 = time.perf_counter()
        with urllib.request.urlopen(url + "/health", timeout=10) as r:
            assert json.loads(r.read()) == {"status": "ok"}
        out.append(time.perf_counter() - t0)
        time.sleep(0.05)
    return out


def under_attack(url: str, body: object) -> tuple[int, dict, float, list[float]]:
    stop = threading.Event()
    box: list[list[float]] = []
    probe = threading.Thread(target=lambda: box.append(health_latencies(url, stop)))
    probe.start()
    t0 = time.perf_counter()
    try:
        status, out = post(url, body)
    finally:
        seconds = time.perf_counter() - t0
        stop.set()
        probe.join()
    return status, out, seconds, box[0]


def fenced(code: str) -> str:
    return f"<think>x</think>\n```verilog\n{code}```\n"


ATTACKS = {
    "parser_segfault": ([fenced(SEGFAULT_ANDGATE)], ["andgate"]),
    "instance_tree": ([fenced(TREE)], ["andgate"]),
    "include_dev_zero": ([fenced('`include "/dev/zero"\n' + CODE)], ["andgate"]),
    "include_outside_file": ([fenced('`include "/etc/passwd"\n' + CODE)], ["andgate"]),
    "quadratic_strings": (['"\\' * 2_000_000], ["andgate"]),
    "unclosed_fences": (["```x\n" * 400_000], ["andgate"]),
    # the label's pattern and the design's output together: 2**40 steps for Python's re (it froze a server)
    "redos_label": ([fenced(CODE.replace("endmodule", 'initial $display("' + "a" * 40 + '!");\nendmodule'))],
                    [json.dumps({**PROBLEM, "task_id": "redos", "fail_regex": r"(a+)+$", "pass_regex": r"^(a+)+$"})]),
}


# two in the default run (a crash and a pattern); every attack with -m slow (each holds the server ~1-5 s)
@pytest.mark.parametrize("name", [n if n in ("parser_segfault", "redos_label") else pytest.param(n, marks=pytest.mark.slow)
                                  for n in ATTACKS])
def test_attack_is_answered_and_health_stays_responsive(server, name):
    queries, labels = ATTACKS[name]
    status, out, seconds, health = under_attack(server, {"query": queries, "prompts": [""] * len(queries),
                                                        "labels": labels})
    assert status == 200, out
    assert out["rewards"][0] <= 0.2  # at most the format component: never a functional pass
    assert seconds < 40, f"{name} took {seconds:.1f} s"
    assert health and max(health) < 1.0, f"/health took {max(health):.2f} s during {name}"
    ok_status, ok = post(server, {"query": [GOOD], "prompts": [""], "labels": ["andgate"]})
    assert ok_status == 200 and ok["rewards"][0] > 1.0  # the server still judges honest requests


def test_problem_whose_extra_file_replaces_the_design_is_refused(server):
    label = json.dumps({**PROBLEM, "task_id": "swap", "extra_files": {"candidate.v": CODE}})
    status, out = post(server, {"query": [GOOD.replace("a & b", "a | b")], "prompts": [""], "labels": [label]})
    assert status == 400 and "candidate.v" in out["error"] and "clashes" in out["error"]
