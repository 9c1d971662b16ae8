"""Stage 2, the front end: syntax checks (pyslang, pyverilog) and what in-process parsers may see."""
