"""Run the filter's stages on Ray Data: the same piece functions as the local engine, on a Ray cluster.

The driver keeps what must be sequential (reading, dedup in input order, writing, checkpoints), so outputs
and ``--resume`` behave exactly as with ``--engine local``; the per-row stages of each chunk become a Ray
Data dataset of pieces mapped on the cluster's CPUs. ``ray.init()`` joins ``RAY_ADDRESS`` when it is set
(a multi-node cluster whose workers have hdlgen and Icarus installed), else starts a local instance.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from typing import Any

from .engines import Piece, PieceFn


class RayEngine:
    name = "ray"

    def __init__(self, workers: int) -> None:
        import ray
        import ray.data

        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            ray.init(num_cpus=None if _has_address() else max(1, workers), include_dashboard=False,
                     log_to_driver=False, configure_logging=False)
            self._started = True
        for name in ("ray", "ray.data"):  # its per-dataset INFO lines would bury the filter's own output
            logging.getLogger(name).setLevel(logging.WARNING)
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.execution_options.preserve_order = True

    def map(self, fn: PieceFn, pieces: Sequence[Piece], cfg: Any) -> list[list[Any]]:
        if not pieces:
            return []
        ray = self._ray
        items = [{"k": k, "piece": pickle.dumps(p)} for k, p in enumerate(pieces)]

        def run(rec: dict[str, Any]) -> dict[str, Any]:
            return {"k": rec["k"], "out": pickle.dumps(fn(pickle.loads(rec["piece"]), cfg))}

        try:
            done = ray.data.from_items(items, override_num_blocks=len(items)).map(run, num_cpus=1).take_all()
        except Exception:  # a worker died (or a piece could not run): judge the rows one by one
            return [self._rows_alone(fn, p, cfg) for p in pieces]
        by_k = {d["k"]: pickle.loads(d["out"]) for d in done}
        return [by_k[k] for k in range(len(pieces))]

    def _rows_alone(self, fn: PieceFn, piece: Piece, cfg: Any) -> list[Any]:
        ray = self._ray
        task = ray.remote(max_retries=0, num_cpus=1)(lambda item: fn([item], cfg))
        out: list[Any] = []
        for item in piece:
            try:
                out.extend(ray.get(task.remote(item)))
            except Exception:
                out.append(None)
        return out

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()


def _has_address() -> bool:
    import os

    return bool(os.environ.get("RAY_ADDRESS"))
