"""The one base class for mistakes a user can fix (a bad file, a missing tool, a malformed problem).

Library code raises a subclass with a message that says what is wrong and how to fix it; the CLI maps every
``UserError`` to exit 2 with that one line on stderr (``hdlgen.cli.errors``). Anything else is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """Raised for the caller's own mistakes; the message is shown to the user as is."""


class ToolMissing(UserError, RuntimeError):
    """A required external tool is not installed; the message says how to install it."""
