"""Stream rows from JSONL, CSV (PyraNet layout) or Parquet, one at a time, never the whole file.

Every physical record becomes a :class:`Row` with its 0-based index, even when it is malformed: a bad
JSON line, a missing code column, binary bytes or an oversized field become a row whose ``error`` says
why, so the pipeline reports it instead of dying. Skipping ``start`` rows is how ``--resume`` continues.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from .config import Columns

FORMATS = ("jsonl", "csv", "parquet")
_PYRANET_KEYS = ("description", "rank", "complexity", "compile_status")


@dataclass
class Row:
    index: int
    data: dict[str, Any]
    error: str | None = None  # "malformed: ..." when the record could not be read as a row


def detect_format(path: str | Path) -> str:
    name = str(path).lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"),
                        (".parquet", "parquet"), (".pq", "parquet")):
        if name.endswith(suffix):
            return fmt
    raise ValueError(f"{path}: cannot tell the input format from the name; give --input-format jsonl|csv|parquet")


def iter_rows(path: str | Path, fmt: str | None = None, columns: Columns = Columns(), start: int = 0) -> Iterator[Row]:
    """Rows of ``path`` from index ``start`` on, normalized by :func:`normalize`."""
    fmt = fmt or detect_format(path)
    raw = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[fmt](Path(path), start)
    for index, data, error in raw:
        if error is None:
            data, error = normalize(data, columns)
        yield Row(index, data if error is None else _id_only(data, columns), error)


def _id_only(data: Any, columns: Columns) -> dict[str, Any]:
    """What a malformed row keeps: its id, when it has one, so the rejected file names it by its id."""
    value = data.get(columns.id) if columns.id and isinstance(data, dict) else None
    return {"id": value} if isinstance(value, (str, int)) and value != "" else {}


_JSON_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\\n]|\\.){1,200}"|-?\d{1,30})')


def missing_code_column(path: str | Path, fmt: str, columns: Columns, sample: int = 100) -> str | None:
    """A one-line error when none of the first ``sample`` readable records has the code column, else None.

    A wrong ``--code-col`` would otherwise reject every row as malformed and still exit 0.
    """
    raw = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[fmt](Path(path), 0)
    seen: dict[str, None] = {}
    readable = 0
    for _index, data, error in islice(raw, sample):
        if error is None and isinstance(data, dict):
            if columns.code in data:
                return None
            readable += 1
            seen.update(dict.fromkeys(map(str, data)))
    if not readable:
        return None
    names = ", ".join(list(seen)[:20]) + (", ..." if len(seen) > 20 else "")
    return (f"{path}: none of the first {readable} readable rows has a column '{columns.code}' (columns: {names}); "
            "name the code column with --code-col")


def count_rows(path: str | Path, fmt: str | None = None) -> int | None:
    """Total rows when it is cheap to know (Parquet metadata); None otherwise."""
    if (fmt or detect_format(path)) == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(str(path)).metadata.num_rows
    return None


def _jsonl(path: Path, start: int) -> Iterator[tuple[int, Any, str | None]]:
    with open(path, "rb") as fh:
        index = -1
        for line in fh:
            if not line.strip():
                continue
            index += 1
            if index < start:
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield index, None, f"malformed: not UTF-8 text (binary?) at byte {exc.start}"
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:  # json's own msg may end in "at" ("Invalid control character at")
                where = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
                m = _JSON_ID.search(text)  # the row's id, when the line still shows it
                yield index, _salvaged_id(m.group(1)) if m else None, f"malformed: bad JSON: {where} at column {exc.colno}"
                continue
            if not isinstance(obj, dict):
                yield index, None, f"malformed: a row must be a JSON object, got {type(obj).__name__}"
                continue
            yield index, obj, None


def _salvaged_id(literal: str) -> dict[str, Any] | None:
    try:
        return {"id": json.loads(literal)}
    except json.JSONDecodeError:
        return None


def _csv(path: Path, start: int) -> Iterator[tuple[int, Any, str | None]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValueError(f"{path}: unreadable CSV header: {exc}") from exc
        index = -1
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                index += 1
                if index >= start:
                    yield index, None, f"malformed: bad CSV record: {exc}"
                continue
            if not rec:
                continue
            index += 1
            if index < start:
                continue
            if len(rec) != len(header):
                yield index, None, f"malformed: {len(rec)} fields where the header has {len(header)}"
                continue
            yield index, dict(zip(header, rec)), None


def _parquet(path: Path, start: int) -> Iterator[tuple[int, Any, str | None]]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(str(path))
    index = 0
    for batch in pf.iter_batches(batch_size=1024):
        n = batch.num_rows
        if index + n <= start:
            index += n
            continue
        for rec in batch.to_pylist():
            if index >= start:
                yield index, rec, None
            index += 1


def _is_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from undecodable bytes
        return True
    return False


def _parse_description(value: Any) -> dict[str, Any] | None:
    """PyraNet's ``description`` column: a dict written as JSON or as a Python literal."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value.lstrip().startswith("{"):
        return None
    try:
        obj = json.loads(value)
    except json.JSONDecodeError:
        try:
            obj = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    return obj if isinstance(obj, dict) else None


def normalize(data: dict[str, Any], columns: Columns) -> tuple[dict[str, Any], str | None]:
    """Map the input's columns to the fields stages read: code, id, description, rank, complexity, ref, test.

    The original columns stay in the row (they are written back to the output); the mapped ones are
    stored under their standard names.
    """
    if columns.code not in data:
        return data, f"malformed: missing column '{columns.code}'"
    code = data[columns.code]
    if isinstance(code, bytes):
        try:
            code = code.decode("utf-8")
        except UnicodeDecodeError:
            return data, "malformed: binary code (not UTF-8)"
    if code is None:
        code = ""
    if not isinstance(code, str):
        return data, f"malformed: code column '{columns.code}' holds {type(code).__name__}, not text"
    if _is_binary(code):
        return data, "malformed: binary code (NUL or undecodable bytes)"
    row = dict(data)
    row["code"] = code
    for std in ("id", "ref", "test", "top", "rank", "complexity"):
        col = getattr(columns, std)
        if col and col in data and col != std:
            row[std] = data[col]
    if columns.description and columns.description in data:
        desc = data[columns.description]
        parsed = _parse_description(desc)
        if parsed is not None:
            row["description"] = str(parsed.get("description", ""))
            for key in _PYRANET_KEYS[1:]:
                if key in parsed and key not in row:
                    row[key] = parsed[key]
        elif columns.description != "description":
            row["description"] = desc
    for key, value in list(row.items()):
        if isinstance(value, str) and key != "code" and _is_binary(value):
            row[key] = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "")
    return row, None


def jsonable(value: Any) -> Any:
    """Parquet values (bytes, dates, decimals) made JSON-safe for the output file."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


__all__ = ["FORMATS", "Row", "count_rows", "detect_format", "iter_rows", "jsonable", "missing_code_column", "normalize"]
