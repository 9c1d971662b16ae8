"""hdlgen — everything LLM around the verification core: generation, rewards, training, filtering, eval, CLI.

Heavy libraries (torch, transformers, trl, vllm) are imported only inside the functions that need them, so
``hdlgen check --help`` and the base install stay light.
"""

__version__ = "0.1.0"
