"""Reading JSON Lines where every error names ``path:line``: the one loop samples, problems and SFT data share."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import UserError


def read_jsonl(path: str | Path, error: type[UserError] = UserError, what: str = "") -> Iterator[tuple[str, Any]]:
    """``(where, value)`` for each non-blank line, ``where`` being ``"path:line"`` for the caller's own messages.

    ``what`` names the file's role in messages ("samples").
    An unreadable file or a line that is not JSON raises ``error`` with the file (and line) in its message.
    """
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {what + ' ' if what else ''}{path}: {exc.strerror or exc}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise error(f"{path}:{n}: invalid JSON: {exc.msg}") from exc
            yield f"{path}:{n}", value
