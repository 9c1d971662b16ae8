"""Dataset filtering for Verilog training data: ``hdlgen filter``.

Stream rows (JSONL, CSV in PyraNet's layout, Parquet), run cheap stages before expensive ones (extract,
syntax, quality, dedup, compile, functional simulation, lint), write the kept rows with what was learned
about them, and resume after any interruption with byte-identical output.

Its public names load lazily: the parse worker imports only ``rowcheck`` (and what that needs), not the
readers, the pipeline and the judge, which took it ~1 s to start.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {"Columns": ".config", "FilterConfig": ".config",
            "FilterError": ".pipeline", "Paths": ".pipeline", "run_filter": ".pipeline"}
__all__ = ["Columns", "FilterConfig", "FilterError", "Paths", "run_filter"]

if TYPE_CHECKING:
    from .config import Columns, FilterConfig
    from .pipeline import FilterError, Paths, run_filter


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hdlgen.filter' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
