"""Shared fixtures: where the repository and the third-party benchmarks are."""

from __future__ import annotations

from pathlib import Path

import pytest

from verilog_sim.verilog_eval.rules import benchmarks_dir

REPO = Path(__file__).resolve().parent.parent


benchmarks_root = benchmarks_dir  # $HDLGEN_BENCHMARKS_DIR or ../shared/benchmarks beside the checkout (CI has it there)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    root = benchmarks_root()
    if not root.is_dir():
        pytest.fail(f"benchmarks not found at {root}: set HDLGEN_BENCHMARKS_DIR")
    return root
