"""pyverilog as a strict Verilog-2001 opinion (a warning, never an error), made cheap.

One parser per process, no shell-outs, no files left.

``pyverilog.vparser.parser.parse()`` rebuilds its PLY parser on every call (1.1-1.8 s), writes parser tables
into the working directory and preprocesses with ``iverilog -E`` in a subprocess. Here the parser is built
once (tables written to a private temporary directory, removed at once), its line counter is reset before
each parse, and the few directives VerilogEval-style code uses are handled in Python with line numbers kept.
Code this module cannot preprocess faithfully (function-like macros, `` `include ``) is not judged.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator

from ..verdict import Diagnostic

_LOCK = threading.Lock()
_PARSER = None
_DIRECTIVE = re.compile(r"^[ \t]*`([A-Za-z_][A-Za-z0-9_$]*)(.*)$")
_MACRO_USE = re.compile(r"`([A-Za-z_][A-Za-z0-9_$]*)")
_ERROR = re.compile(r"line:(\d+)(?: column:(\d+))?: (.*)", re.S)
_IGNORED = {"timescale", "default_nettype", "resetall", "celldefine", "endcelldefine", "nounconnected_drive",
            "unconnected_drive", "begin_keywords", "end_keywords", "line", "pragma"}


class Unsupported(Exception):
    """The source uses a preprocessor feature this module does not emulate."""


def _parser():  # noqa: ANN202 - pyverilog's VerilogParser
    global _PARSER
    if _PARSER is None:
        from pyverilog.vparser.parser import VerilogParser

        tabdir = tempfile.mkdtemp(prefix="hdlgen-pyverilog-")
        try:
            with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
                _PARSER = VerilogParser(outputdir=tabdir, debug=False)  # PLY prints grammar conflicts
        finally:
            shutil.rmtree(tabdir, ignore_errors=True)
    return _PARSER


def preprocess(code: str) -> str:
    """Directives removed and object-like macros expanded, one output line per input line."""
    defines: dict[str, str] = {}
    active: list[bool] = []  # one entry per open `ifdef: is this branch taken
    taken: list[bool] = []  # has any branch of this `ifdef been taken
    out: list[str] = []
    for line in _logical_lines(code):
        m = _DIRECTIVE.match(line)
        live = all(active)
        if m:
            name, rest = m.group(1), m.group(2).split("//")[0].strip()
            if name in ("ifdef", "ifndef"):
                cond = (rest.split()[0] in defines) if rest else False
                cond = cond if name == "ifdef" else not cond
                active.append(live and cond)
                taken.append(cond)
            elif name == "elsif":
                if not active:
                    raise Unsupported("`elsif without `ifdef")
                cond = bool(rest) and rest.split()[0] in defines and not taken[-1]
                active[-1] = cond and all(active[:-1])
                taken[-1] = taken[-1] or cond
            elif name == "else":
                if not active:
                    raise Unsupported("`else without `ifdef")
                active[-1] = not taken[-1] and all(active[:-1])
                taken[-1] = True
            elif name == "endif":
                if not active:
                    raise Unsupported("`endif without `ifdef")
                active.pop()
                taken.pop()
            elif name == "define" and live:
                parts = rest.split(None, 1)
                if not parts or "(" in parts[0] or (len(parts[0]) < len(rest) and rest[len(parts[0])] == "("):
                    raise Unsupported("function-like macro")
                defines[parts[0]] = parts[1] if len(parts) > 1 else ""
            elif name == "undef" and live:
                defines.pop(rest.split()[0] if rest else "", None)
            elif name not in _IGNORED and live:
                raise Unsupported(f"`{name}")
            out.append("\n" * line.count("\n"))
            continue
        out.append(_expand(line, defines) if live else "\n" * line.count("\n"))
    if active:
        raise Unsupported("unterminated `ifdef")
    return "\n".join(out)


def _logical_lines(code: str) -> Iterator[str]:
    """Lines, with a ``\\``-continued directive kept as one item (its inner newlines preserved)."""
    lines = code.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + "\n" + lines[i]
        yield line
        i += 1


def _expand(line: str, defines: dict[str, str]) -> str:
    for _ in range(20):  # nested macros, bounded
        if "`" not in line:
            return line
        line = _MACRO_USE.sub(lambda m: _lookup(m.group(1), defines), line)
    raise Unsupported("macro expansion too deep")


def _lookup(name: str, defines: dict[str, str]) -> str:
    if name not in defines:
        raise Unsupported(f"unknown macro `{name}")
    return " " + defines[name].replace("\n", " ") + " "


_BASED = re.compile(r"'\s*([sS]?[bBoOdDhH])\s+(?=[0-9a-fA-FxXzZ?_])")
_AUTOMATIC = re.compile(r"\b(function|task)\s+automatic\b")
_DECL_HEAD = re.compile(r"(?m)^([ \t]*)(reg|integer|wire|real|time|realtime)\b")
_FUNC_HEAD = re.compile(r"\b(function|task)\b([^;()]*?)\b([A-Za-z_][A-Za-z0-9_$]*)\s*\(")
_DIRECTION = re.compile(r"\s*(input|output|inout)\b")


def legal_2001_forms(text: str) -> str:
    """Legal Verilog-2001 that pyverilog 1.3's grammar lacks, rewritten to forms it has (line count kept):
    ``8'h ff`` (space after the base), ``reg [3:0] a = 0, b;`` (initializers in a declaration list) and
    ``function [7:0] f(input [7:0] x);`` (ports declared in the header, also for tasks), ``automatic``
    functions and tasks."""
    text = _BASED.sub(lambda m: "'" + m.group(1), text)
    text = _AUTOMATIC.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    text = _split_declarations(text)
    return _header_ports(text)


def _scan(text: str, i: int, stops: str) -> int:
    """Index of the first character of ``stops`` at nesting depth 0 from ``i`` (len(text) when none)."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0 and c in stops:
                return i
            depth -= 1
        elif depth == 0 and c in stops:
            return i
        i += 1
    return i


