"""Adaptive reasoning depth: the complexity judge (``judge``), depth levels and budgets (``depth``), prompts
(``prompts``) and budget-enforced decoding of the shared ``<think>…</think>`` + fenced Verilog format (``budget``)."""
