"""``hdlgen problems``: procedural problem families (spec + header + verified reference) as problem JSONL."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from ._common import EXIT_FAILED, ToolError, emit_json, exit_with


@click.group()
def problems() -> None:
    """Procedural design problems with verified references: an unlimited curriculum for SFT and RL.

    \b
    Examples:
      hdlgen problems synth -n 200 --seed 0 --split train -o train.jsonl
      hdlgen problems synth -n 50 --split heldout --family counter --family fsm -o heldout.jsonl
      hdlgen problems families
    """


@problems.command()
def families() -> None:
    """List the families, their difficulty and the parameters that decide the split."""
    from hdlgen.curriculum import FAMILIES

    for name, make in FAMILIES.items():
        doc = (make.__doc__ or "").strip().splitlines()
        click.echo(f"{name:8} {doc[0] if doc else ''}")


@problems.command()
@click.option("-n", "count", type=click.IntRange(1), default=100, show_default=True, help="How many problems.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same problems.")
@click.option("--split", type=click.Choice(["train", "heldout", "all"]), default="all", show_default=True,
              help="Held-out parameter combinations (1 in 5, the same for every seed) never appear in train.")
@click.option("--family", "fams", multiple=True, help="Only this family (repeatable); see `hdlgen problems families`.")
@click.option("--difficulty", "diffs", multiple=True, type=click.Choice(["easy", "medium", "hard"]),
              help="Only this difficulty (repeatable).")
@click.option("--naming", type=click.Choice(["random", "plain"]), default="random", show_default=True,
              help="plain: ports get their family's usual names (a, b, y, q...), an easier curriculum.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write JSONL here (default: stdout).")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="Check every reference through the differential path (about 0.3 s each).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary on stderr as text, or one JSON document on stdout (needs -o).")
def synth(count: int, seed: int, split: str, fams: tuple[str, ...], diffs: tuple[str, ...], naming: str,
          output: str | None, verify: bool, fmt: str) -> None:
    """Write COUNT problems in the problem JSONL format (task_id, prompt, top, ref, ref_top, plus family,
    difficulty, params, split, header, body). The prompt is the spec followed by the module header.

    Exit 0 when every reference passed its check (or --no-verify), 1 when one did not (the file is still
    written, failing rows included, so they can be inspected), 2 on usage errors.
    """
    from hdlgen.curriculum import SynthError, check_references
    from hdlgen.curriculum import synth as make

    if fmt == "json" and not output:
        raise click.UsageError("--format json prints the summary on stdout: give -o for the problems")
    try:
        rows = make(count, seed=seed, families=list(fams) or None, difficulty=list(diffs) or None, split=split,
                    naming=naming)
    except SynthError as exc:
        raise ToolError(str(exc)) from exc
    checks = check_references(rows, seed=seed) if verify else []
    bad = [c for c in checks if c.status != "pass"]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ToolError(f"cannot write {output}: {exc.strerror or exc}") from exc
    else:
        click.echo(text, nl=False)
    summary = {"problems": len(rows), "seed": seed, "split": split,
               "families": dict(Counter(r["family"] for r in rows)),
               "difficulty": dict(Counter(r["difficulty"] for r in rows)),
               "verified": len(checks), "reference_failures": [c.__dict__ for c in bad]}
    if fmt == "json":
        emit_json(summary)
    else:
        fam = ", ".join(f"{k} {v}" for k, v in summary["families"].items())
        what = f"{len(checks) - len(bad)}/{len(checks)} references verified" if verify else "references not verified"
        click.echo(f"{len(rows)} problems ({split}, seed {seed}): {fam}; {what}", err=True)
        for c in bad:
            click.echo(f"{c.task_id}: reference {c.status}: {c.message}", err=True)
    if bad:
        exit_with(EXIT_FAILED)
