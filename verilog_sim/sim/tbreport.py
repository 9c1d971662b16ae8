"""Which lines of a Verilog testbench run did the testbench print? Only those may say "pass".

A design simulated with a testbench shares its stdout: ``initial $display("Mismatches: 0 in 20 samples")``
passed VerilogEval's official harness (and ours). So before a run every printing call of the testbench
(``$display``, ``$write``, ``$strobe``, ``$monitor``, their b/h/o forms, and the ``$f...`` forms, which
may write to stdout) is rewritten to wrap its output in
markers carrying a per-run nonce: ``$display("{n:", <args>, ":n}")``. The design cannot learn the nonce (it
is in no file or name the admission check lets a design read), so text between a pair of markers is the
testbench's and everything else is the design's. Pass rules read only the testbench's text; failure rules
may still see the design's lines (upstream fails on them too), marked so no pass rule can match them.
"""

from __future__ import annotations

import re
import secrets

from ..source.extract import blank_comments_and_strings

_PRINT = re.compile(r"\$(f?)(?:display|write|strobe|monitor)[bho]?\b")
DESIGN_PREFIX = "[design] "


class Tagger:
    """One run's markers: :meth:`tag` the testbench source, then :meth:`split` the run's output."""

    def __init__(self) -> None:
        nonce = secrets.token_hex(12)
        self.open, self.close = f"{{{nonce}:", f":{nonce}}}"
        self._segment = re.compile(re.escape(self.open) + r"(.*?)" + re.escape(self.close), re.S)

    def tag(self, source: str) -> str:
        """``source`` with every printing system task's output wrapped in this run's markers."""
        blank = blank_comments_and_strings(source)
        out: list[str] = []
        pos = 0
        for m in _PRINT.finditer(blank):
            if m.start() < pos:
                continue  # inside the arguments of a call already rewritten
            i = m.end()
            while i < len(blank) and blank[i] in " \t\r\n":
                i += 1
            if i < len(blank) and blank[i] == "(":
                end = _closing(blank, i)
                if end is None:
                    continue
                head = i + 1  # $fdisplay(fd, ...): the markers go after the descriptor
                if m.group(1):
                    comma = _top_level_comma(blank, i + 1, end)
                    if comma is None:
                        continue
                    head = comma + 1
                args = source[head:end]
                sep = ", " if args.strip() else ""
                out.append(source[pos:head] + f' "{self.open}"{sep}{args}, "{self.close}")')
                pos = end + 1
            elif not m.group(1):  # `$display;`: no argument list
                out.append(source[pos:m.end()] + f'("{self.open}", "{self.close}")')
                pos = i if i > m.end() else m.end()
        out.append(source[pos:])
        return "".join(out)

    def split(self, text: str) -> tuple[str, str]:
        """(what the testbench printed, the whole output with each line the design printed prefixed by
        ``[design] ``), markers removed from both."""
        tb: list[str] = []
        full: list[str] = []
        pos = 0
        for m in self._segment.finditer(text):
            full.append(_mark_design(text[pos:m.start()]))
            full.append(m.group(1))
            tb.append(m.group(1))
            if text.startswith("\n", m.end()):
                tb.append("\n")
            pos = m.end()
        full.append(_mark_design(text[pos:]))
        return "".join(tb), "".join(full)


def _mark_design(chunk: str) -> str:
    return "".join(DESIGN_PREFIX + ln if ln.strip() else ln for ln in chunk.splitlines(keepends=True))


def _top_level_comma(blank: str, start: int, end: int) -> int | None:
    depth = 0
    for i in range(start, end):
        c = blank[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return i
    return None


def _closing(blank: str, start: int) -> int | None:
    """Index of the parenthesis closing the one at ``start`` (strings and comments already blanked)."""
    depth = 0
    for i in range(start, len(blank)):
        c = blank[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return None
