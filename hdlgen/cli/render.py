"""Human-readable rendering of verdicts (text mode); JSON mode prints ``Verdict.to_dict()`` instead."""

from __future__ import annotations

import click

from verilog_sim.verdict import Verdict


def verdict_line(v: Verdict, label: str) -> str:
    parts = [f"{v.status.value.upper():<14} {label}"]
    if v.tests.total:
        parts.append(f"tests {v.tests.passed}/{v.tests.total}")
    if v.mismatches is not None:
        parts.append(f"mismatches {v.mismatches}" + (f"/{v.samples}" if v.samples is not None else ""))
    if v.tier:
        parts.append(v.tier)
    parts.append(f"{v.seconds:.2f} s")
    return "  ".join(parts)


def print_verdict(v: Verdict, label: str, show_tools: bool = True) -> None:
    color = "green" if v.passed else "red"
    click.secho(verdict_line(v, label), fg=color)
    for d in v.diagnostics:
        click.echo(d.format())
    if v.message and not any(d.message in v.message for d in v.diagnostics):  # said once, not twice
        click.echo(f"  {v.message}")
    if v.first_mismatch:
        fm = v.first_mismatch
        click.echo("  first mismatch: " + ", ".join(f"{k}={fm[k]}" for k in fm))
    if show_tools and v.tools:
        click.echo("  tools: " + "; ".join(f"{k} {val}" for k, val in v.tools.items()))
