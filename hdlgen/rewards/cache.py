"""Verdicts cached by content hash: the same design against the same problem is judged once per process.

GRPO calls several reward functions on the same completions (functional, compile, length), and groups often
repeat a design verbatim; the key is the problem's fields, the extracted code and the run settings, so
reasoning text that differs around the same code still hits.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from verilog_sim.problem import Problem
from verilog_sim.verdict import Verdict


def problem_key(problem: Problem) -> str:
    """A digest of everything in the problem that can change a verdict."""
    blob = json.dumps(problem.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def verdict_key(problem_digest: str, code: str, settings: tuple) -> str:
    h = hashlib.sha256()
    for part in (problem_digest, code, repr(settings)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


class VerdictCache:
    """A thread-safe LRU map from content hash to Verdict (the reward server shares one across requests)."""

    def __init__(self, maxsize: int = 8192) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[str, Verdict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Verdict | None:
        with self._lock:
            v = self._data.get(key)
            if v is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return v

    def put(self, key: str, verdict: Verdict) -> None:
        with self._lock:
            self._data[key] = verdict
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


_SHARED = VerdictCache()


def shared_cache() -> VerdictCache:
    """The process-wide cache every reward function uses (not pickled with the functions)."""
    return _SHARED
