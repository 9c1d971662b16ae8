"""Isolation policy: whether an untrusted run may start with the isolation layers this machine has."""

from __future__ import annotations

import os

from ..errors import ToolMissing
from . import bwrap, landlock


def confined() -> bool:
    """True when runs get a kernel layer (bubblewrap or Landlock), not only rlimits and the static guard."""
    return bwrap.available() or bool(landlock.abi_version())


def require_isolation() -> None:
    """With ``HDLGEN_REQUIRE_ISOLATION=1`` refuse to simulate untrusted code without kernel confinement."""
    if os.environ.get("HDLGEN_REQUIRE_ISOLATION", "") not in ("", "0") and not confined():
        raise ToolMissing("HDLGEN_REQUIRE_ISOLATION is set but neither bubblewrap (apt-get install bubblewrap; "
                          "it needs user or mount namespaces) nor Landlock (Linux >= 5.13 with landlock in the "
                          "lsm= list) works here")


def require_confinement_for_python() -> None:
    """A problem's cocotb test is arbitrary Python: never run it with only rlimits and a static scan."""
    if not confined():
        raise ToolMissing("refusing to run a cocotb test (arbitrary Python from the problem) without kernel "
                          "isolation: install bubblewrap (apt-get install bubblewrap) or use a kernel with "
                          "Landlock (Linux >= 5.13)")
