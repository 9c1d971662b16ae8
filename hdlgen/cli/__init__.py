"""The ``hdlgen`` command: a click group whose subcommands load lazily (``check --help`` never imports torch).

Exit codes (every command): 0 all inputs passed; 1 inputs judged and some failed; 2 usage error or the tool
could not run, with one line on stderr saying what and how to fix it.
"""

from __future__ import annotations

import importlib
import sys

import click

from ._common import run_main

# name -> "module:attribute"; each command lives in its own small module.
COMMANDS = {
    "check": "hdlgen.cli.check:check",
    "lint": "hdlgen.cli.lint:lint",
    "verify": "hdlgen.cli.verify:verify",
    "eval": "hdlgen.cli.eval:eval_cmd",
    "generate": "hdlgen.cli.generate:generate",
    "filter": "hdlgen.cli.filter:filter_cmd",
    "train": "hdlgen.cli.train:train",
    "serve-reward": "hdlgen.cli.serve_reward:serve_reward",
    "problems": "hdlgen.cli.problems:problems",
}

SHORT_HELP = {
    "check": "Syntax-check Verilog/SystemVerilog files (pyslang, pyverilog).",
    "lint": "Lint RTL for latches, width mismatches, unused signals and more.",
    "verify": "Verify a design by simulation: a cocotb test, a problem, or a reference.",
    "eval": "Score samples on a benchmark (VerilogEval or a JSONL of problems): pass@k.",
    "generate": "Generate RTL from a spec with an LLM, verify it, repair it.",
    "filter": "Filter a Verilog dataset: extract, compile, simulate, dedup, quality.",
    "train": "Train a Verilog model: two-stage SFT or GRPO with verifier rewards.",
    "serve-reward": "Serve verification rewards over HTTP for distributed RL.",
    "problems": "Synthesize design problems with verified references (a curriculum).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        mod_name, attr = target.split(":")
        return getattr(importlib.import_module(mod_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, SHORT_HELP.get(n, "")) for n in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hdlgen")
def cli() -> None:
    """hdlgen: generate Verilog with an LLM and verify it with real tools (Icarus Verilog, cocotb, pyslang).

    \b
    Examples:
      hdlgen check rtl/*.v
      hdlgen verify counter.v --problem counter
      hdlgen eval --benchmark verilog-eval-v2-spec --samples samples.jsonl -k 1,5
      hdlgen generate "a 4-bit up counter with synchronous reset" -o counter.v

    Exit codes: 0 all passed, 1 some input failed, 2 usage error or a tool could not run.
    """


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    return run_main(cli, argv if argv is not None else sys.argv[1:])
