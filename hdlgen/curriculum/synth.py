"""Draw problems from the families, split them by parameters, check their references, write problem JSONL.

The split depends only on ``(family, key)`` (a hash of the structural parameters), never on the seed, so a
held-out combination (say an 8-bit down counter with enable and an asynchronous active-low reset) is held
out in every file any seed produces: training files never contain it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .families import DIFFICULTY, FAMILIES, NAMING, Design

SPLITS = ("train", "heldout", "all")
NAMINGS = ("random", "plain")
HELDOUT_SHARE = 5  # one combination in five is held out


class SynthError(ValueError):
    """Bad arguments to the generator (unknown family, nothing matches the filters)."""


def split_of(family: str, key: tuple[Any, ...]) -> str:
    """'heldout' for about one parameter combination in :data:`HELDOUT_SHARE`, else 'train'."""
    digest = hashlib.sha256(repr((family, key)).encode()).digest()
    return "heldout" if int.from_bytes(digest[:8], "big") % HELDOUT_SHARE == 0 else "train"


def prompt_text(d: Design) -> str:
    return f"{d.spec}\n\nModule header:\n{d.header}"


def to_row(d: Design, task_id: str) -> dict[str, Any]:
    """The contract's problem format plus what the curriculum knows (family, difficulty, params, split, header)."""
    return {"task_id": task_id, "prompt": prompt_text(d), "top": d.top, "ref": d.reference, "ref_top": d.top,
            "test": None, "family": d.family, "difficulty": d.difficulty, "params": d.params,
            "split": split_of(d.family, d.key), "header": d.header, "body": d.body}


def _check_filters(families: Sequence[str] | None, difficulty: Sequence[str] | None, split: str) -> list[str]:
    names = list(families or FAMILIES)
    if unknown := [f for f in names if f not in FAMILIES]:
        raise SynthError(f"unknown famil{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
                         f"known: {', '.join(FAMILIES)}")
    if difficulty and (bad := [x for x in difficulty if x not in DIFFICULTY]):
        raise SynthError(f"unknown difficulty {', '.join(bad)}; known: {', '.join(DIFFICULTY)}")
    if split not in SPLITS:
        raise SynthError(f"unknown split {split}; known: {', '.join(SPLITS)}")
    return names


def synth(n: int, *, seed: int = 0, families: Sequence[str] | None = None,
          difficulty: Sequence[str] | None = None, split: str = "all", distinct: bool = True,
          naming: str = "random") -> list[dict[str, Any]]:
    """``n`` problem rows drawn deterministically from ``seed``: families in turn (round robin, so every
    family is represented), each row of the requested ``split`` and ``difficulty``. ``distinct`` skips a
    draw whose reference was already produced. ``naming="plain"`` gives every port its family's usual name
    (a, b, y, q, clk, rst...) instead of a random one: an easier curriculum for a model trained from scratch."""
    names = _check_filters(families, difficulty, split)
    if naming not in NAMINGS:
        raise SynthError(f"unknown naming {naming}; known: {', '.join(NAMINGS)}")
    token = NAMING.set(naming)
    try:
        return _draw(n, seed, names, difficulty, split, distinct)
    finally:
        NAMING.reset(token)


def _draw(n: int, seed: int, names: list[str], difficulty: Sequence[str] | None, split: str,
          distinct: bool) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    misses = 0
    i = 0
    while len(rows) < n:
        fam = names[i % len(names)]
        i += 1
        d = FAMILIES[fam](rng)
        ok = (split == "all" or split_of(d.family, d.key) == split) and (not difficulty or d.difficulty in difficulty)
        if ok and distinct and d.reference in seen:
            ok = False
        if not ok:
            misses += 1
            if misses > 200 * (n + 10):
                raise SynthError(f"only {len(rows)} of {n} distinct problems match families={names}, "
                                 f"difficulty={list(difficulty or [])}, split={split}")
            continue
        seen.add(d.reference)
        rows.append(to_row(d, f"{fam}_s{seed}_{len(rows):04d}"))
    return rows


@dataclass(frozen=True)
class RefCheck:
    task_id: str
    status: str
    message: str


def check_references(rows: Iterable[dict[str, Any]], *, seed: int = 0, cycles: int | None = None,
                     timeout: float = 30.0) -> list[RefCheck]:
    """Judge each row's reference through the differential path (``verilog_sim.verify_many`` against its own
    reference, renamed apart): it must compile, its clock and reset must be found and it must simulate to a
    pass. Returns one result per row, in order."""
    from verilog_sim import Problem, verify_many

    out = []
    for row in rows:
        prob = Problem.from_dict({k: v for k, v in row.items() if v is not None})
        (v,) = verify_many(prob, [row["ref"]], seed=seed, cycles=cycles, timeout=timeout)
        out.append(RefCheck(row["task_id"], v.status.value, v.message or ""))
    return out
