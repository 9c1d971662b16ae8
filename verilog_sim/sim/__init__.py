"""Stage 3, compile and simulate: Icarus and cocotb, always through :mod:`verilog_sim.sandbox`.

``harness/`` holds package data, not modules to import: the differential cocotb test (copied into each
scratch directory) and ``hdlgen_report`` (loaded by cocotb from its own folder: the report channel the design
cannot reach). ``tbreport`` tags a Verilog testbench's output with a per-run nonce; ``simulate.compile_result``
is the one home of "did iverilog compile?".
"""
