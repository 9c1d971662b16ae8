"""What a filter run does: which stages run, their thresholds, and how input columns map to fields.

The fingerprint of a config is stored in the checkpoint so ``--resume`` refuses to continue a run that was
started with different options (its output would otherwise mix two filters).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

STAGES = ("extract", "syntax", "compile", "functional", "dedup", "complexity", "quality", "lint")


@dataclass(frozen=True)
class Columns:
    """Input column names. ``description`` may hold PyraNet's dict-as-string (description, rank, ...)."""

    code: str = "code"
    id: str | None = "id"  # None or absent in the data: the row's 0-based index is its id
    description: str | None = "description"
    ref: str | None = "ref"
    test: str | None = "test"
    top: str | None = "top"
    rank: str | None = "rank"
    complexity: str | None = "complexity"


@dataclass(frozen=True)
class FilterConfig:
    columns: Columns = field(default_factory=Columns)
    # stages (each switchable)
    extract: bool = True  # False: the code column is plain Verilog, not LLM text
    syntax: bool = True
    compile: bool = True
    functional: bool = False  # rows with a testbench or reference are simulated; others pass through
    dedup: bool = True
    near_dup: bool = True
    complexity: bool = True
    quality: bool = True
    lint: bool = False
    # thresholds
    max_bytes: int = 1_000_000  # code larger than this is rejected (too_large) before any parsing
    min_lines: int = 3
    max_lines: int = 2000
    single_top: bool = True
    min_rank: float | None = None
    min_complexity: str | None = None  # easy|basic < medium|intermediate < hard|advanced < expert
    complexity_source: str = "judge"  # judge: generation's judge on the spec; data: the row's complexity column
    max_lint: int | None = None  # lint findings (warnings + errors) allowed
    dedup_threshold: float = 0.9
    num_perm: int = 128
    shingle: int = 5  # tokens per shingle for near-duplicate detection
    timeout: float = 10.0  # per compile / simulation
    compile_batch: int = 64  # rows compiled together by one iverilog run
    functional_batch: int = 256  # rows sharing a reference simulated together (one cocotb start for all)
    cycles: int | None = None
    seed: int = 0
    # execution (not part of the fingerprint: resuming with more workers gives the same output)
    chunk_size: int = 2048  # big enough that rows sharing a reference meet in one functional batch

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
