"""Stage 3, compile and simulate: Icarus and cocotb, always through :mod:`verilog_sim.sandbox`.

``harness/`` holds package data (the differential cocotb test copied into each scratch directory), not
modules to import.
"""
