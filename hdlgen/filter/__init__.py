"""Dataset filtering for Verilog training data: ``hdlgen filter``.

Stream rows (JSONL, CSV in PyraNet's layout, Parquet), run cheap stages before expensive ones (extract,
syntax, quality, dedup, compile, functional simulation, lint), write the kept rows with what was learned
about them, and resume after any interruption with byte-identical output.
"""

from .config import Columns, FilterConfig
from .pipeline import FilterError, Paths, run_filter

__all__ = ["Columns", "FilterConfig", "FilterError", "Paths", "run_filter"]
