"""Isolation policy: whether an untrusted run may start with the isolation layers this machine has."""

from __future__ import annotations

import os

from ..errors import ToolMissing
from . import landlock


def require_isolation() -> None:
    """With ``HDLGEN_REQUIRE_ISOLATION=1`` refuse to simulate untrusted code without kernel confinement."""
    if os.environ.get("HDLGEN_REQUIRE_ISOLATION", "") not in ("", "0") and not landlock.abi_version():
        raise ToolMissing("HDLGEN_REQUIRE_ISOLATION is set but this kernel has no Landlock (Linux >= 5.13 with "
                          "landlock in the lsm= list, or a container whose seccomp profile allows it)")
