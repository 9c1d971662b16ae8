"""What the in-process parsers may see of untrusted code.

pyslang (syntax check, lint) runs inside our own process, outside the sandbox, so it must never follow an
`` `include`` named by generated code (it would read any file we can, or hang on ``/dev/zero``) nor expand its
macros (a 20-level doubling macro takes pyslang ~50 s). Such sources are judged by the sandboxed compile alone.
"""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"`([A-Za-z_]\w*)")
_HARMLESS_DIRECTIVES = frozenset({"timescale", "default_nettype", "resetall", "celldefine", "endcelldefine",
                                  "unconnected_drive", "nounconnected_drive", "begin_keywords", "end_keywords"})


def needs_sandboxed_preprocessing(code: str) -> bool:
    """True when untrusted code uses `include or macros. The in-process parser must never open a path the
    code names (it would leak any readable file, or hang on /dev/zero) nor expand macros (a 20-level doubling
    macro takes pyslang ~50 s): such sources skip it and are judged by the sandboxed compile alone."""
    return any(m.group(1) not in _HARMLESS_DIRECTIVES for m in _DIRECTIVE.finditer(code))
