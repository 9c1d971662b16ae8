"""Benchmark evaluation: read samples, judge them in parallel (with a verdict cache), score pass@k, report."""

from .evaluate import Evaluation, evaluate
from .passk import estimate_pass_at_k, pass_at_k
from .runner import SampleResult, run_eval
from .samples import SamplesError, read_samples

__all__ = ["Evaluation", "SampleResult", "SamplesError", "estimate_pass_at_k", "evaluate", "pass_at_k", "read_samples",
           "run_eval"]
