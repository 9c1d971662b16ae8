"""Backends: real generation through transformers on a tiny model built here; the OpenAI-compatible backend
against a small HTTP server started by the test; model resolution and offline failure."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hdlgen.backends import BackendError, Prompt, make_backend
from hdlgen.backends.openai import OpenAIBackend, normalize_base_url
from hdlgen.models import DEFAULT_MODEL, ModelLoadError, default_model_name, resolve_model
from hdlgen.testing import tiny_test_model


@pytest.fixture(scope="module")
def tiny_backend(tmp_path_factory):
    path = tiny_test_model(tmp_path_factory.mktemp("tiny"))
    return make_backend("transformers", model=str(path), device="cpu")


def test_transformers_generates_n_samples_per_prompt(tiny_backend):
    out = tiny_backend.generate(["write a module", [{"role": "user", "content": "an inverter"}]], n=3,
                                max_tokens=12, temperature=1.0, seed=0)
    assert [len(row) for row in out] == [3, 3]
    for row in out:
        for c in row:
            assert 1 <= c.tokens <= 12 and c.prompt_tokens > 0
            assert c.finish_reason in ("stop", "length")
            if c.finish_reason == "length":
                assert c.tokens == 12


def test_transformers_prefix_continues_the_reply(tiny_backend):
    plain = tiny_backend.render(Prompt.of("hi"))
    assert plain.endswith("<|im_start|>assistant\n")
    assert tiny_backend.render(Prompt.of("hi", prefix="<think>\n")) == plain + "<think>\n"


def test_transformers_greedy_is_repeatable_and_stop_strings_cut(tiny_backend):
    a = tiny_backend.generate(["x"], n=2, max_tokens=10, temperature=0)[0]
    assert a[0].text == a[1].text
    full = a[0].text
    if len(full) > 3:
        stop = full[2:4]
        cut = tiny_backend.generate(["x"], max_tokens=10, temperature=0, stop=[stop])[0][0]
        assert stop not in cut.text and full.startswith(cut.text) and cut.stop == stop


class _FakeOpenAI(BaseHTTPRequestHandler):
    bodies: list[dict] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, obj, code=200):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/v1/models":
            self._send({"object": "list", "data": [{"id": "fake-verilog-7b", "object": "model"}]})
        else:
            self._send({"error": "not found"}, 404)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(body)
        if body.get("model") == "broken":
            self._send({"error": {"message": "model broken not found"}}, 404)
            return
        words = [f"w{i}" for i in range(50)]
        if body["messages"][-1]["role"] == "assistant":
            words = ["continued"] + words
        n = min(body["max_tokens"], len(words))
        text = " ".join(words[:n])
        finish = "length" if n == body["max_tokens"] else "stop"
        for s in body.get("stop") or []:
            if s in text:
                text, finish = text[:text.index(s)], "stop"
        self._send({"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": finish}],
                    "usage": {"prompt_tokens": 7, "completion_tokens": n, "total_tokens": 7 + n}})


@pytest.fixture()
def server():
    _FakeOpenAI.bodies = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_openai_backend_against_a_local_server(server):
    b = make_backend("openai", base_url=server)
    assert b.model == "fake-verilog-7b" and b.base_url.endswith("/v1")
    out = b.generate(["spec one", "spec two"], n=2, max_tokens=5, temperature=0.5, stop=["w3"], seed=10)
    assert [len(r) for r in out] == [2, 2]
    c = out[0][0]
    assert c.text == "w0 w1 w2 " and c.tokens == 5 and c.prompt_tokens == 7
    sent = _FakeOpenAI.bodies
    assert len(sent) == 4 and {s["seed"] for s in sent} == {10, 11}
    assert all(s["stop"] == ["w3"] and s["max_tokens"] == 5 and s["n"] == 1 for s in sent)


def test_openai_backend_prefix_is_a_continued_assistant_message(server):
    b = OpenAIBackend(server + "/v1", model="m")
    c = b.generate([Prompt.of("spec", prefix="<think>\n")], max_tokens=3)[0][0]
    body = _FakeOpenAI.bodies[-1]
    assert body["messages"][-1] == {"role": "assistant", "content": "<think>\n"}
    assert body["continue_final_message"] is True and body["add_generation_prompt"] is False
    assert c.text.startswith("continued") and c.finish_reason == "length"


def test_openai_backend_errors_are_one_line(server):
    with pytest.raises(BackendError, match="HTTP 404"):
        OpenAIBackend(server, model="broken").generate(["x"], max_tokens=2)
    start = time.monotonic()
    with pytest.raises(BackendError, match="cannot reach"):
        OpenAIBackend("http://127.0.0.1:9/v1")
    assert time.monotonic() - start < 5
    with pytest.raises(BackendError):
        normalize_base_url("localhost:8000")


def test_model_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("HDLGEN_MODEL", raising=False)
    monkeypatch.setenv("HDLGEN_CONFIG", str(tmp_path / "none.toml"))
    assert default_model_name() == (DEFAULT_MODEL, "default")
    cfg = tmp_path / "config.toml"
    cfg.write_text('model = "org/from-config"\n')
    monkeypatch.setenv("HDLGEN_CONFIG", str(cfg))
    assert default_model_name() == ("org/from-config", f"config {cfg}")
    monkeypatch.setenv("HDLGEN_MODEL", "org/from-env")
    assert default_model_name() == ("org/from-env", "env")
    assert default_model_name("flag/model") == ("flag/model", "flag")
    assert resolve_model("org/x").kind == "hub"
    with pytest.raises(ModelLoadError, match="smollm2-135m"):
        resolve_model("./no/such/dir")


def test_smollm2_alias_points_into_the_wheel():
    spec = resolve_model("smollm2-135m")
    assert spec.kind == "gguf" and spec.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_hub_id_fails_fast_offline_naming_the_options(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    start = time.monotonic()
    with pytest.raises(BackendError) as info:
        make_backend("transformers", model="hdlgen-test/definitely-not-cached-model")
    assert time.monotonic() - start < 30
    msg = str(info.value)
    assert "--base-url" in msg and "smollm2-135m" in msg and "local model directory" in msg
