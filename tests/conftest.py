"""Shared fixtures: where the repository and the third-party benchmarks are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def benchmarks_root() -> Path:
    """``$HDLGEN_BENCHMARKS_DIR`` or ``../shared/benchmarks`` beside the checkout (CI has it there)."""
    env = os.environ.get("HDLGEN_BENCHMARKS_DIR")
    return Path(env) if env else REPO.parent / "shared" / "benchmarks"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    root = benchmarks_root()
    if not root.is_dir():
        pytest.fail(f"benchmarks not found at {root}: set HDLGEN_BENCHMARKS_DIR")
    return root
