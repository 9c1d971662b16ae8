"""A reward server for distributed RL: OpenRLHF's remote reward protocol over plain HTTP.

``POST /get_reward`` with ``{"query": [...], "prompts": [...], "labels": [...]}`` (lists of equal length;
``query`` is prompt + response, as OpenRLHF sends it) answers ``{"rewards": [...], "scores": [...],
"extra_logs": {component: [...]}}``. A label is a problem: a ``task_id`` of the problems the server was
started with, or a JSON object in the problem format. ``GET /health`` answers ``{"status": "ok"}``.

Each verification runs in its own sandbox scratch directory, so concurrent requests cannot see each other's
files; the verdict cache is shared (and thread-safe). Requests larger than ``max_bytes`` are refused (413).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hdlgen.rewards.functions import WeightedReward
from verilog_sim.problem import Problem, ProblemError

MAX_BYTES = 8 * 1024 * 1024
MAX_ITEMS = 4096


class RequestError(ValueError):
    """A malformed request; the message goes back to the client with status 400."""


class RewardService:
    """The protocol without HTTP: turn one request body into one reply (unit-testable, reusable)."""

    def __init__(self, reward: WeightedReward, problems: Mapping[str, Problem] | None = None,
                 max_concurrent: int = 4) -> None:
        self.reward = reward
        self.problems = dict(problems or {})
        self._slots = threading.BoundedSemaphore(max(1, max_concurrent))

    def problem_for(self, label: Any, i: int) -> Problem:
        if isinstance(label, str) and label in self.problems:
            return self.problems[label]
        if isinstance(label, str) and label.lstrip().startswith("{"):
            try:
                label = json.loads(label)
            except json.JSONDecodeError as exc:
                raise RequestError(f"labels[{i}]: invalid JSON problem: {exc.msg}") from exc
        if isinstance(label, Mapping):
            try:
                return Problem.from_dict(dict(label))
            except (ProblemError, TypeError) as exc:
                raise RequestError(f"labels[{i}]: {exc}") from exc
        raise RequestError(f"labels[{i}]: not a known task_id and not a JSON problem")

    def handle(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise RequestError("the request body must be a JSON object")
        queries = body.get("query")
        if not isinstance(queries, list):
            raise RequestError("'query' must be a list of strings")
        n = len(queries)
        if n > MAX_ITEMS:
            raise RequestError(f"at most {MAX_ITEMS} items per request, got {n}")
        prompts = body.get("prompts") or [""] * n
        labels = body.get("labels")
        if not isinstance(prompts, list) or not isinstance(labels, list) or len(prompts) != n or len(labels) != n:
            raise RequestError("'query', 'prompts' and 'labels' must be lists of the same length")
        if not all(isinstance(x, str) for x in queries + prompts):
            raise RequestError("'query' and 'prompts' items must be strings")
        problems = [self.problem_for(lab, i) for i, lab in enumerate(labels)]
        responses = [q[len(p):] if p and q.startswith(p) else q for q, p in zip(queries, prompts)]
        columns = _columns(problems)
        with self._slots:
            parts = self.reward.components(prompts, responses, **columns)
        rewards = [float(r or 0.0) for r in self.reward.combine(parts, n)]
        logs = {k: [float("nan") if v is None else float(v) for v in vals] for k, vals in parts.items()}
        return {"rewards": rewards, "scores": rewards, "extra_logs": logs}


def _columns(problems: Sequence[Problem]) -> dict[str, list[Any]]:
    rows = [p.to_dict() for p in problems]
    return {k: [r[k] for r in rows] for k in rows[0]} if rows else {}


def make_handler(service: RewardService, max_bytes: int = MAX_BYTES) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "hdlgen-reward/1"

        def _reply(self, status: int, obj: Any, allow: str | None = None) -> None:
            data = json.dumps(obj, allow_nan=True).encode()
            self.send_response(status)
            if allow:
                self.send_header("Allow", allow)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            if self.path.rstrip("/") == "/health":
                self._reply(200, {"status": "ok"})
            elif self.path.rstrip("/") == "/get_reward":  # it exists, with another method: 405, not 404
                self._reply(405, {"error": "GET is not allowed here; POST /get_reward with a JSON body"},
                            allow="POST")
            else:
                self._reply(404, {"error": f"no such path {self.path}; POST /get_reward"})

        def do_POST(self) -> None:  # noqa: N802
            if self.path.rstrip("/") != "/get_reward":
                self._reply(404, {"error": f"no such path {self.path}; POST /get_reward"})
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._reply(411, {"error": "a Content-Length header is required"})
                return
            if length < 0 or length > max_bytes:
                self._reply(413, {"error": f"request body of {length} bytes exceeds the limit of {max_bytes}"})
                self.close_connection = True
                return
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
                self._reply(200, service.handle(body))
            except json.JSONDecodeError as exc:
                self._reply(400, {"error": f"invalid JSON: {exc.msg}"})
            except RequestError as exc:
                self._reply(400, {"error": str(exc)})
            except Exception as exc:  # noqa: BLE001 - a server thread must answer, not die
                self._reply(500, {"error": f"{type(exc).__name__}: {exc}"})

        def log_message(self, format: str, *args: Any) -> None:  # quiet by default; library code never prints
            pass

    return Handler


def make_server(service: RewardService, host: str = "127.0.0.1", port: int = 8000,
                max_bytes: int = MAX_BYTES) -> ThreadingHTTPServer:
    """A threading HTTP server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever()``."""
    server = ThreadingHTTPServer((host, port), make_handler(service, max_bytes))
    server.daemon_threads = True
    return server


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
