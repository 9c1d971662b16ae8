"""The one judgement every consumer reads: a frozen Verdict with an explicit status.

RL rewards, dataset filters, eval scores, the repair loop and the linter all consume this object, so it is
plain data (JSON round-trips exactly) and never a tuple or a log to scrape.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    NO_CODE = "no_code"
    SYNTAX_ERROR = "syntax_error"
    COMPILE_ERROR = "compile_error"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    ERROR = "error"


class Stage(str, Enum):
    EXTRACT = "extract"
    SYNTAX = "syntax"
    COMPILE = "compile"
    SIMULATE = "simulate"
    COMPARE = "compare"


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Diagnostic:
    """One finding, printable in the gcc form editors and pre-commit users expect."""

    file: str
    line: int
    col: int
    severity: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Diagnostic:
        return cls(**{k: d[k] for k in ("file", "line", "col", "severity", "code", "message")})


@dataclass(frozen=True)
class Tests:
    total: int = 0
    passed: int = 0


@dataclass(frozen=True)
class Verdict:
    """Result of judging one candidate. Fields beyond the contract's are optional extras.

    ``first_mismatch`` (differential runs) names time, signal, inputs, expected and got, for the repair
    loop; ``message`` is one human line saying why (e.g. which limit was hit); ``seed`` records the stimulus.
    ``tier`` (differential runs) says what decided: ``proved`` (formal proof), ``bounded N`` (formal check
    N cycles from reset, plus simulation), ``formal`` (a formal counterexample, confirmed by replaying it
    in simulation) or ``simulated N cycles``; ``coverage`` lists what the stimulus never exercised.
    """

    status: Status
    stage: Stage
    diagnostics: tuple[Diagnostic, ...] = ()
    tests: Tests = field(default_factory=Tests)
    mismatches: int | None = None
    samples: int | None = None
    seconds: float = 0.0
    tools: dict[str, str] = field(default_factory=dict)
    message: str = ""
    seed: int | None = None
    first_mismatch: dict[str, Any] | None = None
    tier: str = ""
    coverage: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    @classmethod
    def no_code(cls, message: str = "no Verilog module found in the text") -> Verdict:
        """The verdict for text with no Verilog in it (every consumer uses this one)."""
        return cls(Status.NO_CODE, Stage.EXTRACT, message=message)

    def with_(self, **changes: Any) -> Verdict:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "status": self.status.value,
            "stage": self.stage.value,
            "diagnostics": [x.to_dict() for x in self.diagnostics],
            "tests": {"total": self.tests.total, "passed": self.tests.passed},
            "mismatches": self.mismatches,
            "samples": self.samples,
            "seconds": round(self.seconds, 4),
            "tools": dict(self.tools),
        }
        if self.message:
            d["message"] = self.message
        if self.seed is not None:
            d["seed"] = self.seed
        if self.first_mismatch is not None:
            d["first_mismatch"] = self.first_mismatch
        if self.tier:
            d["tier"] = self.tier
        if self.coverage is not None:
            d["coverage"] = self.coverage
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Verdict:
        return cls(
            status=Status(d["status"]),
            stage=Stage(d["stage"]),
            diagnostics=tuple(Diagnostic.from_dict(x) for x in d.get("diagnostics", ())),
            tests=Tests(**d.get("tests", {})),
            mismatches=d.get("mismatches"),
            samples=d.get("samples"),
            seconds=float(d.get("seconds", 0.0)),
            tools=dict(d.get("tools", {})),
            message=d.get("message", ""),
            seed=d.get("seed"),
            first_mismatch=d.get("first_mismatch"),
            tier=d.get("tier", ""),
            coverage=d.get("coverage"),
        )
