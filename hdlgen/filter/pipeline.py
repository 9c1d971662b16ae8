"""The filter run: read a chunk, run the cheap stages in parallel, dedup in order, then the expensive ones.

Per chunk (``chunk_size`` rows, in input order):
  1. cheap stages in workers (extract, size, syntax, top, rank, complexity, fingerprints);
  2. exact + near-duplicate removal in this process, in input order (deterministic);
  3. compile / functional / lint in workers, on the survivors only, ``compile_batch`` rows per task;
  4. kept rows to the output, rejected rows to the rejected file, both in input order, then a checkpoint.
Dedup runs before compiling so duplicates cost no Icarus run (cheap before expensive).
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from verilog_sim.errors import UserError
from verilog_sim.sandbox import worker

from . import checkpoint, heavy, labels, rowcheck
from .config import FilterConfig
from .dedup import Deduper
from .engines import InlineEngine, LocalEngine
from .readers import Row, count_rows, detect_format, iter_rows, jsonable, missing_code_column

Progress = Callable[[int, int, int | None], None]  # rows done, rows kept, total rows (None: unknown)


class FilterError(UserError, ValueError):
    """The run cannot start or continue (bad input path, mismatched resume); one line for the user."""


@dataclass
class Paths:
    input: Path
    out: Path
    rejected: Path | None = None
    report: Path | None = None
    state_dir: Path | None = None

    def __post_init__(self) -> None:
        self.state_dir = self.state_dir or checkpoint.state_dir_for(self.out)



def make_engine(engine: str, workers: int) -> InlineEngine | LocalEngine | Any:
    """The engine ``--engine`` names: ``local`` (inline for one worker, else a process pool) or ``ray``."""
    if engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(workers)
    if engine != "local":
        raise FilterError(f"unknown engine {engine!r}: use local or ray")
    return InlineEngine() if workers <= 1 else LocalEngine(workers)

def _error(detail: str) -> dict[str, Any]:
    return {"keep": False, "reason": "error", "stage": "error", "detail": detail[-500:]}


def _crash_text(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}: {exc}"[:400] + where


def cheap_piece(piece: list[tuple[int, dict[str, Any]]], cfg: FilterConfig) -> list[dict[str, Any]]:
    """The cheap stages of a piece: all its rows in one round trip to the bounded parse worker (rows are
    untrusted text); when that worker crashes or runs out of time, each row again on its own, so only the
    row that did it is rejected, at the stage it did it."""
    rows = [row for _index, row in piece]
    t = time.perf_counter()
    try:  # MinHash signatures are made here, not there: the worker then never imports datasketch (0.5 CPU-s)
        out = worker.call(rowcheck.check_rows, rows, replace(cfg, near_dup=False),
                          timeout_s=max(cfg.timeout, 5.0) + 0.05 * len(rows))
    except worker.WorkerFailed:
        out = None
    if out is not None:
        for res in out:
            if cfg.dedup and cfg.near_dup and "exact" in res:  # what check_row adds to a row it keeps
                res["sig"] = rowcheck.signature(rowcheck.normalized(res["rtl"]), cfg.num_perm, cfg.shingle)
        share = (time.perf_counter() - t) / max(1, len(out))
        for res in out:
            res["_s"] = {"cheap": share}
        return out
    out = []
    for row in rows:
        t = time.perf_counter()
        try:
            res = rowcheck.check_row(row, cfg)  # its extraction and syntax check each go to the worker
        except Exception as exc:  # one row's crash is that row's rejection, never the run's end
            res = _error(_crash_text(exc))
        res["_s"] = {"cheap": time.perf_counter() - t}
        out.append(res)
    return out


def heavy_piece(piece: list[tuple[int, dict[str, Any], str, str | None]], cfg: FilterConfig) -> list[dict[str, Any]]:
    """Compile and lint one batch of rows; returns one result per row in order."""
    t0 = time.perf_counter()
    res: dict[int, dict[str, Any]] = {i: {"keep": True} for i, *_ in piece}
    if cfg.compile:
        try:
            compiled: dict[int, Any] = heavy.compile_rows([(i, rtl) for i, _, rtl, _ in piece], cfg)
        except Exception:
            compiled = {}
            for i, _, rtl, _ in piece:  # the batch crashed: isolate the row that did it
                try:
                    compiled[i] = heavy.compile_rows([(i, rtl)], cfg)[i]
                except Exception as exc1:
                    res[i] = _error(_crash_text(exc1))
        for i, (ok, detail) in compiled.items():
            if not ok:
                res[i] = {"keep": False, "reason": "compile_error", "stage": "compile", "detail": detail[:500]}
            else:
                res[i]["verdict"] = {"status": "pass", "stage": "compile"}
    t1 = time.perf_counter()
    if cfg.lint:
        for i, _, rtl, _ in piece:
            if not res[i].get("keep"):
                continue
            try:
                counts, first = worker.call(labels.lint_counts, rtl, timeout_s=max(cfg.timeout, 5.0))
            except worker.WorkerFailed as exc1:  # pyslang on an untrusted row: bounded, out of process
                res[i] = {"keep": False, "reason": "error" if exc1.kind == "crash" else "resource_limit",
                          "stage": "lint", "detail": f"lint stopped: {exc1.message}"}
                continue
            except Exception as exc1:
                res[i] = _error(_crash_text(exc1))
                continue
            res[i]["lint"] = counts
            if counts is not None and cfg.max_lint is not None and counts["error"] + counts["warning"] > cfg.max_lint:
                res[i].update(keep=False, reason="lint", stage="lint",
                              detail=f"{counts['error']} error(s), {counts['warning']} warning(s), more than "
                                     f"--max-lint {cfg.max_lint}; first: {first}")
    out = [res[i] for i, *_ in piece]
    out[0]["_s"] = {"compile": t1 - t0, "lint": time.perf_counter() - t1}
    return out


def functional_piece(piece: list[tuple[int, dict[str, Any], str, str | None]], cfg: FilterConfig) -> list[dict[str, Any]]:
    """Simulate one group of rows (rows sharing a reference run in one differential simulation)."""
    t0 = time.perf_counter()
    try:
        verdicts = heavy.functional(piece, cfg)
    except Exception:
        verdicts = {}
        for p in piece:
            try:
                verdicts.update(heavy.functional([p], cfg))
            except Exception as exc1:
                verdicts[p[0]] = {"error": _crash_text(exc1)}
    out = []
    for i, *_ in piece:
        v = verdicts.get(i)
        if v is None:
            out.append({})
        elif "error" in v:
            out.append(_error(v["error"]))
        elif v["status"] != "pass":
            reason = "timeout" if v["status"] in ("timeout", "resource_limit") else "functional_fail"
            out.append({"verdict": v, "keep": False, "reason": reason, "stage": "functional",
                        "detail": v.get("message") or v["status"]})
        else:
            out.append({"verdict": v})
    out[0]["_s"] = {"functional": time.perf_counter() - t0}
    return out


def _functional_groups(survivors: list[tuple[int, dict[str, Any], str, str | None]],
                       size: int) -> list[list[tuple[int, dict[str, Any], str, str | None]]]:
    """Rows sharing a reference together (one simulation for many rows), in first-appearance order."""
    groups: dict[str, list] = {}
    for item in survivors:
        groups.setdefault(heavy.group_key(item[1], item[3]), []).append(item)
    out = []
    for key, members in groups.items():
        if key != "none":  # rows with neither testbench nor reference are not simulated
            out += _pieces(members, size if key.startswith("ref:") else 4)
    return out


def _pieces(items: list[Any], size: int) -> list[list[Any]]:
    return [items[k:k + size] for k in range(0, len(items), size)]


def _row_id(row: Row) -> str:
    value = row.data.get("id") if row.data else None
    return str(value)[:1000] if value not in (None, "") else str(row.index)


class _Tally:
    def __init__(self, counts: dict[str, Any], timings: dict[str, float]) -> None:
        self.counts = counts or {"rows": 0, "kept": 0, "rejected": 0, "reasons": {}, "stages": {}}
        self.timings = timings or {}

    def add_time(self, secs: dict[str, float] | None) -> None:
        for k, v in (secs or {}).items():
            self.timings[k] = self.timings.get(k, 0.0) + v

    def row(self, res: dict[str, Any]) -> None:
        c = self.counts
        c["rows"] += 1
        if res.get("keep"):
            c["kept"] += 1
            return
        c["rejected"] += 1
        c["reasons"][res["reason"]] = c["reasons"].get(res["reason"], 0) + 1
        c["stages"][res["stage"]] = c["stages"].get(res["stage"], 0) + 1


Settled = Callable[[int, int], None]  # rows whose outcome became final, of which kept


def _waves(engine: Any, fn: Any, pieces: list[list[Any]], cfg: FilterConfig, workers: int,
           stepwise: bool) -> Iterator[tuple[list[Any], list[Any]]]:
    """(piece, outputs) in order; ``stepwise`` maps ``workers`` pieces at a time, so progress can move
    between them (same outputs: pieces are independent and come back in order)."""
    step = max(1, workers) if stepwise else max(1, len(pieces))
    for k in range(0, len(pieces), step):
        wave = pieces[k:k + step]
        yield from zip(wave, engine.map(fn, wave, cfg))


def _process_chunk(rows: list[Row], cfg: FilterConfig, engine: Any, dedup: Deduper | None, workers: int,
                   tally: _Tally, settled: Settled | None = None) -> list[tuple[Row, dict[str, Any]]]:
    results: dict[int, dict[str, Any]] = {}
    final: set[int] = set()

    def settle(indices: Iterator[int] | list[int], only_rejected: bool = False) -> None:
        """Report rows whose outcome is known (a progress bar that moves per row, not per chunk)."""
        if settled is None:
            return
        n = kept = 0
        for i in indices:
            if i in final or (only_rejected and results[i].get("keep")):
                continue
            final.add(i)
            n += 1
            kept += bool(results[i].get("keep"))
        if n:
            settled(n, kept)

    good = []
    for r in rows:
        if r.error:
            results[r.index] = {"keep": False, "reason": "malformed", "stage": "read", "detail": r.error}
        else:
            good.append((r.index, r.data))
    settle([r.index for r in rows if r.error])
    t = time.perf_counter()
    stepwise = settled is not None
    inline = isinstance(engine, InlineEngine)
    size = 1 if stepwise and inline else max(1, -(-len(good) // (workers * 4)))
    if stepwise and not inline:
        size = min(size, 64)
    for piece, outs in _waves(engine, cheap_piece, _pieces(good, size), cfg, workers, stepwise):
        for (i, _), res in zip(piece, outs):
            res = res if res is not None else _error("worker process died on this row")
            tally.add_time(res.pop("_s", None))
            results[i] = res
        settle([i for i, _ in piece], only_rejected=True)
    tally.add_time({"cheap_wall": time.perf_counter() - t})
    by_index = {r.index: r for r in rows}
    t = time.perf_counter()
    heavy_stages = cfg.compile or cfg.lint or cfg.functional
    if dedup is not None:
        for r in rows:
            res = results[r.index]
            if res.get("keep") and "exact" in res:
                reason, rep = dedup.check(r.index, _row_id(r), res["exact"], res.get("sig"))
                if reason:
                    res.update(keep=False, reason=reason, stage="dedup", detail=f"duplicate of {rep}",
                               dedup_cluster=rep)
                else:
                    res["dedup_cluster"] = _row_id(r)
            settle([r.index], only_rejected=heavy_stages)
    tally.add_time({"dedup": time.perf_counter() - t})
    settle([r.index for r in rows], only_rejected=heavy_stages)

    def survivors() -> list[tuple[int, dict[str, Any], str, str | None]]:
        return [(r.index, r.data, results[r.index]["rtl"], results[r.index].get("top"))
                for r in rows if results[r.index].get("keep")]

    for enabled, fn, grouping, wall in ((cfg.compile or cfg.lint, heavy_piece, None, "compile_wall"),
                                        (cfg.functional, functional_piece, _functional_groups, "functional_wall")):
        items = survivors() if enabled else []
        if not items:
            continue
        t = time.perf_counter()
        batches = grouping(items, cfg.functional_batch) if grouping else _pieces(items, max(1, cfg.compile_batch))
        for batch, outs in _waves(engine, fn, batches, cfg, workers, stepwise):
            for (i, *_), extra in zip(batch, outs):
                extra = extra if extra is not None else _error("worker process died on this row")
                tally.add_time(extra.pop("_s", None))
                results[i].update(extra)
            settle([i for i, *_ in batch], only_rejected=fn is heavy_piece and cfg.functional)
        tally.add_time({wall: time.perf_counter() - t})
    settle([r.index for r in rows])
    return [(by_index[r.index], results[r.index]) for r in rows]


def _kept_line(row: Row, res: dict[str, Any]) -> bytes:
    obj = jsonable(row.data)
    obj["rtl"] = res.get("rtl")
    obj["top"] = res.get("top")
    obj["verdict"] = res.get("verdict")
    obj["complexity_label"] = res.get("complexity")
    obj["dedup_cluster"] = res.get("dedup_cluster")
    obj["lint_counts"] = res.get("lint")
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "surrogateescape")


def _rejected_line(row: Row, res: dict[str, Any]) -> bytes:
    obj = {"index": row.index, "id": _row_id(row), "reason": res["reason"], "stage": res["stage"],
           "detail": res.get("detail", "")}
    if res.get("dedup_cluster"):
        obj["dedup_cluster"] = res["dedup_cluster"]
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "replace")


def _chunks(it: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(it, size)):
        yield chunk


def run_filter(paths: Paths, cfg: FilterConfig, *, fmt: str | None = None, workers: int = 1,
               engine: str = "local", resume: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Filter ``paths.input`` into ``paths.out``; returns the report (also written to ``paths.report``)."""
    if not paths.input.is_file():
        raise FilterError(f"{paths.input}: no such input file")
    try:
        fmt = fmt or detect_format(paths.input)
    except ValueError as exc:
        raise FilterError(str(exc)) from exc
    try:
        missing = missing_code_column(paths.input, fmt, cfg.columns)
    except ValueError as exc:  # an unreadable CSV header
        raise FilterError(str(exc)) from exc
    if missing:
        raise FilterError(missing)
    state_dir = paths.state_dir
    assert state_dir is not None
    state = checkpoint.load(state_dir) if resume else None
    if state is not None and state.fingerprint != cfg.fingerprint():
        raise FilterError(f"{state_dir}: the interrupted run used other filter options; rerun with the same "
                          "options, or without --resume to start over")
    resumed_from = state.rows_done if state else 0
    if state is None:
        state = checkpoint.State(cfg.fingerprint(), cfg.chunk_size)
    state.runs += 1
    state_dir.mkdir(parents=True, exist_ok=True)
    out_fh = checkpoint.open_at(paths.out, state.out_bytes)
    rej_fh = checkpoint.open_at(paths.rejected, state.rejected_bytes) if paths.rejected else None
    dedup = Deduper(cfg.dedup_threshold, cfg.num_perm, cfg.near_dup) if cfg.dedup else None
    if dedup is not None:
        dedup.attach_log(state_dir / "dedup.log", state.dedup_bytes)
    tally = _Tally(state.counts, state.timings)
    total = count_rows(paths.input, fmt)
    eng = make_engine(engine, workers)
    start = time.perf_counter()
    try:
        reader = iter_rows(paths.input, fmt, cfg.columns, start=state.rows_done)
        for chunk in _chunks(reader, state.chunk_size):
            settled = None
            if progress:
                seen = [tally.counts["rows"], tally.counts["kept"]]

                def settled(n: int, kept: int, seen: list[int] = seen) -> None:
                    seen[0] += n
                    seen[1] += kept
                    progress(seen[0], seen[1], total)  # type: ignore[misc]
            for row, res in _process_chunk(chunk, cfg, eng, dedup, workers, tally, settled):
                tally.row(res)
                if res.get("keep"):
                    out_fh.write(_kept_line(row, res))
                elif rej_fh is not None:
                    rej_fh.write(_rejected_line(row, res))
            state.rows_done = chunk[-1].index + 1
            state.out_bytes = checkpoint.durable(out_fh)
            state.rejected_bytes = checkpoint.durable(rej_fh) if rej_fh else 0
            state.dedup_bytes = dedup.flush() if dedup else 0
            state.counts, state.timings = tally.counts, tally.timings
            tally.timings["wall"] = tally.timings.get("wall", 0.0) + (time.perf_counter() - start)
            start = time.perf_counter()
            checkpoint.save(state_dir, state)
            if progress:
                progress(tally.counts["rows"], tally.counts["kept"], total)
    finally:
        eng.close()
        out_fh.close()
        if rej_fh:
            rej_fh.close()
        if dedup:
            dedup.close()
    tally.timings["wall"] = tally.timings.get("wall", 0.0) + (time.perf_counter() - start)
    from .report import build_report

    report = build_report(paths, cfg, tally.counts, tally.timings, fmt=fmt, workers=workers, engine=engine,
                          resumed_from=resumed_from, runs=state.runs,
                          notes=_notes(cfg))
    if paths.report:
        paths.report.write_text(json.dumps(report, indent=2) + "\n")
    _clean_state(state_dir)
    return report


def _notes(cfg: FilterConfig) -> list[str]:
    return []


def _clean_state(state_dir: Path) -> None:
    for name in ("dedup.log", "checkpoint.json", "checkpoint.json.tmp"):
        (state_dir / name).unlink(missing_ok=True)
    try:
        state_dir.rmdir()
    except OSError:
        pass
