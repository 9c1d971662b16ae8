"""What a filter run does: which stages run, their thresholds, and how input columns map to fields.

The fingerprint of a config is stored in the checkpoint so ``--resume`` refuses to continue a run that was
started with different options (its output would otherwise mix two filters).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

STAGES = ("extract", "syntax", "compile", "functional", "dedup", "complexity", "quality", "lint")


def flag(default: Any, help: str = "", **cli: Any) -> Any:
    """A field that is also an ``hdlgen filter`` option: the CLI builds its flags from these fields (one home
    for names, defaults and help). ``cli`` may hold ``min``/``max`` (a range), ``choices``, ``flag`` (the
    option's declaration when it is not ``--field-name``/``--field-name/--no-field-name``)."""
    return field(default=default, metadata={"cli": {"help": help, **cli}})


@dataclass(frozen=True)
class Columns:
    """Input column names. ``description`` may hold PyraNet's dict-as-string (description, rank, ...).

    Fields with ``flag`` are ``--NAME-col`` options of ``hdlgen filter``."""

    code: str = flag("code", "Column holding the code (or LLM text).")
    id: str | None = flag("id", "Row id column (missing: the row index).")  # None or absent: the 0-based index
    description: str | None = flag("description",
                                   "Spec column; PyraNet's dict-as-string (description, rank, complexity) is unpacked.")
    ref: str | None = flag("ref", "Golden reference column (differential check).")
    test: str | None = flag("test", "Testbench column (cocotb or Verilog tb).")
    top: str | None = "top"
    rank: str | None = flag("rank", "Score/rank column.")
    complexity: str | None = "complexity"


@dataclass(frozen=True)
class FilterConfig:
    """Which stages run and their thresholds. Fields made with :func:`flag` are ``hdlgen filter``'s options."""

    columns: Columns = field(default_factory=Columns)
    # stages (each switchable: --x/--no-x)
    extract: bool = flag(True, "Extract Verilog from LLM text (off: the column is plain Verilog).")
    syntax: bool = flag(True, "Syntax check (pyslang).")
    compile: bool = flag(True, "Compile with Icarus Verilog in the sandbox.")
    functional: bool = flag(False, "Simulate rows that have a testbench or a reference.")
    dedup: bool = flag(True, "Drop exact duplicates (normalized code).")
    near_dup: bool = flag(True, "Drop near duplicates (MinHash LSH).")
    complexity: bool = flag(True, "Label complexity (generation's judge, else the data's column).")
    quality: bool = flag(True, "Quality rules: size bounds, single top module, thresholds.")
    lint: bool = flag(False, "Count lint findings (verilog_sim.lint).")
    # thresholds
    dedup_threshold: float = flag(0.9, "Jaccard similarity at which two rows are near duplicates.", min=0.0, max=1.0)
    min_lines: int = flag(3, min=0)
    max_lines: int = flag(2000, min=1)
    max_bytes: int = flag(1_000_000, "Larger code is rejected (too_large) before parsing.", min=1)
    single_top: bool = flag(True, "Require one clear top module.", flag="--single-top/--any-top")
    min_rank: float | None = flag(None, "Reject rows whose rank/score is below this.")
    min_complexity: str | None = flag(  # easy|basic < medium|intermediate < hard|advanced < expert
        None, "Reject rows labelled below this (easy=basic < medium=intermediate < hard=advanced < expert; "
        "unknown labels are rejected too).",
        choices=("easy", "medium", "hard", "basic", "intermediate", "advanced", "expert"))
    complexity_source: str = flag("judge", "judge: generation's complexity judge on the description; data: the "
                                  "row's complexity column.", choices=("judge", "data"))
    max_lint: int | None = flag(None, "Reject rows with more lint findings than this.", min=0)  # warnings + errors
    num_perm: int = 128
    shingle: int = 5  # tokens per shingle for near-duplicate detection
    timeout: float = flag(10.0, "Seconds per compile or simulation.", min=0.1)
    compile_batch: int = 64  # rows compiled together by one iverilog run
    functional_batch: int = 256  # rows sharing a reference simulated together (one cocotb start for all)
    cycles: int | None = None
    seed: int = flag(0, "Stimulus seed of differential checks.")
    formal: str = flag("auto", "Formal equivalence tier of differential checks (yosys): auto = on rows that pass "
                       "simulation, 10 s each, skipped without yosys; on = yosys required; off.",
                       choices=("auto", "on", "off"))
    # execution (not part of the fingerprint: resuming with more workers gives the same output)
    chunk_size: int = flag(2048, "Rows per checkpoint (and the window in which rows sharing a reference are "
                           "simulated together).", min=1)

    def fingerprint(self) -> str:
        d = asdict(self)
        d.pop("chunk_size")
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        return asdict(self)


# the judge's levels (easy/medium/hard) and PyraNet's (Basic/Intermediate/Advanced/Expert) on one scale
COMPLEXITY_LEVELS = {"easy": 0, "basic": 0, "medium": 1, "intermediate": 1, "hard": 2, "advanced": 2, "expert": 3}


def complexity_rank(label: str | None) -> int:
    """Position of a complexity label on the shared scale (case-insensitive); -1 when unknown."""
    return COMPLEXITY_LEVELS.get(str(label or "").strip().lower(), -1)
