"""Does the reward loop teach? A tiny LM from scratch: SFT on train families, then GRPO through the production
path (``hdlgen train grpo``, TRL's GRPOTrainer, the project's rewards, ``verify_many``); held-out pass@1
before and after with a paired 95% bootstrap interval (each distinct held-out reply judged alone by
``verilog_sim.verify``), and every pass the reward paid re-judged alone.

    python benchmarks/learn_tiny.py --out /tmp/learn_tiny            # default seed 0; about 19 min on 2 idle cores
    python benchmarks/learn_tiny.py --out /tmp/lt1 --seed 1 --no-results

Writes ``OUT/summary.json`` (heldout_pass_before/after, gain_ci95, heldout_problems, samples_per_problem,
rejudge_failures, ...), ``OUT/curve.csv`` and ``OUT/curve.png`` (GRPO per step), and with ``--results`` (the
default for seed 0) copies them to ``benchmarks/results/learn_tiny/``.

Fresh problems (``--fresh``) are unseen draws from the training combinations: new names, phrasing and widths.
Held-out problems come from parameter combinations the split keeps out of training (``hdlgen.curriculum``):
unseen (operation, width), (direction, enable, reset kind, polarity)... within families the model trained on.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FAMILIES = ["bitwise", "arith", "compare", "mux", "parity", "decoder", "counter", "shift", "edge"]
CONFIG = REPO / "configs" / "grpo_learn_tiny.yaml"
RESULTS = REPO / "benchmarks" / "results" / "learn_tiny"


def cpu_seconds() -> float:
    """CPU time of this process and the children it waited for (GRPO, tokenizer and model work). Simulations
    run inside the sandbox are mostly not counted (their processes are not reaped through this process's
    children: 8 verifications of 5.5 s wall at one busy core reported 0.7 s here), so this is a lower bound."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def problems_of(rows: list[dict[str, Any]]) -> list[Any]:
    from verilog_sim import Problem

    return [Problem.from_dict({k: v for k, v in r.items() if v is not None}) for r in rows]


def judge(problems: list[Any], prefixes: list[str], samples: Iterable[list[str]], *, seed: int,
          cycles: int | None, memo: dict[tuple[str, str], str] | None = None, workers: int = 1
          ) -> tuple[list[list[bool]], list[tuple[Any, str]], dict[str, int]]:
    """Pass flags per problem and sample, the passing (problem, text) pairs, and how many samples got each
    verdict status (``syntax_error``, ``fail``...: what the misses are made of).

    Each distinct reply is judged alone through ``verilog_sim.verify``, the strictest path (admission rules,
    sandbox, the formal tier on a simulated pass), in ``workers`` threads: a held-out score needs no re-judging
    of its own, and at T=0.2 a problem's 8 samples hold 1.3 distinct replies on average, so this costs fewer
    simulations than one batch per problem plus re-judging its passes alone (measured: 538 distinct replies of
    3,200 samples on seed 0's SFT model). ``samples`` (one list per problem, in order) may be a generator still
    sampling: each problem's replies are judged as soon as they arrive.

    ``memo`` maps (problem digest, text) to a verdict status already judged with the same ``seed`` and ``cycles``: the
    models before and after GRPO repeat most of each other's replies, and a verdict depends only on the problem,
    the text and the run settings, so each distinct reply is simulated once per run."""
    from concurrent.futures import ThreadPoolExecutor

    from hdlgen.rewards.cache import problem_key
    from verilog_sim import verify

    memo = {} if memo is None else memo
    keys = [problem_key(p) for p in problems]
    texts: list[list[str]] = []
    pending: dict[tuple[str, str], Any] = {}
    with ThreadPoolExecutor(max(1, workers)) as pool:
        for prob, key, pre, outs in zip(problems, keys, prefixes, samples):
            texts.append([pre + o for o in outs])
            for t in texts[-1]:
                if (key, t) not in memo and (key, t) not in pending:
                    pending[(key, t)] = pool.submit(verify, prob, t, seed=seed, cycles=cycles)
    memo.update((kt, fut.result().status.value) for kt, fut in pending.items())
    flags, passes, statuses = [], [], Counter()
    for prob, key, ts in zip(problems, keys, texts):
        row = [memo[(key, t)] for t in ts]
        statuses.update(row)
        flags.append([st == "pass" for st in row])
        passes += [(prob, t) for t, st in zip(ts, row) if st == "pass"]
    return flags, passes, dict(sorted(statuses.items()))


