"""Stage 1, the source: find the Verilog in raw text, name its modules, rename units apart, read ports."""
