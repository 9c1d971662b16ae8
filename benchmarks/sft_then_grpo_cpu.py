"""A short SFT warm start, then GRPO with the real verifier reward, SmolLM2-135M-Instruct on CPU.

Why: ``benchmarks/grpo_cpu.py`` from the base model earns reward 0 on every component (the 135M model never
writes a module), so GRPO has no signal. This experiment asks whether a few dozen SFT steps make the reward
non-zero and whether GRPO then moves it.

Stages (everything lands in ``--out``; model weights go to ``--work``, never into the results folder):

1. SFT data: for each selected bundled problem (default: ``difficulty: easy`` in ``data/problems``) the
   prompt is exactly the chat prompt ``hdlgen train grpo``/``hdlgen generate`` send
   (``hdlgen.train.data.problem_messages`` with the GRPO config's ``prompt.depth``/``budget``) and the
   completion is the shared reply format (``hdlgen.train.data.answer_text``: one short ``<think>`` line, then
   the problem's ``ref.v`` in one ```verilog fence). Before training, every reference completion is scored
   with the GRPO config's reward functions and must earn the maximum (1.0 on each component).
   Written to ``sft_data.jsonl``.
2. SFT: ``hdlgen.train.sft.run_sft`` with one full-parameter stage from ``--model``.
3. GRPO: ``benchmarks/grpo_cpu.py``'s ``main`` (the same code path as the base-model run) from the SFT
   output, writing ``metrics.jsonl``, ``curve.csv``, ``curve.png`` and ``summary.json``.

SFT AND GRPO USE THE SAME PROBLEMS (and eval during GRPO uses the first ``eval.limit`` of them): a rise
shows the reward loop and learning signal work end to end, NOT that the model generalises. The optional
held-out check (``--heldout``, medium problems greedy, after SFT) is the only generalisation number here.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/sft_then_grpo_cpu.py --sft-steps 2 --grpo-steps 2 \\
        --out /tmp/sg_smoke --work /tmp/sg_smoke_models --heldout 0          # smoke test
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/sft_then_grpo_cpu.py      # the recorded run
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import grpo_cpu  # noqa: E402  (the GRPO run and its curve/summary writers)

THINK = "Implement module {top} exactly as the specification says."


def reference_rows(problems: list, depth: str, budget: int) -> tuple[list[dict], list[dict]]:
    """(SFT records in ``messages`` form, GRPO rows with the problem columns) for the same problems."""
    from hdlgen.train.data import answer_text, grpo_rows, problem_messages

    sft = []
    for q in problems:
        reply = answer_text(q.ref, THINK.format(top=q.top))
        sft.append({"task_id": q.task_id,
                    "messages": problem_messages(q, depth, budget) + [{"role": "assistant", "content": reply}]})
    return sft, grpo_rows(problems, depth, budget)


def check_references(cfg: dict, sft: list[dict], rows: list[dict]) -> dict:
    """Score every reference completion with the config's reward functions; each must earn 1.0."""
    from hdlgen.rewards import build_rewards

    funcs, weights = build_rewards(cfg.get("rewards"))
    prompts = [r["prompt"] for r in rows]
    completions = [[rec["messages"][-1]] for rec in sft]  # TRL's conversational completion form
    columns = {k: [r[k] for r in rows] for k in rows[0] if k != "prompt"}
    scores = {}
    for f in funcs:
        vals = f(prompts, completions, **columns)
        bad = [(rec["task_id"], v) for rec, v in zip(sft, vals) if v != 1.0]
        assert not bad, f"reference completions below the maximum {f.__name__} reward: {bad}"
        scores[f.__name__] = 1.0
    scores["weighted_max"] = sum(weights)
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "grpo_cpu_tiny.yaml",
                    help="GRPO config (rewards, prompt depth/budget, data selection)")
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "sft_then_grpo_cpu")
    ap.add_argument("--work", type=Path, default=REPO / "runs" / "sft_then_grpo_cpu",
                    help="where the SFT model is written (gitignored)")
    ap.add_argument("--difficulty", default="easy", help="bundled problems used for SFT and GRPO")
    ap.add_argument("--sft-steps", type=int, default=24)
    ap.add_argument("--sft-batch", type=int, default=2)
    ap.add_argument("--sft-lr", type=float, default=1e-4)
    ap.add_argument("--sft-max-length", type=int, default=640, help="prompt + completion tokens")
    ap.add_argument("--grpo-steps", type=int, default=10)
    ap.add_argument("--generations", type=int, default=4)
    ap.add_argument("--max-completion", type=int, default=200, help="covers the longest easy reference (~190)")
    ap.add_argument("--grpo-lr", type=float, default=2e-5)
    ap.add_argument("--eval-every", type=int, default=5)
    ap.add_argument("--heldout", type=int, default=4,
                    help="after SFT, greedy pass rate on this many medium problems (0: skip)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)

    import torch

    from hdlgen.train.config import load_config, section
    from hdlgen.train.data import load_problems
    from hdlgen.train.sft import run_sft

    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    load0 = os.getloadavg()
    cfg = load_config(args.config)
    prompt = section(cfg, "prompt")
    depth, budget = str(prompt.get("depth", "standard")), int(prompt.get("budget", 128))
    problems = load_problems(REPO / "data" / "problems", difficulty=args.difficulty)
    sft, rows = reference_rows(problems, depth, budget)
    data_path = args.out / "sft_data.jsonl"
    data_path.write_text("".join(json.dumps(r) + "\n" for r in sft))
    ref_scores = check_references(cfg, sft, rows)
    print(f"{len(sft)} reference completions earn the maximum reward: {ref_scores}", file=sys.stderr)
    t_check = time.perf_counter() - t0

    # SFT: one full-parameter stage (a 135M model fine-tunes fully on CPU faster than LoRA + merge)
    sft_cfg = load_config(None, {
        "model": args.model, "output_dir": str(args.work / "sft"), "seed": 0,
        "sft.stages": [{"name": "full", "data": str(data_path.resolve()),
                        "args": {"max_steps": args.sft_steps, "per_device_train_batch_size": args.sft_batch,
                                 "learning_rate": args.sft_lr, "max_length": args.sft_max_length,
                                 "lr_scheduler_type": "constant", "warmup_steps": 0}}]})
    import transformers.trainer as hf_trainer

    from hdlgen.train.callbacks import MetricsFile

    sft_metrics = MetricsFile(args.out / "sft_metrics.jsonl")  # run_sft takes no callbacks: add it to the defaults
    hf_trainer.DEFAULT_CALLBACKS.append(sft_metrics)
    t1 = time.perf_counter()
    try:
        sft_model = run_sft(sft_cfg, log=lambda m: print(m, file=sys.stderr))["full"]
    finally:
        hf_trainer.DEFAULT_CALLBACKS.remove(sft_metrics)
    sft_wall = time.perf_counter() - t1
    sft_losses = [r["loss"] for r in map(json.loads, sft_metrics.path.read_text().splitlines()) if "loss" in r]
    heldout = None
    if args.heldout:
        from hdlgen.train.callbacks import verified_pass_rate
        from hdlgen.train.data import problem_messages
        from hdlgen.train.model import load_for_training

        held = load_problems(REPO / "data" / "problems", difficulty="medium", limit=args.heldout)
        model, tok = load_for_training(str(sft_model))
        rate, statuses = verified_pass_rate(model, tok, held, [problem_messages(q, depth, budget) for q in held],
                                            args.max_completion + 64)
        heldout = {"problems": [q.task_id for q in held], "pass_rate": rate, "statuses": statuses}
        print(f"held-out medium after SFT: {heldout}", file=sys.stderr)
        del model

    # GRPO: the same code path as benchmarks/grpo_cpu.py, from the SFT model
    t2 = time.perf_counter()
    grpo_cpu.main(["--config", str(args.config), "--model", str(sft_model.resolve()), "--out", str(args.out),
                   "--steps", str(args.grpo_steps), "--generations", str(args.generations),
                   "--max-completion", str(args.max_completion), "--lr", str(args.grpo_lr),
                   "--eval-every", str(args.eval_every), "--threads", str(args.threads)])
    grpo_wall = time.perf_counter() - t2
    extra = json.loads((args.out / "summary.json").read_text())
    extra.update({
        "note": ("SFT and GRPO use the SAME problems (and GRPO's eval uses the first eval.limit of them): a rise "
                 "shows the reward loop and learning signal, not generalisation; held_out_after_sft is the only "
                 "held-out number."),
        "problems": [q.task_id for q in problems], "difficulty": args.difficulty,
        "reference_rewards": ref_scores,
        "sft": {"steps": args.sft_steps, "batch": args.sft_batch, "lr": args.sft_lr,
                "max_length": args.sft_max_length, "loss_first": sft_losses[0] if sft_losses else None,
                "loss_last": sft_losses[-1] if sft_losses else None, "losses": sft_losses,
                "wall_s": round(sft_wall, 1)},
        "held_out_after_sft": heldout, "grpo_wall_s": round(grpo_wall, 1), "reference_check_s": round(t_check, 1),
        "total_wall_s": round(time.perf_counter() - t0, 1), "load_average_start_total": load0,
        "load_average_end_total": os.getloadavg(),
    })
    title = (f"SFT ({args.sft_steps} steps) then GRPO ({args.grpo_steps} x {args.generations}) on the SAME "
             f"{len(problems)} {args.difficulty} problems, SmolLM2-135M, CPU")
    summary = grpo_cpu.report(args.out, title, extra)
    print(json.dumps({k: v for k, v in summary.items() if k != "overrides"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
