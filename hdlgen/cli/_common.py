"""What every command shares: exit codes, error mapping, output format option."""

from __future__ import annotations

import json
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


def exit_with(code: int) -> None:
    """End a command with a contract exit code (commands call this instead of sys.exit)."""
    raise click.exceptions.Exit(code)


def die_usage(message: str) -> None:
    raise ToolError(message)