class Rejudge:
    """Each distinct passing (problem, text) judged again alone through ``verilog_sim.verify`` against the
    reference, in worker threads from the moment it is submitted. Identical texts get identical verdicts (same
    seed and cycles), so each is judged once.

    It starts narrow: while GRPO trains, one verdict at a time re-judges the rollouts' passes as they are logged
    (beside the pre-GRPO evaluation; GRPO keeps a core); :meth:`widen` lets all ``workers`` run once GRPO is done,
    beside the post-GRPO evaluation. Every stage is CPU-bound (README: where the run's 19 minutes go)."""

    def __init__(self, workers: int = 3) -> None:
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self.workers = workers
        self.pool = ThreadPoolExecutor(workers)
        self.gate = threading.Semaphore(1)
        self.wide = False
        self.jobs: dict[tuple[Any, ...], Any] = {}
        self.t0: float | None = None

    def widen(self) -> None:
        """Let every worker judge at once (call when GRPO no longer needs a core)."""
        if not self.wide:
            self.wide = True
            for _ in range(self.workers - 1):
                self.gate.release()

    def _one(self, prob: Any, text: str, seed: int, cycles: int | None) -> dict[str, Any] | None:
        from verilog_sim import verify

        with self.gate:
            v = verify(prob, text, seed=seed, cycles=cycles)
        if v.status.value == "pass":
            return None
        return {"task_id": prob.task_id, "status": v.status.value, "message": v.message, "text": text}

    def submit(self, passes: list[tuple[Any, str]], *, seed: int, cycles: int | None) -> None:
        for prob, text in passes:
            key = (seed, cycles, prob.task_id, text)
            if key not in self.jobs:
                self.t0 = time.perf_counter() if self.t0 is None else self.t0
                self.jobs[key] = self.pool.submit(self._one, prob, text, seed, cycles)

    def failures(self, passes: list[tuple[Any, str]], *, seed: int,
                 cycles: int | None) -> tuple[int, list[dict[str, Any]]]:
        """(distinct count, failures) of ``passes``, waiting for their verdicts (all workers on them)."""
        self.widen()
        self.submit(passes, seed=seed, cycles=cycles)
        keys = list(dict.fromkeys((seed, cycles, prob.task_id, text) for prob, text in passes))
        bad = [r for r in (self.jobs[k].result() for k in keys) if r is not None]
        return len(keys), bad

    def seconds(self) -> float:
        """Wall time from the first submission: re-judging that overlapped other work counts too."""
        return 0.0 if self.t0 is None else time.perf_counter() - self.t0

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def read_passes(path: Path, start: int = 0) -> tuple[list[tuple[Any, str]], int]:
    """The (problem, text) pairs ``audit.passes`` logged in ``path`` on the lines finished after byte ``start``,
    and the byte where the next read starts: GRPO is still appending while its passes are re-judged, so each
    poll parses only what is new (from 0 again if the file is now shorter than ``start``: started over)."""
    from verilog_sim import Problem

    data = path.read_bytes() if path.is_file() else b""
    start = start if start <= len(data) else 0
    end = data.rfind(b"\n", start) + 1 or start
    passes = []
    for line in data[start:end].decode().splitlines():
        rec = json.loads(line)
        prob = Problem.from_dict({k: v for k, v in rec["problem"].items() if v is not None})
        passes.append((prob, rec["text"]))
    return passes, end


def grpo_passes(grpo_dir: Path) -> list[tuple[Any, str]]:
    """Every (problem, text) the GRPO reward paid (``passes.jsonl``); while GRPO still writes it, the lines
    finished so far."""
    return read_passes(grpo_dir / "passes.jsonl")[0]


