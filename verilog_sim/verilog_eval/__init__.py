"""VerilogEval v1/v2: the official rules (``rules``) and shared runs of many candidates (``shared_run``)."""
