"""Every untrusted compile and simulation runs here: scratch directories, OS limits, isolation layers.

``run`` starts one child under :class:`Limits`; ``landlock`` and ``pathguard`` are the isolation layers;
``policy`` decides whether an untrusted run may go ahead without kernel confinement.
"""

from .run import DEFAULT_TIMEOUT_S, Limits, RunResult, Scratch, base_env, isolation_name, run, toolchain_read_paths

__all__ = ["DEFAULT_TIMEOUT_S", "Limits", "RunResult", "Scratch", "base_env", "isolation_name", "run", "toolchain_read_paths"]
