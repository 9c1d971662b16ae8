"""Where per-row work runs: in this process, a pool of local worker processes, or Ray.

Every engine maps a function over pieces (lists of rows) and returns the results in the pieces' order,
so the output never depends on which worker finished first. A worker process that dies (a segfault in a
parser, the OOM killer) costs a retry of its pieces one row at a time; the row that kills a worker again
comes back as ``None`` and the pipeline rejects it with reason ``error``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

Piece = list[Any]
PieceFn = Callable[[Piece, Any], list[Any]]


class InlineEngine:
    """One worker: the calling process does the work (no pickling, no pool)."""

    name = "inline"

    def map(self, fn: PieceFn, pieces: Sequence[Piece], cfg: Any) -> list[list[Any]]:
        return [fn(p, cfg) for p in pieces]

    def close(self) -> None:
        pass


def _die_with_parent(parent: int) -> None:
    """Worker initializer: SIGKILL when the filter dies, even by ``kill -9`` (orphans lived on before)."""
    from verilog_sim.sandbox.worker import pdeathsig_child_setup

    pdeathsig_child_setup()()
    if os.getppid() != parent:  # the filter died before the signal was armed
        os.kill(os.getpid(), signal.SIGKILL)


class LocalEngine:
    """``workers`` forked processes on this machine; each dies with the filter (PR_SET_PDEATHSIG)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def map(self, fn: PieceFn, pieces: Sequence[Piece], cfg: Any) -> list[list[Any]]:
        futures = [self._pool.submit(fn, p, cfg) for p in pieces]
        out: list[list[Any] | None] = []
        broken = False
        for f in futures:
            try:
                out.append(f.result())
            except BrokenProcessPool:
                broken = True
                out.append(None)
        if broken:
            self._restart()
            out = [r if r is not None else self._rows_alone(fn, p, cfg) for r, p in zip(out, pieces)]
        return out  # type: ignore[return-value]

    def _rows_alone(self, fn: PieceFn, piece: Piece, cfg: Any) -> list[Any]:
        results: list[Any] = []
        for item in piece:
            try:
                results.extend(self._pool.submit(fn, [item], cfg).result())
            except BrokenProcessPool:
                self._restart()
                results.append(None)
        return results

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
