"""Stage 4, the judge: one candidate (``verify``) or many (``verify_many``) against a problem → Verdict.

``verify`` runs the pipeline for one candidate; ``batch`` owns "judge N candidates"; ``reference``,
``wrapper`` and ``group`` are the differential check (analyse the golden design, build the harness, run it);
``outcomes`` turns limits and compile failures into verdicts.
"""
