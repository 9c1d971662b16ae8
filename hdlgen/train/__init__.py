"""Training recipes on TRL: two-stage SFT (LoRA then full-parameter) and GRPO with verifier rewards.

Heavy imports (torch, transformers, trl, peft) happen inside the functions; importing this package is cheap.
"""

from .config import ConfigError, load_config

__all__ = ["ConfigError", "load_config"]
