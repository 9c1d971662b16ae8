"""The problem format of the contract: what ``--problem``, ``eval`` and ``filter`` read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UserError
from .jsonl import read_jsonl


class ProblemError(UserError, ValueError):
    """A problem file or directory is malformed; the message names the file and the field."""


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
