"""How much of a model's held-out miss rate is sampling noise? Pass@1 of a learn_tiny model at several sampling
temperatures, the verdict statuses of the samples, and the score of answering each problem with its most
frequent sample (the ceiling of pure sharpening).

    python benchmarks/learn_tiny_temperature.py OUT/sft OUT/heldout_problems.jsonl --samples 32 --temps 1.0,0.6,0.3

``OUT`` is a ``benchmarks/learn_tiny.py`` output directory (``OUT/sft`` the model after SFT, ``OUT/grpo/final``
after GRPO). Prints one JSON line per temperature.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from learn_tiny import judge, problems_of  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("problems", type=Path, help="problem JSONL (learn_tiny writes OUT/heldout_problems.jsonl)")
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--temps", default="1.0,0.6,0.3")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1000)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    from hdlgen.models import load_causal_lm
    from hdlgen.rewards.cache import problem_key
    from hdlgen.train.data import prefill_text, problem_messages
    from hdlgen.train.tiny import sample

    rows = [json.loads(line) for line in args.problems.read_text().splitlines() if line.strip()]
    probs = problems_of(rows)
    model, tok = load_causal_lm(str(args.model))
    msgs = [problem_messages(p, "none", 0, prefill=True) for p in probs]
    prefixes = [prefill_text(p) for p in probs]
    memo: dict[tuple[str, str], str] = {}
    for temp in (float(t) for t in args.temps.split(",")):
        t0 = time.perf_counter()
        outs = sample(model, tok, msgs, n=args.samples, temperature=temp, max_new_tokens=args.max_new_tokens,
                      seed=args.seed)
        flags, _, statuses = judge(probs, prefixes, outs, seed=0, cycles=None, memo=memo)
        modal = [memo[(problem_key(p), pre + Counter(o).most_common(1)[0][0])] == "pass"
                 for p, pre, o in zip(probs, prefixes, outs)]
        per_problem = [sum(f) / len(f) for f in flags]
        print(json.dumps({"temperature": temp, "pass_at_1": round(sum(per_problem) / len(per_problem), 4),
                          "modal_answer_pass": round(sum(modal) / len(modal), 4), "verdicts": statuses,
                          "problems": len(probs), "samples": args.samples,
                          "per_problem": [round(r, 4) for r in per_problem],
                          "seconds": round(time.perf_counter() - t0)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
