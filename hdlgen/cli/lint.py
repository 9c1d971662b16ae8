"""``hdlgen lint``: RTL lint findings in gcc text, JSON, SARIF or GitHub annotation form."""

from __future__ import annotations

import click

from ._common import EXIT_FAILED, EXIT_OK, ToolError, exit_with
from ._sources import design_options, read_source_set


def _rules_table() -> str:
    from verilog_sim.lint import RULES

    return "\n".join(f"{r.code:<20} {r.severity:<8} {r.summary}" for r in RULES.values())


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="text (gcc form), json, sarif (2.1.0, code scanning) or github annotations.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="A .hdlgen-lint.toml or pyproject.toml; default: the nearest one above the current directory.")
@design_options
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Ignore the findings recorded in FILE (the output of hdlgen lint --format json): adopt the "
                   "hook on a codebase with existing findings, fail only on new ones.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (info never fails).")
@click.option("--disable", multiple=True, metavar="CODE", help="Turn a rule off (repeatable).")
@click.option("--enable", multiple=True, metavar="CODE", help="Turn a rule back on (repeatable).")
@click.option("--list-rules", is_flag=True, help="Print every rule with its default severity and exit.")
def lint(files: tuple[str, ...], fmt: str, config_path: str | None, include_dirs: tuple[str, ...],
         defines: tuple[str, ...], filelists: tuple[str, ...], top: str | None, baseline_path: str | None,
         strict: bool, disable: tuple[str, ...], enable: tuple[str, ...], list_rules: bool) -> None:
    """Lint Verilog/SystemVerilog FILES for latches, blocking/non-blocking misuse, width mismatches,
    unused/undriven/multi-driven signals, incomplete sensitivity lists, case without default and
    implicit nets.

    The files are read as one design, as hdlgen check (and iverilog/verilator) read a file list: in order,
    macros carried from file to file. Errors are kept for what is wrong in hardware or rejected by real tools;
    a module, package or port from a file not given is unknown, not wrong.

    Rules are configured in [tool.hdlgen.lint] of pyproject.toml or in .hdlgen-lint.toml; single findings
    are waived with a comment: // hdlgen-lint: disable=CODE (this line; alone on a line, also the next),
    a region between // hdlgen-lint: disable-start=CODE and // hdlgen-lint: disable-end=CODE, or Verilator's
    // verilator lint_off CODE ... // verilator lint_on CODE. Signals named *unused* are never unused.

    \b
    Examples:
      hdlgen lint rtl/*.v
      hdlgen lint --strict --disable width-expand top.sv
      hdlgen lint -f design.f -I include -D SYNTHESIS --top soc
      hdlgen lint --format sarif rtl/*.sv > lint.sarif
      hdlgen lint --format json rtl/*.v > .hdlgen-lint-baseline.json   # record today's findings once
      hdlgen lint --baseline .hdlgen-lint-baseline.json rtl/*.v         # then fail only on new ones
      hdlgen lint --list-rules

    Exit 0 when no error (warnings alone pass unless --strict), 1 on findings that fail, 2 on usage errors
    or unreadable files/config.
    """
    from importlib.metadata import PackageNotFoundError, version

    from verilog_sim.errors import UserError
    from verilog_sim.lint import ConfigError, LintInputError, lint_paths, load_config
    from verilog_sim.lint.baseline import apply_baseline, load_baseline
    from verilog_sim.lint.output import FORMATS, to_sarif

    if list_rules:
        click.echo(_rules_table())
        exit_with(EXIT_OK)
    sset = read_source_set(files, include_dirs, defines, filelists, top)
    try:
        config = load_config(config_path).with_overrides(disable, enable)
        baseline = load_baseline(baseline_path) if baseline_path else None
        diags = lint_paths(list(sset.files), config, sset.include_dirs, sset.defines, sset.top)
    except (ConfigError, LintInputError, UserError) as exc:  # UserError: --top names no module
        raise ToolError(str(exc)) from exc
    if baseline is not None:
        diags, known = apply_baseline(diags, baseline)
        if known and fmt == "text":
            click.echo(f"hdlgen: {known} finding(s) already in the baseline {baseline_path} not shown", err=True)
    if fmt == "sarif":
        try:
            ver = version("hdlgen")
        except PackageNotFoundError:
            ver = "0"
        out = to_sarif(diags, len(sset.files), ver)
    else:
        out = FORMATS[fmt](diags, len(sset.files))
    if out:
        click.echo(out)
    failing = {"error", "warning"} if strict else {"error"}
    exit_with(EXIT_FAILED if any(d.severity in failing for d in diags) else EXIT_OK)
