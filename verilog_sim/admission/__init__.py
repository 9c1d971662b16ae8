"""Admission: may this candidate share a simulation with a harness and other candidates? (see ``rules``)."""

from .gate import admit, defined_macros, seal

__all__ = ["admit", "defined_macros", "seal"]