def _top_split(body: str) -> list[str]:
    parts, start = [], 0
    while True:
        j = _scan(body, start, ",")
        parts.append(body[start:j])
        if j >= len(body):
            return parts
        start = j + 1


def _split_declarations(text: str) -> str:
    out, pos = [], 0
    for m in _DECL_HEAD.finditer(text):
        if m.start() < pos:
            continue
        end = _scan(text, m.end(), ";")
        stmt = text[m.end():end]
        parts = _top_split(stmt)
        if end >= len(text) or len(parts) < 2 or not any("=" in p for p in parts):
            continue
        first = parts[0]
        name = re.search(r"[A-Za-z_][A-Za-z0-9_$]*\s*(?:\[[^\]]*\]\s*)*(?:=|$)", first)
        if name is None:
            continue
        head = m.group(2) + first[:name.start()]  # keyword, signedness, range
        decls = [first] + [" " + head.strip() + " " + p.strip() for p in parts[1:]]
        joined = ";".join(d.replace("\n", " ") for d in decls)
        out.append(text[pos:m.start()] + m.group(1) + m.group(2) + joined + "\n" * stmt.count("\n"))
        pos = end
    return "".join(out) + text[pos:] if out else text


def _header_ports(text: str) -> str:
    out, pos = [], 0
    for m in _FUNC_HEAD.finditer(text):
        if m.start() < pos:
            continue
        close = _scan(text, m.end(), ")")
        if close >= len(text) or not _DIRECTION.match(text[m.end():close]):
            continue
        semi = _scan(text, close + 1, ";")
        if semi >= len(text) or text[close + 1:semi].strip():
            continue
        ports = text[m.end():close]
        decls: list[str] = []
        for part in _top_split(ports):
            if _DIRECTION.match(part) or not decls:
                decls.append(part.strip())
            else:
                decls[-1] += ", " + part.strip()
        body = " ".join(d.replace("\n", " ") + ";" for d in decls)
        out.append(text[pos:m.start()] + text[m.start():m.end() - 1].rstrip() + "; " + body
                   + "\n" * text[m.end():semi + 1].count("\n"))
        pos = semi + 1
    return "".join(out) + text[pos:] if out else text


def verilog2001_errors(code: str, filename: str) -> list[Diagnostic]:
    """pyverilog's rejection as one ``not-verilog2001`` warning, or [] when it parses (or cannot be judged).

    A warning, not an error: pyverilog 1.3 rejects legal Verilog-2001 (tasks with one statement, some
    declaration forms), so its disagreement is an opinion. The forms measured to trip it are rewritten first
    (:func:`legal_2001_forms`)."""
    from pyverilog.vparser.parser import ParseError

    try:
        text = legal_2001_forms(preprocess(code))
    except Unsupported:
        return []
    with _LOCK:
        parser = _parser()
        parser.lexer.reset_lineno()  # PLY's line counter otherwise keeps counting across parses
        parser.lexer.directives.clear()
        try:
            parser.parse(text)
            return []
        except ParseError as exc:
            message = str(exc)
        except (IndexError, TypeError, ValueError, AttributeError) as exc:  # pyverilog's own bugs
            return [Diagnostic(filename, 1, 1, "info", "pyverilog-crash", f"pyverilog failed: {exc!r}"[:200])]
    m = _ERROR.search(message)
    line = int(m.group(1)) if m else 1
    # pyverilog's lexer columns are one past the character (its column count starts at the newline)
    col = max(int(m.group(2)) - 1, 1) if m and m.group(2) else _column(text, line, m.group(3) if m else "")
    detail = (m.group(3) if m else message).strip()
    return [Diagnostic(filename, line, col, "warning", "not-verilog2001",
                       f"pyverilog (a strict Verilog-2001 parser) does not accept this: syntax error {detail}; "
                       "not judged an error, its grammar lacks some legal Verilog-2001")]


def _column(text: str, line: int, detail: str) -> int:
    """pyverilog gives no column for parser errors: find the offending token on its line."""
    tok = re.search(r'before: "(.*)"', detail)
    lines = text.split("\n")
    if not tok or not 1 <= line <= len(lines):
        return 1
    return lines[line - 1].find(tok.group(1)) + 1 or 1
