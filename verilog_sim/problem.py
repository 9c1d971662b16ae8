"""The problem format of the contract: what ``--problem``, ``eval`` and ``filter`` read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UserError
from .jsonl import read_jsonl


class ProblemError(UserError, ValueError):
    """A problem file or directory is malformed; the message names the file and the field."""


REGEX_TIMEOUT_S = 1.0  # a problem's pass/fail pattern on one simulation's output (``^(a+)+$`` froze a server 30 s)
_SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
# what the judge itself writes beside the design in scratch: an extra file must never replace one of them
_RESERVED = re.compile(r"^(?:candidate\.s?v|testbench\.sv|reference(?:_hd)?\.s?v|results\.xml|sim_build|diff|inc|a\.out"
                       r"|cand_\d+\.v|hdlgen.*)$", re.I)


def extra_file_problem(name: object) -> str | None:
    """Why ``name`` cannot be an ``extra_files`` entry (None when it can): a relative path of plain names
    (letters, digits, ``_ . -``; no ``..``, no absolute path, no backslash) whose first part is not a file
    the judge writes (the design, the testbench, the harness)."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") or not _SAFE_PART.match(p) for p in parts):
        return "must be a relative path of plain names (letters, digits, _ . -), without '..'"
    if _RESERVED.match(parts[0]):
        return f"clashes with a file the judge writes ({parts[0]!r}: the design, testbench or harness)"
    return None


def output_search(pattern: str, text: str) -> str | None:
    """The first match of a problem's ``pass_regex``/``fail_regex`` in a simulation's output (multiline), or
    None. Runs on the ``regex`` engine with a time bound (it also releases the GIL while matching); raises
    ``TimeoutError`` past :data:`REGEX_TIMEOUT_S`."""
    import regex

    m = regex.search(pattern, text, flags=regex.M, timeout=REGEX_TIMEOUT_S)
    return m.group(0) if m else None


@dataclass(frozen=True)
class Problem:
    task_id: str
    prompt: str = ""
    top: str = "TopModule"
    ref: str | None = None
    ref_top: str | None = None
    test: str | None = None
    test_kind: str | None = None  # "cocotb" | "verilog" | None
    test_top: str | None = None
    pass_regex: str | None = None
    fail_regex: str | None = None
    extra_files: dict[str, str] | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)  # benchmark-specific extras

    def __post_init__(self) -> None:
        if self.test_kind not in (None, "cocotb", "verilog"):
            raise ProblemError(f"{self.task_id}: test_kind must be 'cocotb', 'verilog' or null, got {self.test_kind!r}")
        if self.test and not self.test_kind:
            raise ProblemError(f"{self.task_id}: 'test' is given but 'test_kind' is not")
        if self.test_kind == "verilog" and not self.test_top:
            raise ProblemError(f"{self.task_id}: a verilog testbench needs 'test_top' (its module name)")
        if self.extra_files is not None:
            if not isinstance(self.extra_files, dict):
                raise ProblemError(f"{self.task_id}: 'extra_files' must be an object of file name -> text")
            for name, text in self.extra_files.items():
                why = extra_file_problem(name)
                if why is None and not isinstance(text, str):
                    why = "its content must be a string"
                if why:
                    raise ProblemError(f"{self.task_id}: extra file {name!r} {why}")
        for key in ("pass_regex", "fail_regex"):
            pattern = getattr(self, key)
            if pattern is not None:
                import regex

                try:
                    regex.compile(pattern, flags=regex.M)
                except (regex.error, TypeError) as exc:
                    raise ProblemError(f"{self.task_id}: '{key}' is not a valid regular expression: {exc}") from None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        if not isinstance(d, dict):
            raise ProblemError("a problem must be a JSON object")
        if not isinstance(d.get("task_id"), str) or not d["task_id"]:
            raise ProblemError("a problem needs a non-empty string 'task_id'")
        names = {f.name for f in fields(cls)} - {"meta"}
        known = {k: v for k, v in d.items() if k in names}
        meta = {k: v for k, v in d.items() if k not in names}
        return cls(**known, meta=meta)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("meta")
        return d

    @classmethod
    def from_dir(cls, path: str | Path) -> Problem:
        """A bundled problem directory: spec.md, ref.v, test_NAME.py (cocotb), problem.json."""
        p = Path(path)
        pj = p / "problem.json"
        if not pj.is_file():
            raise ProblemError(f"{p}: not a problem directory (no problem.json)")
        try:
            d = json.loads(pj.read_text())
        except json.JSONDecodeError as exc:
            raise ProblemError(f"{pj}: invalid JSON: {exc}") from exc
        d.setdefault("task_id", p.name)
        if (p / "spec.md").is_file() and not d.get("prompt"):
            d["prompt"] = (p / "spec.md").read_text()
        if (p / "ref.v").is_file() and not d.get("ref"):
            d["ref"] = (p / "ref.v").read_text()
            d.setdefault("ref_top", d.get("top"))
        tests = sorted(p.glob("test_*.py"))
        if tests and not d.get("test"):
            d["test"] = tests[0].read_text()
            d["test_kind"] = "cocotb"
        return cls.from_dict(d)


def iter_jsonl(path: str | Path) -> Iterator[Problem]:
    """Problems from a JSONL file, one per line; a bad line raises ProblemError naming its line number."""
    for where, row in read_jsonl(path, ProblemError):
        try:
            yield Problem.from_dict(row)
        except (ProblemError, TypeError) as exc:
            raise ProblemError(f"{where}: {exc}") from exc


def load_many(path: str | Path) -> list[Problem]:
    """Problems from a folder of problem directories (``data/problems``), one problem directory, or a JSONL
    file in the problem format, in a stable order (directories sorted by name)."""
    p = Path(path)
    if p.is_dir():
        if (p / "problem.json").is_file():
            return [Problem.from_dir(p)]
        found = [Problem.from_dir(d) for d in sorted(p.iterdir()) if (d / "problem.json").is_file()]
        if not found:
            raise ProblemError(f"{p}: no problem directories (with problem.json) inside")
        return found
    if not p.is_file():
        raise ProblemError(f"{p}: no such file or directory")
    return list(iter_jsonl(p))


def load(path: str | Path) -> Problem:
    """A problem from a directory or a single-problem JSON/JSONL file."""
    p = Path(path)
    if p.is_dir():
        return Problem.from_dir(p)
    if not p.exists():
        raise ProblemError(f"{p}: no such file or directory")
    items = list(iter_jsonl(p))
    if len(items) != 1:
        raise ProblemError(f"{p}: expected one problem, found {len(items)}")
    return items[0]
