"""GRPO with the real verifier reward on easy bundled problems, SmolLM2-135M-Instruct, on CPU.

Runs ``hdlgen.train.grpo`` (TRL's GRPOTrainer) for a fixed number of steps from configs/grpo_cpu_tiny.yaml
(overridable below), then writes the reward curve: ``curve.csv`` (one row per step: total reward, each
reward component, the verified pass rate of the training samples, eval pass rate when measured, lengths,
step time), ``curve.png`` and ``summary.json`` (first vs last quarter of the steps: did the mean reward and
the pass rate rise?). No checkpoints are written.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/grpo_cpu.py --steps 10 --max-completion 96 --eval-every 5
    .venv/bin/python benchmarks/grpo_cpu.py --plot-only benchmarks/results/grpo_cpu   # redraw from metrics.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

COMPONENTS = ("functional", "compile", "format", "length")
COLUMNS = ["step", "reward", "reward_std"] + [f"{c}_mean" for c in COMPONENTS] + [
    "train_pass_rate", "eval_pass_rate", "completion_mean_length", "clipped_ratio", "step_time_s"]


GATES = {"and2": ("AND", "a & b"), "or2": ("OR", "a | b"), "xor2": ("XOR", "a ^ b"), "nand2": ("NAND", "~(a & b)"),
         "nor2": ("NOR", "~(a | b)"), "xnor2": ("XNOR", "~(a ^ b)")}


def gate_problems() -> list[dict]:
    """A sanity set far easier than the bundled problems: 2-input gates with exhaustive Verilog testbenches."""
    out = []
    for top, (word, expr) in GATES.items():
        tb = (f"module tb;\n  reg a, b; wire y; integer i, errs;\n  {top} dut(.a(a), .b(b), .y(y));\n"
              f"  initial begin\n    errs = 0;\n    for (i = 0; i < 4; i = i + 1) begin\n      {{a, b}} = i; #1;\n"
              f"      if (y !== ({expr})) errs = errs + 1;\n    end\n"
              f"    $display(\"Mismatches: %0d in %0d samples\", errs, 4);\n    $finish;\n  end\nendmodule\n")
        out.append({"task_id": top, "top": top, "test": tb, "test_kind": "verilog", "test_top": "tb",
                    "prompt": f"Write a Verilog module named `{top}` with 1-bit inputs `a` and `b` and a 1-bit output "
                              f"`y` that is the {word} of `a` and `b`."})
    return out


def curve_rows(metrics_path: Path) -> list[dict]:
    """One row per optimizer step from metrics.jsonl (eval records merged into their step)."""
    rows: dict[int, dict] = {}
    for line in metrics_path.read_text().splitlines():
        r = json.loads(line)
        step = int(r.get("step", 0))
        row = rows.setdefault(step, {"step": step})
        if "eval/verified_pass_rate" in r:
            row["eval_pass_rate"] = r["eval/verified_pass_rate"]
        if "reward" in r:
            row["reward"] = r["reward"]
            row["reward_std"] = r.get("reward_std")
            for c in COMPONENTS:
                row[f"{c}_mean"] = r.get(f"rewards/{c}/mean")
            row["train_pass_rate"] = r.get("rewards/functional/mean")  # functional is binary: share passing
            row["completion_mean_length"] = r.get("completions/mean_length")
            row["clipped_ratio"] = r.get("completions/clipped_ratio")
            row["step_time_s"] = r.get("step_time")
    return [rows[k] for k in sorted(rows)]


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in COLUMNS})


def plot(rows: list[dict], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [r for r in rows if r.get("reward") is not None]
    evals = [r for r in rows if r.get("eval_pass_rate") is not None]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    steps = [r["step"] for r in train]
    ax.plot(steps, [r["reward"] for r in train], marker="o", label="mean reward (weighted sum)")
    for c in COMPONENTS:
        ax.plot(steps, [r.get(f"{c}_mean") or 0 for r in train], linestyle="--", label=f"{c}")
    if evals:
        ax.plot([r["step"] for r in evals], [r["eval_pass_rate"] for r in evals], marker="s", color="black",
                label="eval verified pass rate (greedy)")
    ax.set_xlabel("GRPO step")
    ax.set_ylabel("reward / rate")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def summarize(rows: list[dict]) -> dict:
    train = [r for r in rows if r.get("reward") is not None]
    q = max(1, len(train) // 4)

    def mean(key: str, part: list[dict]) -> float | None:
        vals = [r[key] for r in part if r.get(key) is not None]
        return round(statistics.mean(vals), 4) if vals else None

    first, last = train[:q], train[-q:]
    evals = [r for r in rows if r.get("eval_pass_rate") is not None]
    out = {"steps": len(train), "quarter": q,
           "reward_first_quarter": mean("reward", first), "reward_last_quarter": mean("reward", last),
           "pass_rate_first_quarter": mean("train_pass_rate", first),
           "pass_rate_last_quarter": mean("train_pass_rate", last),
           "eval_pass_rate": [(r["step"], r["eval_pass_rate"]) for r in evals]}
    for c in COMPONENTS:
        out[f"{c}_first_quarter"] = mean(f"{c}_mean", first)
        out[f"{c}_last_quarter"] = mean(f"{c}_mean", last)
    if out["reward_first_quarter"] is not None and out["reward_last_quarter"] is not None:
        out["reward_rose"] = out["reward_last_quarter"] > out["reward_first_quarter"]
    if out["pass_rate_first_quarter"] is not None and out["pass_rate_last_quarter"] is not None:
        out["pass_rate_rose"] = out["pass_rate_last_quarter"] > out["pass_rate_first_quarter"]
    return out


def report(out: Path, title: str, extra: dict | None = None) -> dict:
    rows = curve_rows(out / "metrics.jsonl")
    write_csv(rows, out / "curve.csv")
    plot(rows, out / "curve.png", title)
    summary = {**summarize(rows), **(extra or {})}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "grpo_cpu_tiny.yaml")
    ap.add_argument("--model", default=None, help="model to start from (default: the config's), e.g. an SFT output")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "grpo_cpu")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--generations", type=int, default=4, help="completions per prompt (GRPO group size)")
    ap.add_argument("--max-completion", type=int, default=96, help="max new tokens per completion")
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--eval-every", type=int, default=5)
    ap.add_argument("--problems", default=None,
                    help="problems instead of the config's easy bundled ones: a path, or 'gates' (a sanity set)")
    ap.add_argument("--depth", default=None, choices=["none", "standard", "decomposed"],
                    help="prompt depth (default: the config's); none asks for the code without reasoning")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch CPU threads (0: torch's default; 1 is fastest on a busy shared machine)")
    ap.add_argument("--plot-only", type=Path, help="redraw curve.csv/png/summary.json from a run's metrics.jsonl")
    args = ap.parse_args(argv)
    if args.plot_only:
        print(json.dumps(report(args.plot_only, "GRPO on CPU (SmolLM2-135M-Instruct)"), indent=1))
        return 0

    import torch

    from hdlgen.train.config import load_config
    from hdlgen.train.grpo import build_trainer

    if args.threads:
        torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    overrides = {"output_dir": str(args.out), "grpo.max_steps": args.steps,
                 "grpo.num_generations": args.generations, "grpo.per_device_train_batch_size": args.generations,
                 "grpo.max_completion_length": args.max_completion, "grpo.learning_rate": args.lr,
                 "grpo.save_strategy": "no", "grpo.activation_checkpointing": False,
                 "eval.every": args.eval_every, "eval.max_new_tokens": args.max_completion}
    if args.depth:
        overrides["prompt.depth"] = args.depth
    if args.model:
        overrides["model"] = str(args.model)
    if args.problems == "gates":
        gates = args.out / "gate_problems.jsonl"
        gates.write_text("".join(json.dumps(p) + "\n" for p in gate_problems()))
        overrides.update({"data.problems": str(gates), "data.difficulty": None})
    elif args.problems:
        overrides.update({"data.problems": str(Path(args.problems).resolve()), "data.difficulty": None})
    cfg = load_config(args.config, overrides)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    trainer, _ = build_trainer(cfg, log=lambda m: print(m, file=sys.stderr))
    trainer.train()
    wall = time.perf_counter() - t0
    extra = {"wall_s": round(wall, 1), "load_average_start": load0, "load_average_end": os.getloadavg(),
             "cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(), "config": str(args.config),
             "overrides": overrides}
    title = (f"GRPO on CPU: SmolLM2-135M-Instruct, {args.steps} steps x {args.generations} completions, "
             f"{'easy bundled problems' if not args.problems else args.problems}")
    print(json.dumps(report(args.out, title, extra), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
