"""A file list read the way Icarus and Verilator read it: the one preprocessing model of ``check`` and ``lint``.

What a real tool does with ``iverilog -I inc -D X=1 -f list.f a.v b.v`` (or ``verilator --lint-only ...``):

* files are read in order and the preprocessor state carries from each file into the next: a `` `define`` of
  ``a.v`` (or of a header ``a.v`` includes, at any depth) is visible in ``b.v``, with its default arguments; an
  include guard defined by ``a.v`` makes ``b.v`` skip the header, whose macros ``b.v`` then still has; a
  `` `define`` in a branch not taken is not carried; `` `undef``/`` `undefineall`` are honoured;
* `` `include "x"`` looks beside the including file, then in each ``-I`` directory in order;
* ``-D NAME[=VALUE]`` defines a macro before every file.

slang does the preprocessing (exact directive semantics, macro default arguments, include guards); each file is
still parsed as a tree of its own so one file's syntax error cannot spill into the next. What carries is the
list of `` `define`` directives slang itself parsed, handed to the next file as its inherited macros: nothing is
re-implemented or re-parsed from text.

Every location a user sees is a real file and line: a token from a macro body is reported where the macro is
used, with a note naming where it is defined.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..verdict import Diagnostic

SV_EXTENSIONS = (".sv", ".svh")
_DEFINE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*\Z")


class SourceListError(UserError, ValueError):
    """A file list (``-f``), ``-D`` or ``--top`` the user gave cannot be used: exit 2 with one line."""


@dataclass(frozen=True)
class SourceSet:
    """What the user passed: files in order, include directories, defines, top. ``notes`` are options of a file
    list that were read but ignored (``-y``/``-v`` libraries, unknown ``+plusargs``): the CLI prints them."""

    files: tuple[str, ...]
    include_dirs: tuple[str, ...] = ()
    defines: tuple[tuple[str, str], ...] = ()  # (name, value); ``-D X`` is ("X", "1") as in Icarus/Verilator
    top: str | None = None
    notes: tuple[str, ...] = ()


def parse_define(text: str) -> tuple[str, str]:
    """``NAME`` or ``NAME=VALUE`` (``-D``/``+define+``); a bare name is defined as ``1`` as in Icarus/Verilator."""
    name, eq, value = text.partition("=")
    if not _DEFINE_NAME.match(name):
        raise SourceListError(f"-D {text}: not a macro name (expected NAME or NAME=VALUE)")
    return name, value if eq else "1"


def source_set(files: Sequence[str] = (), *, include_dirs: Sequence[str] = (), defines: Sequence[str] = (),
               filelists: Sequence[str] = (), top: str | None = None) -> SourceSet:
    """Command-line options into one :class:`SourceSet`; ``-f`` lists are read first, in order, as Verilator
    does with ``-f`` given before the files."""
    out_files: list[str] = []
    dirs: list[str] = []
    defs: list[tuple[str, str]] = []
    notes: list[str] = []
    for fl in filelists:
        _read_filelist(Path(fl), out_files, dirs, defs, notes, depth=0)
    out_files += files
    dirs += include_dirs
    defs += [parse_define(d) for d in defines]
    return SourceSet(tuple(dict.fromkeys(out_files)), tuple(dict.fromkeys(dirs)), tuple(defs), top, tuple(notes))


def _read_filelist(path: Path, files: list[str], dirs: list[str], defs: list[tuple[str, str]], notes: list[str],
                   depth: int, relative: bool = False) -> None:
    """Verilator/Icarus command-file syntax: ``//`` and ``#`` comments, ``+incdir+A+B``, ``+define+X=1+Y``,
    ``-I DIR``/``-IDIR``, ``-D X``, nested ``-f``/``-F`` (``-F``: paths relative to that list), file names.
    Relative paths are taken from the current directory, as both tools do for ``-f`` (from the list's own
    directory for a list named by ``-F``)."""
    if depth > 16:
        raise SourceListError(f"{path}: file lists nested more than 16 deep")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SourceListError(f"-f {path}: {exc.strerror or exc}") from exc
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    lines = [re.split(r"(?:^|\s)(?://|#)", ln, maxsplit=1)[0] for ln in text.splitlines()]
    try:
        words = shlex.split("\n".join(lines), posix=True)
    except ValueError as exc:
        raise SourceListError(f"-f {path}: {exc}") from exc
    base = path.parent

    def rel(p: str, relative_to_list: bool = relative) -> str:
        p = os.path.expandvars(p)
        return str(base / p) if relative_to_list and not os.path.isabs(p) else p

    it = iter(words)
    for w in it:
        if w.startswith("+incdir+"):
            dirs += [rel(d) for d in w[len("+incdir+"):].split("+") if d]
        elif w.startswith("+define+"):
            defs += [parse_define(d) for d in w[len("+define+"):].split("+") if d]
        elif w in ("-I", "-D", "-f", "-F", "-y", "-v", "-s", "--top", "--top-module", "-top"):
            arg = next(it, None)
            if arg is None:
                raise SourceListError(f"-f {path}: {w} needs an argument")
            if w == "-I":
                dirs.append(rel(arg))
            elif w == "-D":
                defs.append(parse_define(arg))
            elif w in ("-f", "-F"):
                _read_filelist(Path(rel(arg)), files, dirs, defs, notes, depth + 1, relative=w == "-F")
            else:
                notes.append(f"{path}: '{w} {arg}' ignored (library and top options are not read from a file list)")
        elif w.startswith("-I") and len(w) > 2:
            dirs.append(rel(w[2:]))
        elif w.startswith("-D") and len(w) > 2:
            defs.append(parse_define(w[2:]))
        elif w.startswith(("-", "+")):
            notes.append(f"{path}: option '{w}' ignored")
        else:
            files.append(rel(w))


def read_texts(paths: Iterable[str]) -> list[tuple[str, str]]:
    """``(text, path)`` for each file; ``OSError`` names the file that could not be read."""
    return [(Path(p).read_text(encoding="utf-8", errors="replace"), str(p)) for p in paths]


def search_dirs(paths: Iterable[str | Path], include_dirs: Sequence[str | Path] = ()) -> list[str]:
    """Where `` `include "x"`` is looked for: ``-I`` directories in order, then the directory of every file
    given (each file's own directory comes first anyway, as slang searches beside the including file)."""
    return [*(str(d) for d in include_dirs), *sorted({os.path.dirname(os.path.abspath(p)) for p in paths})]


@dataclass
class ParsedFile:
    """One file's syntax tree, parsed with the macros of every file before it. ``std`` is the standard the
    file reads as (``sv2012`` or ``verilog2001``): the keywords it was parsed with."""

    name: str
    code: str
    std: str
    tree: object  # pyslang SyntaxTree, or None when the parser gave up
    diagnostics: tuple[Diagnostic, ...]
    buffer: int = -1  # the SourceBuffer id of the file's own text

    @property
    def ok(self) -> bool:
        return self.tree is not None and not any(d.severity == "error" for d in self.diagnostics)


@dataclass
class ParsedSet:
    """The shared SourceManager and every file's tree, in order."""

    sm: object
    files: list[ParsedFile] = field(default_factory=list)

    def names(self) -> dict[int, str]:
        return {f.buffer: f.name for f in self.files if f.buffer >= 0}


def clean_text(code: str) -> str:
    """Lone surrogates (from undecodable bytes) cannot cross into the C++ parser."""
    try:
        code.encode("utf-8")
        return code
    except UnicodeEncodeError:
        return code.encode("utf-8", "replace").decode("utf-8")


def parse_in_order(items: Sequence[tuple[str, str]], *, std: str = "auto", include_dirs: Sequence[str | Path] = (),
                   defines: Sequence[tuple[str, str]] = (), detect=None) -> ParsedSet:  # noqa: ANN001
    """Parse ``(code, name)`` pairs in order with one SourceManager, each file inheriting the macros the files
    before it left defined. ``std``: ``auto`` (SystemVerilog keywords; a ``.v`` file that only parses with
    Verilog-2005 keywords is read as Verilog), ``sv2012`` or ``verilog2001`` (Verilog-2005 keywords).
    ``detect(code, name)`` names the standard a file reads as in ``auto`` mode (default: its extension)."""
    import pyslang

    sm = pyslang.SourceManager()
    sm.setDisableProximatePaths(True)  # diagnostics name files as given, not relative to the cwd
    for d in include_dirs:
        sm.addUserDirectories(str(d))
    predefines = [f"{k}={v}" for k, v in defines]
    carried: dict[str, object] = {}  # macro name -> the DefineDirectiveSyntax that defines it now
    out = ParsedSet(sm)
    for i, (code, name) in enumerate(items):
        code = clean_text(code)
        detected = detect(code, name) if detect is not None else ("sv2012" if _is_sv(name) else "verilog2001")
        parsed = _parse_one(sm, code, name, std, detected, predefines, list(carried.values()))
        out.files.append(parsed)
        if parsed.tree is not None and i + 1 < len(items) and _may_define(parsed):
            _carry(parsed.tree, carried)
    return out


def _is_sv(name: str) -> bool:
    return name.lower().endswith(SV_EXTENSIONS)


def _may_define(parsed: ParsedFile) -> bool:
    """Walking a tree's trivia costs ~10 ms per 1000 lines: skip files that cannot change the macro table."""
    if "`define" in parsed.code or "`undef" in parsed.code:
        return True
    return bool(parsed.tree.getIncludeDirectives())  # type: ignore[attr-defined]


def _carry(tree: object, carried: dict[str, object]) -> None:
    """Apply the `` `define``/`` `undef``/`` `undefineall`` directives slang parsed in ``tree`` (its includes
    at any depth among them; directives in branches not taken are disabled text, not directives) in order."""
    from pyslang import parsing, syntax

    SK = syntax.SyntaxKind
    wanted = (SK.DefineDirective, SK.UndefDirective, SK.UndefineAllDirective)
    directive = parsing.TriviaKind.Directive
    token_type = parsing.Token

    def visit(node: object) -> None:
        if isinstance(node, token_type):
            for tr in node.trivia:
                if tr.kind == directive:
                    s = tr.syntax()
                    if s is not None and s.kind in wanted:
                        if s.kind == SK.DefineDirective:
                            carried.pop(s.name.valueText, None)  # re-defined: keep definition order
                            carried[s.name.valueText] = s
                        elif s.kind == SK.UndefDirective:
                            carried.pop(s.name.valueText, None)
                        else:
                            carried.clear()

    tree.root.visit(visit)  # type: ignore[attr-defined]


def _parse_one(sm: object, code: str, name: str, std: str, detected: str, predefines: list[str],
               inherited: list[object]) -> ParsedFile:
    keywords = "verilog2001" if std == "verilog2001" else "sv2012"
    detected = detected if std == "auto" else std
    try:
        tree, buf, diags = _parse_checked(sm, code, name, keywords, predefines, inherited)
    except RuntimeError:
        diags = (Diagnostic(name, 1, 1, "error", "ParseTreeTooDeep", ""),)
    if any(d.code == "ParseTreeTooDeep" for d in diags):  # pyslang's nesting guard: Icarus may still accept it
        msg = "pyslang could not parse this file (nesting too deep); left to the compiler to judge"
        return ParsedFile(name, code, detected, None, (Diagnostic(name, 1, 1, "warning", "parser-limit", msg),))
    if std == "auto" and any(d.severity == "error" for d in diags) and not _is_sv(name):
        # Valid Verilog may use SystemVerilog keywords as names (``wire logic;``): try Verilog-2005 keywords.
        tree2, buf2, diags2 = _parse_checked(sm, code, name, "verilog2001", predefines, inherited)
        if not any(d.severity == "error" for d in diags2) or detected == "verilog2001":
            return ParsedFile(name, code, "verilog2001", tree2, diags2, buf2)
    return ParsedFile(name, code, detected, tree, diags, buf)


def _parse_checked(sm: object, code: str, name: str, keywords: str, predefines: list[str],
                   inherited: list[object]) -> tuple[object, int, tuple[Diagnostic, ...]]:
    """Parse and convert diagnostics. An undefined macro is taken as empty, as Icarus does ("assumed null"):
    the file is parsed again with it defined empty, and each use is a warning."""
    tree, buf = _parse(sm, code, name, keywords, predefines, inherited)
    unknown = [d for d in tree.diagnostics if d.args and code_name(d) == "UnknownDirective"]
    if not unknown:
        return tree, buf, diagnostics(sm, tree.diagnostics, {buf: name})
    names = sorted({str(d.args[0]).lstrip("`") for d in unknown})
    notes = []
    for d in unknown:
        file, line, col, _ = locate(sm, d.location, {buf: name})
        notes.append(Diagnostic(file, line, col, "warning", "UndefinedMacro",
                                f"macro {d.args[0]} is not defined: taken as empty, as Icarus does"))
    tree, buf = _parse(sm, code, name, keywords, [*predefines, *(f"{n}=" for n in names)], inherited)
    found = diagnostics(sm, tree.diagnostics, {buf: name})
    if any(d.severity == "error" for d in found):  # what fails to parse may be the macro's doing: say so
        hint = (f"the file uses `{', `'.join(names)}, which no file given defines (Icarus rejects it too); "
                "if another file defines them, give it first (a file list with -f, or the hook's args)")
        notes.append(Diagnostic(name, notes[0].line, notes[0].col, "info", "undefined-macros", hint))
    return tree, buf, tuple(notes) + found


def _parse(sm: object, code: str, name: str, keywords: str, predefines: list[str],
           inherited: list[object]) -> tuple[object, int]:
    import pyslang
    from pyslang import parsing, syntax

    options = []
    pre = parsing.PreprocessorOptions()
    pre.predefines = list(predefines)
    options.append(pre)
    if keywords == "verilog2001":
        version = pyslang.LanguageVersion.v1364_2005
        par, lex = parsing.ParserOptions(), parsing.LexerOptions()
        pre.languageVersion = par.languageVersion = lex.languageVersion = version
        options += [par, lex]
    try:  # named by its path, `include "x" resolves beside the file
        buf = sm.assignText(name, code)  # type: ignore[attr-defined]
    except RuntimeError:  # that path already has a buffer (parsed again, or included by an earlier file)
        buf = sm.assignText(code)  # type: ignore[attr-defined]
    tree = syntax.SyntaxTree.fromBuffer(buf, sm, pyslang.Bag(options), inherited)
    return tree, buf.id.id


def code_name(diag: object) -> str:
    text = str(diag.code)  # "DiagCode(ExpectedToken)"
    return text[9:-1] if text.startswith("DiagCode(") else text


def buffer_id(loc: object) -> int:
    return loc.buffer.id  # type: ignore[attr-defined]


def locate(sm: object, loc: object, names: dict[int, str]) -> tuple[str, int, int, str]:
    """(file, line, col, note) of a location at a real file and line. A token from a macro body is placed where
    the macro is used; ``note`` then says where the macro is defined (a ``-D`` macro: on the command line)."""
    note = ""
    if sm.isMacroLoc(loc) and not sm.isMacroArgLoc(loc):  # type: ignore[attr-defined]
        where = sm.getFullyExpandedLoc(loc)  # type: ignore[attr-defined]
        body = sm.getFullyOriginalLoc(loc)  # type: ignore[attr-defined]
        macro = sm.getMacroName(loc)  # type: ignore[attr-defined]
        dfile = _file_name(sm, body, names)
        if dfile.startswith("<"):
            note = f" [in macro `{macro}, defined by -D on the command line]"
        else:
            note = f" [in macro `{macro}, defined at {dfile}:{sm.getLineNumber(body)}]"  # type: ignore[attr-defined]
    else:
        where = sm.getFullyOriginalLoc(loc)  # type: ignore[attr-defined]
        if _file_name(sm, where, names).startswith("<"):  # a -D macro's argument text: go to the use
            where = sm.getFullyExpandedLoc(loc)  # type: ignore[attr-defined]
    file = _file_name(sm, where, names)
    return file, max(sm.getLineNumber(where), 1), max(sm.getColumnNumber(where), 1), note  # type: ignore[attr-defined]


def _file_name(sm: object, loc: object, names: dict[int, str]) -> str:
    name = names.get(buffer_id(loc))
    return name if name is not None else (sm.getFileName(loc) or "<source>")  # type: ignore[attr-defined]


def diagnostics(sm: object, diags: Iterable[object], names: dict[int, str]) -> tuple[Diagnostic, ...]:
    """slang's diagnostics (parse or elaboration) as ours, severity as slang gives it, ignored ones dropped."""
    import pyslang

    out = []
    engine = None
    for d in diags:
        engine = engine or pyslang.DiagnosticEngine(sm)
        if engine.getSeverity(d.code, d.location).name == "Ignored":
            continue
        file, line, col, note = locate(sm, d.location, names)
        code = code_name(d)
        if code == "CouldNotOpenIncludeFile":
            note += "; give the directory that holds it with -I DIR (or +incdir+DIR in a file list)"
        out.append(Diagnostic(file, line, col, "error" if d.isError() else "warning", code,
                              engine.formatMessage(d) + note))
    return tuple(out)
