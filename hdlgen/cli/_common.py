"""What every command shares: exit codes, error mapping, output format option."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from verilog_sim.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class ToolError(click.ClickException):
    """The tool could not run (missing simulator, bad config, unreadable file): exit 2, one clear line."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"hdlgen: error: {self.format_message()}", err=True)


format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text for humans; json prints one JSON document on stdout and nothing else.",
)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=None))


def run_main(cli: click.Group, argv: list[str]) -> int:
    """Run the group, mapping library errors that reach here to exit 2 without a traceback."""
    try:
        rv = cli.main(args=argv, prog_name="hdlgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:  # one line, as every other user mistake (not click's three)
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `hdlgen` / a group without a command: the help
            exc.show()
            return exc.exit_code
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        click.echo(f"hdlgen: error: {exc.format_message().rstrip('.')}{where}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("hdlgen: aborted", err=True)
        return EXIT_USAGE
    except (UserError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        click.echo(f"hdlgen: error: {exc}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        click.echo("hdlgen: interrupted", err=True)
        return 130
    return rv if isinstance(rv, int) else EXIT_OK


def bundled_problems_dir() -> Path:
    """``data/problems`` of the checkout this package runs from (editable install, or the Docker image's
    working directory when installed from it)."""
    here = Path(__file__).resolve().parents[2] / "data" / "problems"
    return here if here.is_dir() else Path.cwd() / "data" / "problems"


def problem_arg(value: str) -> str:
    """A ``--problem`` argument: the path as given, or the bundled problem of that name (``--problem counter``),
    so the README's examples work from any directory. Neither: a usage error that lists the bundled names."""
    if Path(value).exists():
        return value
    bundled = bundled_problems_dir()
    if "/" not in value and (bundled / value / "problem.json").is_file():
        return str(bundled / value)
    names = sorted(d.name for d in bundled.iterdir() if (d / "problem.json").is_file()) if bundled.is_dir() else []
    hint = f" and no bundled problem of that name (bundled: {', '.join(names)})" if names else ""
    raise ToolError(f"--problem {value}: no such file or directory{hint}")


def exit_with(code: int) -> None:
    """End a command with a contract exit code (commands call this instead of sys.exit)."""
    raise click.exceptions.Exit(code)


def die_usage(message: str) -> None:
    raise ToolError(message)
