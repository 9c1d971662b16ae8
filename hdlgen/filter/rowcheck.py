"""The cheap per-row stages, run in workers before anything is compiled.

extract → size bounds → syntax → single clear top → score/rank → complexity label, and the fingerprints
dedup needs (an exact hash of the normalized code and a MinHash signature). Each returns a plain dict so
results cross process boundaries and Ray batches unchanged.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache
from typing import Any

from verilog_sim.frontend.untrusted import needs_sandboxed_preprocessing
from verilog_sim.sandbox import worker
from verilog_sim.source.extract import blank_comments_and_strings, extract_verilog, module_spans, root_modules

from . import labels
from .config import FilterConfig, complexity_rank

_INCLUDE = re.compile(r"`include\b")
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*|\d[\w']*|\S")


def reject(res: dict[str, Any], reason: str, stage: str, detail: str = "") -> dict[str, Any]:
    res.update(keep=False, reason=reason, stage=stage, detail=detail[:500])
    return res


def worker_reject(res: dict[str, Any], exc: worker.WorkerFailed, stage: str) -> dict[str, Any]:
    """A row whose parse worker crashed (``error``) or hit its time or memory bound (``resource_limit``)."""
    if exc.kind == "crash":
        return reject(res, "error", stage, f"the parser failed: {exc.message}")
    return reject(res, "resource_limit", stage, f"parsing stopped: {exc.message} limit reached")


def normalized(code: str) -> str:
    """Code without comments and with whitespace collapsed: what exact dedup compares."""
    return " ".join(blank_comments_and_strings(code).split())


def clear_top(code: str, spans: list | None = None) -> tuple[str | None, list[str]]:
    """(top, roots): the one module no other module of the row instantiates, or None when not exactly one."""
    roots = root_modules(code, spans)
    return (roots[0] if len(roots) == 1 else None), roots


@lru_cache(maxsize=4)
def _permutations(num_perm: int):  # noqa: ANN202 - datasketch's permutation arrays, made once per process
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1).permutations


def signature(text: str, num_perm: int, k: int) -> bytes:
    """MinHash (datasketch, affine32) of the token k-shingles, as little-endian uint32 bytes.

    Shingles are hashed with CRC-32 (a C call; deterministic across processes, unlike ``hash``) and the
    permutations are built once per process: together a tenfold saving over the defaults.
    """
    import numpy as np
    from datasketch import MinHash

    tokens = _TOKEN.findall(text)
    if len(tokens) < k:
        shingles = [" ".join(tokens).encode()]
    else:
        shingles = [" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)]
    mh = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32, permutations=_permutations(num_perm),
                 scheme="affine32")
    mh.update_batch(shingles)
    return mh.hashvalues.astype(np.uint32).tobytes()


def check_rows(rows: list[dict[str, Any]], cfg: FilterConfig) -> list[dict[str, Any]]:
    """:func:`check_row` of each row: what the filter runs in the parse worker, one round trip per piece."""
    out = []
    for row in rows:
        try:
            out.append(check_row(row, cfg))
        except Exception as exc:  # noqa: BLE001 - one row's crash is that row's rejection
            out.append({"keep": False, "reason": "error", "stage": "error",
                        "detail": f"{type(exc).__name__}: {exc}"[:500]})
    return out


def check_row(row: dict[str, Any], cfg: FilterConfig) -> dict[str, Any]:
    """Run the cheap stages on one normalized row; ``keep`` False names the first reason it failed."""
    code = row["code"]
    res: dict[str, Any] = {"keep": True, "reason": None, "stage": None, "detail": ""}
    if len(code.encode("utf-8")) > cfg.max_bytes:
        return reject(res, "too_large", "extract", f"code is {len(code.encode())} bytes, limit {cfg.max_bytes}")
    top_hint = row.get("top") if isinstance(row.get("top"), str) else None
    bound = {"timeout_s": max(cfg.timeout, 5.0)}  # rows are untrusted text: parsed in the bounded worker only
    try:
        rtl = worker.call(extract_verilog, code, top_hint, **bound) if cfg.extract else code
    except worker.WorkerFailed as exc:
        return worker_reject(res, exc, "extract")
    spans = module_spans(rtl) if rtl else []
    if not spans:
        return reject(res, "no_code", "extract", "no Verilog module found")
    res["rtl"] = rtl
    if _INCLUDE.search(blank_comments_and_strings(rtl)):
        # a row is one self-contained design: the file it names is not in the dataset (nor may any tool of ours
        # open it: an outside file leaked into rejection messages, /dev/zero grew the process to 4.3 GB), and a
        # batch compile would not even fail on it (Icarus exits 0 on a missing include among several files)
        return reject(res, "include", "extract", "`include of a file outside the row")
    if cfg.quality:
        lines = sum(1 for ln in rtl.splitlines() if ln.strip())
        if lines < cfg.min_lines or lines > cfg.max_lines:
            return reject(res, "size", "quality", f"{lines} non-blank lines, bounds {cfg.min_lines}..{cfg.max_lines}")
    if cfg.syntax and not needs_sandboxed_preprocessing(rtl):  # `include/macros: the sandboxed compile judges
        from verilog_sim.frontend.syntax import check_source

        try:
            syn = worker.call(check_source, rtl, "row.v", "auto", **bound)
        except worker.WorkerFailed as exc:
            return worker_reject(res, exc, "syntax")
        if not syn.ok:
            first = next(d for d in syn.diagnostics if d.severity == "error")
            return reject(res, "syntax_error", "syntax", first.format())
    top, roots = clear_top(rtl, spans)
    if top_hint and top_hint in [s.name for s in spans]:
        top = top_hint
    res["top"] = top
    if cfg.quality and cfg.single_top and top is None:
        return reject(res, "no_clear_top", "quality", f"top-level modules: {', '.join(roots) or 'none'}")
    if cfg.quality and cfg.min_rank is not None:
        try:
            rank = float(row.get("rank"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return reject(res, "low_rank", "quality", f"no numeric rank (threshold {cfg.min_rank:g})")
        if rank < cfg.min_rank:
            return reject(res, "low_rank", "quality", f"rank {rank:g} < {cfg.min_rank:g}")
    if cfg.complexity:
        res["complexity"] = lab = labels.complexity_label(row, cfg.complexity_source)
        if cfg.min_complexity and complexity_rank(lab["label"]) < complexity_rank(cfg.min_complexity):
            return reject(res, "low_complexity", "complexity",
                          f"complexity {lab['label'] or 'unknown'} ({lab['source']}) < {cfg.min_complexity}")
    if cfg.dedup:
        norm = normalized(rtl)
        res["exact"] = hashlib.sha1(norm.encode()).hexdigest()
        if cfg.near_dup:
            res["sig"] = signature(norm, cfg.num_perm, cfg.shingle)
    return res
