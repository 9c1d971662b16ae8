"""Training configs: one YAML holds the model, data, the SFT stages, the GRPO settings and the rewards.

Sections pass through to TRL (``SFTConfig``/``GRPOConfig`` keyword arguments), so the same file runs a tiny
model on CPU and a 7B model on GPUs by changing ``model`` and a few sizes. Mistakes raise :class:`ConfigError`
naming the key (the CLI turns it into exit 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from verilog_sim.errors import UserError

TOP_KEYS = {"model", "output_dir", "seed", "data", "sft", "grpo", "rewards", "eval", "prompt", "lora", "audit"}


class ConfigError(UserError, ValueError):
    """The training config is malformed or names something that does not exist."""


def load_config(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The YAML at ``path`` (or an empty config) with ``overrides`` applied as dotted keys
    (``{"grpo.max_steps": 2}``); relative data paths are resolved against the config file's folder."""
    import yaml

    cfg: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"config file {p} does not exist")
        try:
            cfg = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: invalid YAML: {str(exc).splitlines()[0]}") from exc
        if not isinstance(cfg, dict):
            raise ConfigError(f"{p}: the top level must be a mapping")
        base = p.resolve().parent
    for key, value in (overrides or {}).items():
        set_dotted(cfg, key, value)
    if unknown := set(cfg) - TOP_KEYS:
        raise ConfigError(f"unknown top-level key(s) {sorted(unknown)}; allowed: {sorted(TOP_KEYS)}")
    cfg.setdefault("_base_dir", str(base))
    return cfg


def set_dotted(cfg: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = cfg
    for part in parts[:-1]:
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            raise ConfigError(f"cannot set {key}: {part} is not a section")
        node = nxt
    node[parts[-1]] = value


def resolve_path(cfg: Mapping[str, Any], value: str | None) -> str | None:
    """A path from the config, relative to the config file's folder when that file exists there, else to cwd."""
    if value is None:
        return None
    p = Path(value).expanduser()
    if p.is_absolute() or p.exists():
        return str(p)
    alt = Path(cfg.get("_base_dir", ".")) / p
    return str(alt) if alt.exists() else str(p)


def section(cfg: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = cfg.get(name) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"'{name}' must be a mapping")
    return dict(value)


def trl_args(cls: type, values: Mapping[str, Any], where: str) -> Any:
    """Build a TRL config dataclass, turning an unknown or bad key into a ConfigError that names it."""
    import dataclasses

    known = {f.name for f in dataclasses.fields(cls)}
    if unknown := set(values) - known:
        raise ConfigError(f"{where}: unknown {cls.__name__} option(s) {sorted(unknown)}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc
