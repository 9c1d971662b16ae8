"""Lint configuration: which rules run and at what severity.

Looked up, first found wins: ``--config PATH``; else, walking up from the current directory, a
``.hdlgen-lint.toml`` (keys at top level, or under ``[tool.hdlgen.lint]``) or a ``pyproject.toml`` that has a
``[tool.hdlgen.lint]`` table. Keys::

    disable = ["width-expand"]          # rules to turn off
    enable = ["width-expand"]           # turn back on (applied after disable)
    [tool.hdlgen.lint.severity]         # or [severity] in .hdlgen-lint.toml
    unused = "error"                    # error | warning | info | off
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..verdict import SEVERITIES
from .registry import RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(UserError, ValueError):
    """Bad configuration (unknown rule, bad severity, unreadable TOML): the CLI maps it to exit 2."""


@dataclass(frozen=True)
class LintConfig:
    severity: dict[str, str] = field(default_factory=lambda: {c: r.severity for c, r in RULES.items()})
    source: str | None = None  # file the settings came from, for messages

    def enabled(self, code: str) -> bool:
        return self.severity.get(code, "off") != "off"

    def with_overrides(self, disable: tuple[str, ...] = (), enable: tuple[str, ...] = ()) -> LintConfig:
        return _apply({"disable": list(disable), "enable": list(enable)}, self, "command line")


def _check_code(code: str, where: str) -> None:
    if code not in RULES:
        raise ConfigError(f"{where}: unknown rule {code!r}; valid rules: {', '.join(RULES)}")


def _apply(table: dict[str, Any], base: LintConfig, where: str) -> LintConfig:
    sev = dict(base.severity)
    for key in table:
        if key not in ("disable", "enable", "severity"):
            raise ConfigError(f"{where}: unknown key {key!r} (expected disable, enable, severity)")
    for key in ("disable", "enable"):
        val = table.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
            raise ConfigError(f"{where}: {key} must be a list of rule codes")
    for code in table.get("disable", []):
        _check_code(code, where)
        sev[code] = "off"
    for code in table.get("enable", []):
        _check_code(code, where)
        if sev[code] == "off":
            sev[code] = RULES[code].severity
    levels = table.get("severity", {})
    if not isinstance(levels, dict):
        raise ConfigError(f"{where}: severity must be a table of rule = level")
    for code, level in levels.items():
        _check_code(code, where)
        if level not in (*SEVERITIES, "off"):
            raise ConfigError(f"{where}: severity of {code} must be error, warning, info or off, not {level!r}")
        sev[code] = level
    return LintConfig(sev, where)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _table(data: dict[str, Any], dotted_only: bool) -> dict[str, Any] | None:
    tool = data.get("tool", {}).get("hdlgen", {}).get("lint") if isinstance(data.get("tool"), dict) else None
    if tool is not None or dotted_only:
        return tool
    return {k: v for k, v in data.items() if k != "tool"}


def load_config(path: str | Path | None = None, start: str | Path | None = None) -> LintConfig:
    """Explicit ``path`` or the nearest config above ``start`` (default: cwd); defaults when none."""
    if path is not None:
        p = Path(path)
        data = _read_toml(p)
        table = _table(data, dotted_only=p.name == "pyproject.toml")
        if table is None:
            raise ConfigError(f"{p}: no [tool.hdlgen.lint] table")
        return _apply(table, LintConfig(), str(p))
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        own = d / ".hdlgen-lint.toml"
        if own.is_file():
            return _apply(_table(_read_toml(own), False) or {}, LintConfig(), str(own))
        proj = d / "pyproject.toml"
        if proj.is_file():
            table = _table(_read_toml(proj), True)
            if table is not None:
                return _apply(table, LintConfig(), str(proj))
    return LintConfig()
