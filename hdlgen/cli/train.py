"""``hdlgen train sft|grpo``: thin shells over :mod:`hdlgen.train` (config errors exit 2 with one line)."""

from __future__ import annotations

from typing import Any

import click

from ._common import ToolError, emit_json

_common_options = [
    click.option("--config", "config", type=click.Path(dir_okay=False), help="Training YAML (see configs/)."),
    click.option("--model", help="Model to start from: smollm2-135m, a local folder, a hub id (overrides config)."),
    click.option("--output-dir", help="Where checkpoints, metrics.jsonl and the final model go (overrides config)."),
    click.option("--max-steps", type=click.IntRange(1), help="Optimizer steps (overrides config)."),
    click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                 help="Override any config key, dotted, value in YAML: --set grpo.learning_rate=1e-6"),
]


def common(f: Any) -> Any:
    for opt in reversed(_common_options):
        f = opt(f)
    return f


def _load(config: str | None, model: str | None, output_dir: str | None, sets: tuple[str, ...]) -> dict[str, Any]:
    import yaml

    from hdlgen.train.config import ConfigError, load_config

    overrides: dict[str, Any] = {}
    for item in sets:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        overrides[key] = yaml.safe_load(raw)
    if model:
        overrides["model"] = model
    if output_dir:
        overrides["output_dir"] = output_dir
    try:
        return load_config(config, overrides)
    except ConfigError as exc:
        raise ToolError(str(exc)) from exc


def _guard(run: Any) -> Any:
    """Map the training stack's expected failures to exit 2 with one line."""
    from hdlgen.train.config import ConfigError

    try:
        from hdlgen.models import ModelLoadError
    except ImportError:  # pragma: no cover
        ModelLoadError = ConfigError  # type: ignore[misc,assignment]
    try:
        return run()
    except ModuleNotFoundError as exc:
        raise ToolError(f"training needs {exc.name}: pip install 'hdlgen[train]'") from exc
    except (ConfigError, ModelLoadError) as exc:
        raise ToolError(str(exc)) from exc


@click.group()
def train() -> None:
    """Train a Verilog model: two-stage SFT (LoRA, then full-parameter) or GRPO with verifier rewards.

    \b
    Examples:
      hdlgen train sft --config configs/sft_cpu_tiny.yaml
      hdlgen train grpo --config configs/grpo_cpu_tiny.yaml --max-steps 20
      hdlgen train grpo --config configs/grpo_gpu_7b.yaml --set grpo.num_generations=16
    """


@train.command()
@common
@click.option("--stage", help="Run only this stage (its input is the previous stage's output folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the stage output folders as JSON.")
def sft(config: str | None, model: str | None, output_dir: str | None, max_steps: int | None,
        sets: tuple[str, ...], stage: str | None, as_json: bool) -> None:
    """Supervised fine-tuning in stages from JSONL records {prompt, code} / {prompt, reasoning, code}."""
    cfg = _load(config, model, output_dir, sets)
    if max_steps:
        for st in (cfg.get("sft") or {}).get("stages") or []:
            if isinstance(st, dict):
                st.setdefault("args", {})["max_steps"] = max_steps

    def run() -> Any:
        from hdlgen.train.sft import run_sft

        return run_sft(cfg, only=stage, log=None if as_json else lambda m: click.echo(m, err=True))

    outputs = _guard(run)
    if as_json:
        emit_json({k: str(v) for k, v in outputs.items()})
    else:
        for name, path in outputs.items():
            click.echo(f"{name}: {path}")


@train.command()
@common
def grpo(config: str | None, model: str | None, output_dir: str | None, max_steps: int | None,
         sets: tuple[str, ...]) -> None:
    """GRPO on TRL's GRPOTrainer with rewards from the verifier (functional, compile, format, length).

    Logs every reward component and eval/verified_pass_rate to OUTPUT_DIR/metrics.jsonl.
    """
    cfg = _load(config, model, output_dir, sets)
    if max_steps:
        cfg.setdefault("grpo", {})["max_steps"] = max_steps

    def run() -> Any:
        from hdlgen.train.grpo import run_grpo

        return run_grpo(cfg, log=lambda m: click.echo(m, err=True))

    final = _guard(run)
    click.echo(f"final model: {final}")
