"""The generate → verify → repair loop: escalation with a scripted backend, thinking budgets measured on a
real (tiny) model, and the CLI end to end (tiny model; a local OpenAI-compatible server with scripted replies)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from hdlgen.backends import make_backend
from hdlgen.backends.scripted import ScriptedBackend
from hdlgen.cli import cli
from hdlgen.generate import generate_verified, guess_top, problem_from_prompt
from hdlgen.reasoning.budget import generate_reasoned
from hdlgen.testing import tiny_test_model
from verilog_sim.problem import Problem

GOOD_INV = "module inv(input a, output y);\n  assign y = ~a;\nendmodule\n"
SYNTAX_BAD = "<think>\nan inverter\n</think>\n```verilog\nmodule inv(input a, output y);\n  assign y = ;\nendmodule\n```\n"


def fenced(code: str, think: str = "") -> str:
    return f"<think>\n{think}\n</think>\n```verilog\n{code}```\n"


@pytest.fixture(scope="module")
def mux4(repo):
    return Problem.from_dir(repo / "data" / "problems" / "mux4")


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    return tiny_test_model(tmp_path_factory.mktemp("tiny"))


def test_good_after_bad_escalates_depth_and_feeds_back_diagnostics(mux4, repo):
    ref = (repo / "data" / "problems" / "mux4" / "ref.v").read_text()
    wrong = ref.replace("2'd0: pick = d0", "2'd0: pick = d1")
    assert wrong != ref
    backend = ScriptedBackend(["I cannot help with that.", SYNTAX_BAD.replace("inv", "top"), fenced(wrong), fenced(ref)])
    result = generate_verified(mux4, backend, depth="none", attempts=4, think_budget=64)
    statuses = [a.verdict.status.value for a in result.attempts]
    assert statuses == ["no_code", "syntax_error", "fail", "pass"]
    assert [a.depth for a in result.attempts] == ["none", "standard", "decomposed", "decomposed"]
    assert result.passed and result.mode == "tests" and result.final.code.strip() == ref.strip()
    prompts = [c.messages[-1]["content"] for c in backend.calls if not c.prefix.endswith("```verilog\n")]
    repair2 = [c.messages[-1]["content"] for c in backend.calls][-1]
    assert "Attempt 3 was rejected" in repair2 and "1 of 1 tests failed" in repair2 and wrong.strip()[:40] in repair2
    syntax_feedback = [c.messages[-1]["content"] for c in backend.calls if "Attempt 2 was rejected" in c.messages[-1]["content"]]
    assert syntax_feedback and "candidate.v:2:" in syntax_feedback[0] and "syntax_error" in syntax_feedback[0]
    assert prompts  # think phases happened at standard/decomposed depth


def test_stops_at_first_pass_and_reports_every_attempt():
    backend = ScriptedBackend([fenced(GOOD_INV), fenced("garbage")])
    result = generate_verified(problem_from_prompt("An inverter, module named inv."), backend, attempts=3)
    assert result.passed and len(result.attempts) == 1 and result.mode == "compile-only"
    d = result.to_dict()
    a = d["attempts"][0]
    assert {"depth", "think_tokens", "answer_tokens", "status", "generate_seconds", "verify_seconds"} <= set(a)
    assert d["judgement"]["level"] == "easy" and a["depth"] == "none"


def test_all_attempts_fail_is_reported_as_failure():
    backend = ScriptedBackend([SYNTAX_BAD], cycle=True)
    result = generate_verified(problem_from_prompt("an inverter named inv"), backend, depth="standard", attempts=2)
    assert not result.passed and [a.depth for a in result.attempts] == ["standard", "decomposed"]
    assert all(a.verdict.status.value == "syntax_error" for a in result.attempts)


def test_bare_prompt_lint_error_rejects_and_is_fed_back():
    latch = fenced("module a(input x, output reg y);\nalways @* if (x) y = 1;\nendmodule\n")
    fixed = fenced("module a(input x, output reg y);\nalways @* y = x;\nendmodule\n")
    backend = ScriptedBackend([latch, fixed])
    result = generate_verified(problem_from_prompt("module named a: y follows x"), backend, depth="none", attempts=2)
    first, second = result.attempts
    assert first.verdict.status.value == "fail" and "latch" in first.verdict.message
    assert any(d.code == "latch" and d.line == 2 for d in first.verdict.diagnostics)
    assert "candidate.v:2:" in backend.calls[-1].messages[-1]["content"]
    assert second.verdict.passed and "lint" in second.verdict.message


def test_guess_top():
    assert guess_top("I would like you to implement a module named TopModule with") == "TopModule"
    assert guess_top("Write a Verilog module `top` that selects") == "top"
    assert guess_top("a counter with reset") is None


@pytest.mark.parametrize("depth,budget", [("standard", 8), ("decomposed", 12)])
def test_budget_is_enforced_while_decoding_on_a_real_model(tiny_path, depth, budget):
    backend = make_backend("transformers", model=str(tiny_path), device="cpu")
    msgs = [{"role": "user", "content": "Write a counter."}]
    replies = generate_reasoned(backend, msgs, depth, budget=budget, n=4, max_answer_tokens=8, temperature=1.0, seed=3)
    assert len(replies) == 4
    for r in replies:
        assert r.think_tokens <= budget  # measured by the model's own decoder
        assert r.text.startswith("<think>\n") and "\n</think>\n```verilog\n" in r.text and r.text.endswith("```\n")
        assert 1 <= r.answer_tokens <= 8
        if depth == "decomposed":
            assert r.think.startswith("Interface:") and "\nPlan:\n" in r.think or r.budget_hit
    assert any(r.budget_hit and r.think_tokens == budget for r in replies)  # a random model never closes </think>


def test_cli_with_tiny_model_fails_and_writes_only_with_keep_failed(tiny_path, tmp_path):
    out = tmp_path / "inv.v"
    args = ["generate", "an inverter, module named inv", "--model", str(tiny_path), "--attempts", "2",
            "--think-budget", "4", "--max-tokens", "16", "--seed", "1", "-o", str(out)]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1, r.output
    assert not out.exists() and "not written" in r.output
    assert "attempt 1: depth none" in r.output and "attempt 2: depth standard" in r.output
    assert "syntax, compilation and lint only" in r.output


class _Scripted(BaseHTTPRequestHandler):
    reply = ""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prefix = body["messages"][-1]["content"] if body["messages"][-1]["role"] == "assistant" else ""
        text = type(self).reply
        text = text[text.index("```verilog\n") + 11:] if prefix.endswith("```verilog\n") else text
        for s in body.get("stop") or []:
            text = text.split(s)[0]
        data = json.dumps({"choices": [{"message": {"content": text}, "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 5, "completion_tokens": len(text.split())}}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_cli_json_with_openai_server_writes_verified_design(tmp_path):
    _Scripted.reply = fenced(GOOD_INV)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "inv.v"
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        r = CliRunner().invoke(cli, ["generate", "an inverter, module named inv", "--base-url", url, "--model", "m",
                                     "--format", "json", "-o", str(out)])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["passed"] and doc["mode"] == "compile-only" and doc["output"] == str(out)
    assert doc["backend"]["backend"] == "openai" and doc["attempts"][0]["status"] == "pass"
    assert out.read_text() == GOOD_INV


def test_cli_keep_failed_writes_with_a_warning(tmp_path):
    _Scripted.reply = SYNTAX_BAD
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "inv.v"
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        base = ["generate", "an inverter, module named inv", "--base-url", url, "--model", "m", "--attempts", "1",
                "-o", str(out)]
        r = CliRunner().invoke(cli, base)
        assert r.exit_code == 1 and not out.exists()
        r = CliRunner().invoke(cli, base + ["--keep-failed"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert r.exit_code == 1 and "warning" in r.output and "syntax_error" in r.output
    assert "assign y = ;" in out.read_text()


def test_cli_usage_errors_exit_2():
    assert CliRunner().invoke(cli, ["generate"]).exit_code == 2
    r = CliRunner().invoke(cli, ["generate", "x", "--base-url", "http://127.0.0.1:9/v1", "--backend", "transformers"])
    assert r.exit_code == 2
