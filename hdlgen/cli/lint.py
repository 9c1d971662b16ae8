"""``hdlgen lint``: RTL lint findings in gcc text, JSON, SARIF or GitHub annotation form."""

from __future__ import annotations

import click

from ._common import EXIT_FAILED, EXIT_OK, ToolError, exit_with


def _rules_table() -> str:
    from verilog_sim.lint import RULES

    return "\n".join(f"{r.code:<20} {r.severity:<8} {r.summary}" for r in RULES.values())


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="text (gcc form), json, sarif (2.1.0, code scanning) or github annotations.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="A .hdlgen-lint.toml or pyproject.toml; default: the nearest one above the current directory.")
@click.option("-I", "--include-dir", "include_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Directory searched for `include files (after the including file's own directory).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (info never fails).")
@click.option("--disable", multiple=True, metavar="CODE", help="Turn a rule off (repeatable).")
@click.option("--enable", multiple=True, metavar="CODE", help="Turn a rule back on (repeatable).")
@click.option("--list-rules", is_flag=True, help="Print every rule with its default severity and exit.")
def lint(files: tuple[str, ...], fmt: str, config_path: str | None, include_dirs: tuple[str, ...], strict: bool,
         disable: tuple[str, ...], enable: tuple[str, ...], list_rules: bool) -> None:
    """Lint Verilog/SystemVerilog FILES for latches, blocking/non-blocking misuse, width mismatches,
    unused/undriven/multi-driven signals, incomplete sensitivity lists, case without default and
    implicit nets.

    Rules are configured in [tool.hdlgen.lint] of pyproject.toml or in .hdlgen-lint.toml; single findings
    are waived with a comment: // hdlgen-lint: disable=CODE (this line; alone on a line, also the next),
    or a region between // hdlgen-lint: disable-start=CODE and // hdlgen-lint: disable-end=CODE.

    \b
    Examples:
      hdlgen lint rtl/*.v
      hdlgen lint --strict --disable width-expand top.sv
      hdlgen lint --format sarif rtl/*.sv > lint.sarif
      hdlgen lint --list-rules

    Exit 0 when no error (warnings alone pass unless --strict), 1 on findings that fail, 2 on usage errors
    or unreadable files/config.
    """
    from importlib.metadata import PackageNotFoundError, version

    from verilog_sim.lint import ConfigError, LintInputError, lint_paths, load_config
    from verilog_sim.lint.output import FORMATS, to_sarif

    if list_rules:
        click.echo(_rules_table())
        exit_with(EXIT_OK)
    if not files:
        raise click.UsageError("give at least one FILE (or --list-rules)")
    try:
        config = load_config(config_path).with_overrides(disable, enable)
        diags = lint_paths(list(files), config, include_dirs)
    except (ConfigError, LintInputError) as exc:
        raise ToolError(str(exc)) from exc
    if fmt == "sarif":
        try:
            ver = version("hdlgen")
        except PackageNotFoundError:
            ver = "0"
        out = to_sarif(diags, len(files), ver)
    else:
        out = FORMATS[fmt](diags, len(files))
    if out:
        click.echo(out)
    failing = {"error", "warning"} if strict else {"error"}
    exit_with(EXIT_FAILED if any(d.severity in failing for d in diags) else EXIT_OK)
