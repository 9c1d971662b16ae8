"""Crash-safe progress: output files grow by whole chunks, and a checkpoint records where they end.

After each chunk the output, rejected and dedup-log files are fsynced, then ``checkpoint.json`` is replaced
atomically (write a temp file, fsync, rename, fsync the directory). Whatever a SIGKILL leaves behind,
the checkpoint names a consistent state; ``--resume`` cuts the files back to it and carries on.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass
class State:
    fingerprint: str
    chunk_size: int
    rows_done: int = 0
    out_bytes: int = 0
    rejected_bytes: int = 0
    dedup_bytes: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    runs: int = 0
    version: int = VERSION


def state_dir_for(out: Path) -> Path:
    return out.with_name(out.name + ".filter-state")


def load(state_dir: Path) -> State | None:
    try:
        d = json.loads((state_dir / "checkpoint.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if d.get("version") != VERSION:
        return None
    return State(**d)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(state_dir: Path, state: State) -> None:
    tmp = state_dir / "checkpoint.json.tmp"
    with open(tmp, "w") as fh:
        json.dump(asdict(state), fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, state_dir / "checkpoint.json")
    _fsync_dir(state_dir)


def open_at(path: Path, size: int):  # noqa: ANN201 - a binary append handle
    """``path`` cut back to ``size`` bytes (0: emptied), opened for appending."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+b")
    fh.truncate(size)
    fh.seek(size)
    return fh


def durable(fh) -> int:  # noqa: ANN001
    fh.flush()
    os.fsync(fh.fileno())
    return fh.tell()
