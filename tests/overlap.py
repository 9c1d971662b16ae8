"""How many calls of a function run at once: the tests that assert a concurrency bound (re-judging one at a time
while GRPO trains, a reward batch's groups judged together) wrap the real function with :class:`Overlap`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Overlap:
    """A callable that forwards to ``fn`` and records the most calls in flight at once (``peak``)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.peak, self._now, self._lock = fn, 0, 0, threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._now += 1
            self.peak = max(self.peak, self._now)
        try:
            return self.fn(*args, **kwargs)
        finally:
            with self._lock:
                self._now -= 1
