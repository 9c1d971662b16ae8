"""A baseline: the findings a codebase already had when it adopted the lint hook, so only new ones fail.

The baseline file is ``hdlgen lint --format json`` output (``{"diagnostics": [...]}``), written once::

    hdlgen lint --format json rtl/*.v > .hdlgen-lint-baseline.json

A finding is in the baseline when the baseline holds one with the same file, rule and message, counted: two
identical findings in the baseline cover two now, a third is new. Line numbers are not compared, so editing
above a known finding does not turn it into a new one. File names compare as given relative to the current
directory, or absolute, whichever the baseline used.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..verdict import Diagnostic
from .config import ConfigError

Key = tuple[str, str, str]


def _norm(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def load_baseline(path: str | Path) -> Counter[Key]:
    """The baseline's findings as a multiset of (absolute file, rule, message); ConfigError when unusable."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"--baseline {p}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"--baseline {p}: not JSON ({exc}); write it with hdlgen lint --format json") from exc
    rows = data.get("diagnostics") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ConfigError(f"--baseline {p}: expected the output of hdlgen lint --format json")
    return Counter((_norm(str(r.get("file", ""))), str(r.get("code", "")), str(r.get("message", ""))) for r in rows)


def apply_baseline(diags: Sequence[Diagnostic], baseline: Counter[Key]) -> tuple[list[Diagnostic], int]:
    """(the findings not in the baseline, how many were), in the order given."""
    left = Counter(baseline)
    out, known = [], 0
    for d in diags:
        key = (_norm(d.file), d.code, d.message)
        if left[key] > 0:
            left[key] -= 1
            known += 1
        else:
            out.append(d)
    return out, known