def audit_totals(path: Path) -> dict[str, Any]:
    """The GRPO rollouts' verdict statuses and admission-rule hits, summed over the reward calls
    (``audit.jsonl``, written by ``hdlgen.train.wrappers.PassLog``)."""
    total: dict[str, Any] = {"completions": 0, "statuses": {}, "admission": {}}
    for line in path.read_text().splitlines() if path.is_file() else []:
        rec = json.loads(line)
        total["completions"] += rec["completions"]
        for key in ("statuses", "admission"):
            for k, n in rec[key].items():
                total[key][k] = total[key].get(k, 0) + n
    return total


def spread(per_problem: list[float]) -> dict[str, float]:
    """How the held-out misses are made: problems never solved, always solved, and the mean within-problem
    variance p(1-p) of the samples (0: every miss is systematic; 0.25: a coin flip on every problem)."""
    n = len(per_problem)
    return {"never": sum(p == 0 for p in per_problem), "always": sum(p == 1 for p in per_problem),
            "sometimes": sum(0 < p < 1 for p in per_problem),
            "mean_p_1_minus_p": round(sum(p * (1 - p) for p in per_problem) / n, 4)}


def side_summary(prefix: str, before: dict[str, Any], after: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same paired comparison for a second evaluation (``fresh``: unseen problems of the training
    combinations; ``heldout_t1``: the held-out problems sampled at GRPO's rollout temperature), keys ``prefix_*``."""
    lo, hi = bootstrap_gain(before["per_problem"], after["per_problem"], seed=seed)
    return {f"{prefix}_problems": len(before["per_problem"]), f"{prefix}_samples": before["settings"]["samples"],
            f"{prefix}_temperature": before["settings"]["temperature"],
            f"{prefix}_pass_before": round(before["pass"], 4), f"{prefix}_pass_after": round(after["pass"], 4),
            f"{prefix}_gain_ci95": [round(lo, 4), round(hi, 4)],
            f"{prefix}_by_family_before": before["by_family"], f"{prefix}_by_family_after": after["by_family"],
            f"{prefix}_verdicts_before": before.get("statuses"), f"{prefix}_verdicts_after": after.get("statuses")}


def bootstrap_gain(before: list[float], after: list[float], *, reps: int = 10000, seed: int = 0,
                   clusters: list[str] | None = None) -> list[float]:
    """95% percentile interval of mean(after - before), resampling problems (paired), or with ``clusters`` (one
    key per problem) resampling whole clusters of problems."""
    return pooled_gain([(before, after)], reps=reps, seed=seed,
                       clusters=None if clusters is None else [clusters])[1]


def design_key(row: dict[str, Any]) -> str:
    """What a held-out problem asks for, without its names and phrasing: its family and the parameters the
    generator drew (the same partition as the reference with its module name replaced, on every family). One
    held-out draw repeats designs (47 distinct among seed 0's 100 proxy problems, 71 among the tiny run's 300);
    resampling by this key asks whether the gain holds for designs, not only for draws from the generator."""
    return json.dumps([row["family"], row["params"]], sort_keys=True)


def pooled_gain(runs: list[tuple[list[float], list[float]]], *, reps: int = 10000, seed: int = 0,
                clusters: list[list[str]] | None = None) -> tuple[float, list[float]]:
    """(mean over runs of mean(after - before), its 95% percentile interval), resampling problems within each
    run (paired, stratified), so every run (seed) weighs the same whatever its number of problems. With
    ``clusters`` (per run, one key per problem) the resampled unit is a cluster of problems with the same key
    (a cluster bootstrap: problems that share a design are not independent evidence)."""
    rng = random.Random(seed)
    diffs = [[a - b for b, a in zip(before, after)] for before, after in runs]
    point = sum(sum(d) / len(d) for d in diffs) / len(diffs)
    if clusters is None:
        clusters = [[str(i) for i in range(len(d))] for d in diffs]
    units = []
    for d, keys in zip(diffs, clusters):
        groups: dict[str, list[float]] = {}
        for key, x in zip(keys, d):
            groups.setdefault(key, []).append(x)
        units.append([(sum(g), len(g)) for g in groups.values()])
    means = []
    for _ in range(reps):
        total = 0.0
        for u in units:
            k = len(u)
            picks = [u[rng.randrange(k)] for _ in range(k)]
            total += sum(s for s, _ in picks) / sum(n for _, n in picks)
        means.append(total / len(units))
    means.sort()
    return point, [means[int(0.025 * reps)], means[int(0.975 * reps) - 1]]


def evaluate(model_dir: Path, rows: list[dict[str, Any]], args: argparse.Namespace, tag: str,
             cache: Path, *, samples: int | None = None, temperature: float | None = None,
             memo: dict[tuple[str, str], str] | None = None, workers: int = 1) -> dict[str, Any]:
    """Pass@1: ``samples`` (default ``args.samples``) completions per problem sampled at ``temperature`` (default
    ``args.temperature``), each distinct one judged alone (:func:`judge`, ``workers`` at once). The result (with
    the passing texts) is kept in ``cache`` so a resumed run does not sample again."""
    probs = problems_of(rows)
    samples = samples or args.samples
    temperature = args.temperature if temperature is None else temperature
    settings = {"samples": samples, "temperature": temperature, "max_new_tokens": args.max_new_tokens,
                "verify_seed": args.verify_seed, "cycles": args.cycles, "problems": [p.task_id for p in probs],
                "judged": "alone"}
    cached = json.loads(cache.read_text()) if args.resume and cache.is_file() else None
    if cached is not None and cached.get("settings") != settings:
        log(f"{tag}: {cache} was made with other settings; sampling again")
        cached = None
    if cached is not None:
        res = cached
        by_id = {p.task_id: p for p in probs}
        res["passes"] = [(by_id[t], text) for t, text in res["passes"]]
        log(f"{tag}: pass@1 {res['pass']:.3f} (from {cache})")
        return res
    from hdlgen.models import load_causal_lm
    from hdlgen.train.data import prefill_text, problem_messages
    from hdlgen.train.tiny import iter_sample

    model, tok = load_causal_lm(str(model_dir))
    msgs = [problem_messages(p, "none", 0, prefill=True) for p in probs]
    t0 = time.perf_counter()
    outs: list[list[str]] = []
    sampled = iter_sample(model, tok, msgs, n=samples, temperature=temperature, max_new_tokens=args.max_new_tokens,
                          seed=args.seed + 1000)
    flags, passes, statuses = judge(probs, [prefill_text(p) for p in probs], (outs.append(o) or o for o in sampled),
                                    seed=args.verify_seed, cycles=args.cycles, memo=memo, workers=workers)
    per_problem = [sum(f) / len(f) for f in flags]
    by_family: dict[str, list[float]] = {}
    for r, rate in zip(rows, per_problem):
        by_family.setdefault(r["family"], []).append(rate)
    res = {"pass": sum(per_problem) / len(per_problem), "per_problem": per_problem,
           "by_family": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_family.items())},
           "passes": passes, "statuses": statuses, "seconds": round(time.perf_counter() - t0, 1), "settings": settings,
           "example": {"prompt": msgs[0][1]["content"], "prefill": prefill_text(probs[0]), "completion": outs[0][0]}}
    log(f"{tag}: pass@1 {res['pass']:.3f} ({len(rows)} problems x {samples} at T={temperature}), by family "
        f"{res['by_family']}, verdicts {statuses} [{res['seconds']} s]")
    cache.write_text(json.dumps({**res, "passes": [(p.task_id, t) for p, t in passes]}))
    return res


