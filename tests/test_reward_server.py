"""The reward server over real HTTP: OpenRLHF's protocol, bounded bodies, isolated concurrent requests."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from reward_fixtures import GOOD, NO_CODE, PROBLEM, WRONG

from hdlgen.rewards import build_weighted
from hdlgen.serve.reward_server import RewardService, make_server
from verilog_sim.problem import Problem

# A second problem whose designs differ from the AND gate's: an inverter with the same kind of testbench.
INV_TB = PROBLEM["test"].replace("andgate dut(.a(a), .b(b), .y(y));", "inv dut(.a(a), .y(y));").replace(
    "(a & b)", "(~a)")
INV = {**PROBLEM, "task_id": "inv", "top": "inv", "test": INV_TB}
INV_GOOD = "<think>invert</think>\n```verilog\nmodule inv(input a, output y);\n  assign y = ~a;\nendmodule\n```"


@pytest.fixture()
def server():
    service = RewardService(build_weighted({"functional": {"weight": 1.0}}),
                            {"andgate": Problem.from_dict(PROBLEM)})
    srv = make_server(service, "127.0.0.1", 0, max_bytes=64 * 1024)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def post(url: str, body: object, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/get_reward", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def test_openrlhf_protocol_with_task_id_and_json_labels(server):
    prompt = "<|im_start|>user\nMake an AND gate<|im_end|>\n<|im_start|>assistant\n"
    status, out = post(server, {"query": [prompt + GOOD, prompt + WRONG, prompt + NO_CODE, INV_GOOD],
                                "prompts": [prompt, prompt, prompt, "x"],
                                "labels": ["andgate", json.dumps(PROBLEM), "andgate", json.dumps(INV)]})
    assert status == 200
    assert out["rewards"] == [1.0, 0.0, 0.0, 1.0]
    assert out["extra_logs"]["functional"] == [1.0, 0.0, 0.0, 1.0]


def test_bad_requests_get_a_clear_error(server):
    status, out = post(server, {"query": ["a", "b"], "prompts": ["a"], "labels": ["andgate"]})
    assert status == 400 and "same length" in out["error"]
    status, out = post(server, {"query": ["a"], "prompts": ["a"], "labels": ["nosuchtask"]})
    assert status == 400 and "labels[0]" in out["error"]
    status, out = post(server, None, raw=b"{not json")
    assert status == 400 and "invalid JSON" in out["error"]


def test_request_size_is_bounded(server):
    big = {"query": ["x" * (100 * 1024)], "prompts": [""], "labels": ["andgate"]}
    status, out = post(server, big)
    assert status == 413 and "exceeds the limit" in out["error"]


def test_concurrent_requests_do_not_mix(server):
    from hdlgen.rewards import shared_cache

    shared_cache().clear()  # make every request really simulate
    jobs = [([GOOD], ["andgate"], [1.0]), ([WRONG], ["andgate"], [0.0]),
            ([INV_GOOD], [json.dumps(INV)], [1.0]), ([GOOD.replace("andgate", "inv")], [json.dumps(INV)], [0.0])] * 2
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda j: post(server, {"query": j[0], "prompts": [""], "labels": j[1]}), jobs))
    assert [r[1]["rewards"] for r in results] == [j[2] for j in jobs]


def test_health(server):
    with urllib.request.urlopen(server + "/health", timeout=10) as r:
        assert json.loads(r.read()) == {"status": "ok"}


def test_cli_refuses_a_bad_config(tmp_path):
    from hdlgen.cli import main

    bad = tmp_path / "r.yaml"
    bad.write_text("rewards: {speed: {weight: 1}}\n")
    assert main(["serve-reward", "--config", str(bad)]) == 2


def test_cli_serves_on_loopback(repo, tmp_path):
    import re
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "from hdlgen.cli import main; raise SystemExit(main())",
                             "serve-reward", "--port", "0", "--problems", str(repo / "data" / "problems")],
                            stderr=subprocess.PIPE, text=True, cwd=repo)
    try:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/get_reward", line)
        assert m, line
        url = f"http://127.0.0.1:{m.group(1)}"
        ref = (repo / "data" / "problems" / "mux4" / "ref.v").read_text()
        status, out = post(url, {"query": [f"<think>mux</think>\n```verilog\n{ref}```"], "prompts": [""],
                                 "labels": ["mux4"]})
        assert status == 200 and out["rewards"][0] == pytest.approx(1.4)  # default weights, all components max
    finally:
        proc.terminate()
        proc.wait(timeout=30)
