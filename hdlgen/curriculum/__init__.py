"""Procedural problem families with verified references: an unlimited curriculum for SFT and RL.

    from hdlgen.curriculum import synth
    rows = synth(100, seed=0, split="train")      # problem-format dicts with family, difficulty, split

The CLI is ``hdlgen problems synth``. No ML imports here.
"""

from .families import DIFFICULTY, FAMILIES, Design
from .synth import SPLITS, RefCheck, SynthError, check_references, split_of, synth

__all__ = ["DIFFICULTY", "FAMILIES", "SPLITS", "Design", "RefCheck", "SynthError", "check_references", "split_of",
           "synth"]