def curve(metrics: Path, out: Path) -> list[dict[str, Any]]:
    """GRPO per step from TRL's log lines: reward components, within-group reward std, KL, entropy, length."""
    keys = {"reward": "reward", "reward_std": "reward_std", "functional": "rewards/functional/mean",
            "compile": "rewards/compile/mean", "frac_zero_std": "frac_reward_zero_std", "kl": "kl",
            "entropy": "entropy", "completion_length": "completions/mean_length", "learning_rate": "learning_rate",
            "loss": "loss", "grad_norm": "grad_norm"}
    rows = []
    for line in metrics.read_text().splitlines():
        rec = json.loads(line)
        if "reward" not in rec:
            continue
        rows.append({"step": rec["step"], **{k: rec.get(v) for k, v in keys.items()}})
    with (out / "curve.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["step", *keys])
        w.writeheader()
        w.writerows(rows)
    return rows


def plot(rows: list[dict[str, Any]], summary: dict[str, Any], out: Path) -> list[str]:
    """``out/curve.png``: the reward components this run's reward had, completion length and the held-out gain.
    Returns the reward components drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [r["step"] for r in rows]
    fig, (ax1, ax3, ax2) = plt.subplots(1, 3, figsize=(15, 4))

    def smooth(vals: list[float], k: int = 5) -> list[float]:
        return [sum(vals[max(0, i - k + 1):i + 1]) / len(vals[max(0, i - k + 1):i + 1]) for i in range(len(vals))]

    drawn = []
    for key, label in (("functional", "functional (pass) reward"), ("compile", "compile reward")):
        if all(r[key] is None for r in rows):
            continue  # not a component of this run's reward
        drawn.append(key)
        vals = [r[key] or 0.0 for r in rows]
        ax1.plot(steps, vals, alpha=0.3)
        ax1.plot(steps, smooth(vals), label=f"{label} (5-step mean)")
    ax1.set_xlabel("GRPO step")
    ax1.set_ylabel("mean over the step's completions (train problems)")
    ax1.set_ylim(0, 1.05)
    ax1.legend(fontsize=8)
    ax1.set_title("GRPO rewards, train problems")
    ax3.plot(steps, [r["completion_length"] or 0.0 for r in rows], label="completion (tokens)")
    ax3.set_xlabel("GRPO step")
    ax3.set_ylabel("mean length over the step's completions")
    ax3.set_ylim(bottom=0)
    ax3.legend(fontsize=8)
    ax3.set_title("completion length (reasoning: 0, depth none)")
    b, a = summary["heldout_pass_before"], summary["heldout_pass_after"]
    lo, hi = summary["gain_ci95"]
    ax2.bar(["after SFT", "after GRPO"], [b, a], color=["#999", "#2a7"])
    ax2.errorbar([1], [a], yerr=[[a - (b + lo)], [(b + hi) - a]], fmt="none", color="k", capsize=6)
    ax2.set_ylim(0, 1)
    ax2.set_ylabel(f"held-out pass@1 ({summary['heldout_problems']} problems x {summary['samples_per_problem']}, "
                   f"T={summary['temperature']})")
    ax2.set_title(f"held-out: gain {a - b:+.3f}, 95% CI [{lo:+.3f}, {hi:+.3f}]")
    label = summary.get("model_label") or f"tiny LM ({summary['model_params'] / 1e6:.1f}M params)"
    fig.suptitle(f"{label}, seed {summary['seed']}")
    fig.tight_layout()
    fig.savefig(out / "curve.png", dpi=110)
    plt.close(fig)
    return drawn


def score_run(before: dict[str, Any], after: dict[str, Any], grpo_dir: Path, out: Path,
              args: argparse.Namespace, rejudger: Rejudge | None = None,
              held_rows: list[dict[str, Any]] | None = None
              ) -> tuple[dict[str, Any], list[dict[str, Any]], float]:
    """What every learning run reports after GRPO: the held-out comparison with its paired interval, every pass
    the GRPO reward paid (logged by ``audit.passes``) judged again alone (by ``rejudger``, which may have started
    on them already; the held-out samples were judged alone in the first place), the rollouts' verdict tally
    and the GRPO curve (written to ``out``).
    Returns (summary fields, curve rows, re-judging seconds)."""
    rejudger = rejudger or Rejudge()
    train_passes = grpo_passes(grpo_dir)
    try:
        n_train, bad = rejudger.failures(train_passes, seed=0, cycles=None)  # the reward's settings
    finally:
        rejudger.close()
    rejudge_seconds = rejudger.seconds()
    log(f"rejudge: {len(train_passes)} GRPO passes ({n_train} distinct); {len(bad)} fail alone "
        f"[{rejudge_seconds:.0f} s from the first submission]")
    rows = curve(grpo_dir / "metrics.jsonl", out)
    lo, hi = bootstrap_gain(before["per_problem"], after["per_problem"], seed=args.seed)
    by_design = {}
    if held_rows is not None:  # the interval resampling designs too (design_key)
        designs = [design_key(r) for r in held_rows]
        dlo, dhi = bootstrap_gain(before["per_problem"], after["per_problem"], seed=args.seed, clusters=designs)
        by_design = {"heldout_designs": len(set(designs)), "gain_ci95_by_design": [round(dlo, 4), round(dhi, 4)],
                     "heldout_design_keys": designs}  # learn_pool.py pools by design from the summary alone
    q = len(rows) // 4 or 1
    fields = {
        "seed": args.seed, "heldout_pass_before": round(before["pass"], 4),
        "heldout_pass_after": round(after["pass"], 4), "gain": round(after["pass"] - before["pass"], 4),
        "gain_ci95": [round(lo, 4), round(hi, 4)], **by_design, "samples_per_problem": args.samples,
        "temperature": args.temperature,
        "heldout_by_family_before": before["by_family"], "heldout_by_family_after": after["by_family"],
        "heldout_spread_before": spread(before["per_problem"]), "heldout_spread_after": spread(after["per_problem"]),
        "heldout_verdicts_before": before.get("statuses"), "heldout_verdicts_after": after.get("statuses"),
        "heldout_per_problem_before": before["per_problem"], "heldout_per_problem_after": after["per_problem"],
        "heldout_judged": "alone",  # verilog_sim.verify per distinct reply (formal tier included): no re-judging
        "rejudge_passes": len(train_passes), "rejudge_distinct_judged": n_train,
        "rejudge_failures": len(bad), "rejudge_failure_examples": bad[:5],
        "grpo_rollout_verdicts": audit_totals(grpo_dir / "audit.jsonl"),
        "train_reward_functional_first_quarter": round(sum(r["functional"] or 0 for r in rows[:q]) / q, 4),
        "train_reward_functional_last_quarter": round(sum(r["functional"] or 0 for r in rows[-q:]) / q, 4),
        "grpo_steps": len(rows),
    }
    return fields, rows, rejudge_seconds


def report(summary: dict[str, Any], rows: list[dict[str, Any]], out: Path, results: Path | None) -> None:
    """``out/summary.json`` and ``out/curve.png``, the closing log line, and a copy to ``results`` if given."""
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    plot(rows, summary, out)
    lo, hi = summary["gain_ci95"]
    log(f"held-out pass@1 {summary['heldout_pass_before']:.3f} -> {summary['heldout_pass_after']:.3f}, gain CI95 "
        f"[{lo:+.3f}, {hi:+.3f}]; rejudge failures {summary['rejudge_failures']}; "
        f"rollouts {summary['grpo_rollout_verdicts']}; {summary['seconds']}")
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
        for name in ("summary.json", "curve.csv", "curve.png"):
            shutil.copy(out / name, results / name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sft-problems", type=int, default=3000)
    ap.add_argument("--sft-steps", type=int, default=150)
    ap.add_argument("--sft-batch", type=int, default=24)
    ap.add_argument("--hidden", type=int, default=160, help="model width (hdlgen.train.tiny.new_model)")
    ap.add_argument("--layers", type=int, default=4, help="transformer layers")
    ap.add_argument("--ffn", type=int, default=448, help="MLP width")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a shared 2-core box)")
    ap.add_argument("--grpo-problems", type=int, default=400)
    ap.add_argument("--grpo-steps", type=int, default=None, help="default: the config's grpo.max_steps")
    ap.add_argument("--heldout", type=int, default=300,
                    help="held-out problems scored before and after GRPO (300 keeps the run under 20 minutes on 2 "
                         "cores; the first N of a larger draw are the same problems)")
    ap.add_argument("--fresh", type=int, default=0,
                    help="also score this many unseen problems from the TRAINING combinations (new names, phrasing "
                         "and draws): does GRPO help beyond its own prompts? 0 (the default) skips")
    ap.add_argument("--naming", choices=["plain", "random"], default="plain",
                    help="port names: plain (a, b, y, q...) or random (the model must copy them from the header)")
    ap.add_argument("--samples", type=int, default=8,
                    help="sampled completions per held-out problem at --temperature (at 0.2 a problem's samples "
                         "mostly agree, so more problems narrow the interval more than more samples)")
    ap.add_argument("--temperature", type=float, default=0.2,
                    help="sampling temperature of the held-out score: 0.2 is what `hdlgen generate` uses and the "
                         "usual pass@1 setting; at 1.0 about 15%% of this model's samples do not parse (README)")
    ap.add_argument("--t1-samples", type=int, default=0,
                    help="also score the held-out problems at temperature 1.0, GRPO's rollout temperature, with "
                         "this many samples per problem (summary keys heldout_t1_*); 0 (the default) skips")
    ap.add_argument("--fresh-samples", type=int, default=16, help="sampled completions per fresh problem")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--verify-seed", type=int, default=0)
    ap.add_argument("--cycles", type=int, default=None)
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--resume", action="store_true",
                    help="reuse what an interrupted run with the same arguments left in OUT (SFT model, evals, GRPO)")
    ap.add_argument("--results", action=argparse.BooleanOptionalAction, default=None,
                    help="copy summary and curve to benchmarks/results/learn_tiny (default: only for seed 0)")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    import torch

    torch.set_num_threads(args.threads)
    from hdlgen.curriculum import synth
    from hdlgen.train.data import problem_messages
    from hdlgen.train.tiny import n_params, new_model, prompt_ids, save, sft, train_tokenizer

    s = args.seed
    # the problems: SFT and GRPO on train combinations (different draws), held-out combinations for the score
    sft_rows = synth(args.sft_problems, seed=10_000 + s, families=FAMILIES, split="train", naming=args.naming)
    grpo_rows = synth(args.grpo_problems, seed=20_000 + s, families=FAMILIES, split="train",
                      naming=args.naming)
    held_rows = synth(args.heldout, seed=30_000 + s, families=FAMILIES, split="heldout", naming=args.naming)
    fresh_rows = synth(args.fresh, seed=40_000 + s, families=FAMILIES, split="train", naming=args.naming)
    (out / "grpo_problems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in grpo_rows))
    (out / "heldout_problems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in held_rows))
    sft_probs = problems_of(sft_rows)
    pairs = [(problem_messages(p, "none", 0, prefill=True), r["body"] + "endmodule\n```")
             for p, r in zip(sft_probs, sft_rows)]
    corpus = [m[1]["content"] + "\n" + m[2]["content"] + c for m, c in pairs]
    t0 = time.perf_counter()
    if args.resume and (out / "sft" / "losses.json").is_file():
        from hdlgen.models import load_causal_lm

        model, tok = load_causal_lm(str(out / "sft"))
        losses = json.loads((out / "sft" / "losses.json").read_text())
        log(f"reusing {out / 'sft'}")
    else:
        tok = train_tokenizer(corpus, vocab_size=1024)
        model = new_model(len(tok), seed=s, tok=tok, hidden=args.hidden, layers=args.layers, ffn=args.ffn)
        lengths = sorted(len(prompt_ids(tok, m)) for m, _ in pairs)
        log(f"tokenizer: {len(tok)} tokens; prompt lengths median {lengths[len(lengths) // 2]}, max {lengths[-1]}; "
            f"model {n_params(model) / 1e6:.2f}M parameters")
        losses = sft(model, tok, pairs, steps=args.sft_steps, batch_size=args.sft_batch, seed=s, log=log)
        save(model, tok, out / "sft")
        (out / "sft" / "losses.json").write_text(json.dumps(losses))
    sft_seconds = time.perf_counter() - t0
    sft_dir = out / "sft"

    # GRPO through the CLI, exactly as a user runs it (in the background while the SFT model is scored)
    grpo_dir = out / "grpo"
    cmd = [str(Path(sys.executable).parent / "hdlgen"), "train", "grpo", "--config", str(args.config),
           "--model", str(sft_dir), "--output-dir", str(grpo_dir), "--set", f"data.problems={out / 'grpo_problems.jsonl'}",
           "--set", f"seed={s}"]
    if args.grpo_steps:
        cmd += ["--max-steps", str(args.grpo_steps)]
    t0 = time.perf_counter()
    grpo = None
    if args.resume and (grpo_dir / "final" / "config.json").is_file():
        log(f"reusing {grpo_dir}")
    else:
        log("grpo: " + " ".join(cmd))
        # GRPO's torch gets --threads too: a default of one thread per core would differ in the last bits (and
        # so in every sampled rollout) from a run started with OMP_NUM_THREADS=1, and fight the judging beside it
        env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "MKL_NUM_THREADS": str(args.threads)}
        grpo = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=(out / "grpo.log").open("w"), stderr=subprocess.STDOUT)
    memo: dict[tuple[str, str], str] = {}  # one verdict per distinct reply across the evaluations
    rejudger, read = Rejudge(), 0  # every pass GRPO paid judged again alone, starting while GRPO trains
    t1 = {"samples": args.t1_samples, "temperature": 1.0}
    try:
        before = evaluate(sft_dir, held_rows, args, "held-out, after SFT", out / "eval_before.json", memo=memo)
        t1_before = evaluate(sft_dir, held_rows, args, "held-out at T=1.0, after SFT", out / "t1_before.json",
                             memo=memo, **t1) if args.t1_samples else None
        fresh_before = evaluate(sft_dir, fresh_rows, args, "fresh train-combination problems, after SFT",
                                out / "fresh_before.json", samples=args.fresh_samples, memo=memo) if fresh_rows else None
        while grpo is not None and grpo.poll() is None:  # and the rollouts' passes as GRPO logs them
            logged, read = read_passes(grpo_dir / "passes.jsonl", read)
            rejudger.submit(logged, seed=0, cycles=None)  # (the reward's settings)
            time.sleep(5)
        if grpo is not None and grpo.returncode != 0:
            raise SystemExit(f"hdlgen train grpo failed (exit {grpo.returncode}); see {out / 'grpo.log'}")
    except BaseException:
        rejudger.close()
        raise
    finally:
        if grpo is not None and grpo.poll() is None:
            grpo.kill()
            grpo.wait()
    grpo_seconds = time.perf_counter() - t0
    t_after = time.perf_counter()
    rejudger.widen()  # GRPO's core is free: the last passes are re-judged beside the post-GRPO evaluation
    rejudger.submit(read_passes(grpo_dir / "passes.jsonl", read)[0], seed=0, cycles=None)
    after = evaluate(grpo_dir / "final", held_rows, args, "held-out, after GRPO", out / "eval_after.json", memo=memo,
                     workers=2)
    t1_after = evaluate(grpo_dir / "final", held_rows, args, "held-out at T=1.0, after GRPO", out / "t1_after.json",
                        memo=memo, workers=2, **t1) if args.t1_samples else None
    fresh_after = evaluate(grpo_dir / "final", fresh_rows, args, "fresh train-combination problems, after GRPO",
                           out / "fresh_after.json", samples=args.fresh_samples, memo=memo,
                           workers=2) if fresh_rows else None

    fields, rows, rejudge_seconds = score_run(before, after, grpo_dir, out, args, rejudger, held_rows)
    summary = {
        **fields,
        **(side_summary("heldout_t1", t1_before, t1_after, s) if t1_before and t1_after else {}),
        **(side_summary("fresh", fresh_before, fresh_after, s) if fresh_before and fresh_after else {}),
        "heldout_problems": len(held_rows), "families": FAMILIES, "naming": args.naming,
        "sft_problems": len(sft_rows), "sft_steps": args.sft_steps,
        "sft_loss_first_last": [round(losses[0], 3), round(sum(losses[-20:]) / min(20, len(losses)), 3)],
        "grpo_problems": len(grpo_rows), "model_params": n_params(model), "vocab": len(tok),
        "config": str(args.config.relative_to(REPO) if args.config.is_relative_to(REPO) else args.config),
        "seconds": {"sft": round(sft_seconds), "grpo": round(grpo_seconds), "rejudge": round(rejudge_seconds),
                    "after_grpo": round(time.perf_counter() - t_after),
                    "total": round(time.perf_counter() - t_start), "cpu_total": round(cpu_seconds()),
                    "load_average_at_end": round(os.getloadavg()[0], 1)},
        "example": after["example"], "command": "python benchmarks/learn_tiny.py " + " ".join(argv or sys.argv[1:]),
    }
    report(summary, rows, out, RESULTS if (args.results if args.results is not None else s == 0) else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
