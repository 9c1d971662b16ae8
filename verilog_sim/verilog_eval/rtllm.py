"""RTLLM v1.1 / v2.0 from a user's checkout, as problems in the contract's format.

A design is a folder holding ``testbench.v`` (v1.1 lists designs at the top, v2.0 nests them under category
folders such as ``Arithmetic/Adder/adder_8bit``), with ``design_description.txt`` (the prompt),
``verified_<name>.v`` (the reference, defining the very module the testbench instantiates: a
reference-named problem, judged by the testbench alone), a makefile for VCS, and sometimes data files the
testbench reads (``$readmemh("reference.dat", ...)``).

What is read from where:

- ``top``: the reference's root module that the testbench names (file names lie: ``adder_pipe_64bit``'s
  reference is ``verified_adder_64bit.v``); else the one module the testbench instantiates but does not
  define (``alu``'s testbench instantiates ``alu``, its reference defines ``verified_alu``: ``ref_top``).
- ``test_top``: the testbench module nothing else instantiates.
- the pass rule: the pass line the testbench prints (``Your Design Passed``), and its failure banners
  (``===========Error===========``, ``Your Design Failed``) as the fail rule where it prints them, so a run
  that prints both fails.
- ``extra_files``: every other file of the folder whose name appears in a string of the testbench. A path to
  it that cannot work inside the scratch folder (absolute, or leaving the design folder) is rewritten to the
  bare file name; ``meta["rewritten"]`` records each such edit.
- ``meta["icarus_notes"]``: constructs of the testbench that Icarus cannot run as VCS does (see README).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..problem import Problem, ProblemError
from ..source.extract import blank_comments_and_strings, module_names, root_modules

PREFIX = "rtllm:"
TESTBENCH = "testbench.v"
DESCRIPTION = "design_description.txt"
_NOT_DATA = {TESTBENCH, DESCRIPTION, "makefile", "Makefile", "GNUmakefile"}
_MAX_DATA_BYTES = 8 * 2**20
_PASS_LINES = ("Your Design Passed", "Your design passed", "All tests passed", "All Tests Passed", "Test Passed")
FAIL_REGEX = r"(?i)=+\s*error\s*=+|your design failed"
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_INSTANCE = re.compile(r"(?<![\w$.`])([A-Za-z_]\w*)(?:\s*#\s*\((?:[^()]|\([^()]*\))*\)\s*|\s+)([A-Za-z_]\w*)\s*"
                       r"(?:\[[^\]]*\]\s*)?\(")
_NOT_A_MODULE = {"module", "if", "for", "while", "case", "casez", "casex", "repeat", "wait", "else", "begin", "end",
                 "assign", "always", "initial", "function", "task", "integer", "reg", "wire", "logic", "real",
                 "time", "input", "output", "inout", "return", "forever", "fork", "join", "posedge", "negedge",
                 "or", "and", "not", "genvar", "generate", "parameter", "localparam", "signed", "unsigned"}
# Testbench constructs whose Icarus run is not the VCS run the benchmark was written for.
_ICARUS_NOTES = (
    (re.compile(r"\$(?:fsdb\w+|vcdplus\w*|vcdpluson)\b"), "calls a VCS/Verdi-only system task ({0}): Icarus "
     "will not run the testbench (undefined system task), so every sample fails"),
    (re.compile(r"\$(?:urandom_range|urandom)\b"), "uses {0}: Icarus's random sequence differs from VCS's, so "
     "the stimulus (and a borderline verdict) differs"),
    (re.compile(r"\b(?:class|covergroup|constraint|randomize)\b"), "uses SystemVerilog verification constructs "
     "({0}) Icarus 11 does not support"),
)


def is_rtllm(name: str) -> bool:
    return name.startswith(PREFIX)


def load(root: str | Path, name: str | None = None) -> list[Problem]:
    """The designs under ``root`` (any depth, sorted by path); ProblemError naming the folder of a design that
    cannot be read."""
    base = Path(root)
    if not base.is_dir():
        raise ProblemError(f"rtllm:{root}: not a folder (give the root of an RTLLM v1.1 or v2.0 checkout)")
    folders = sorted({tb.parent for tb in base.rglob(TESTBENCH) if not _hidden(tb.relative_to(base))},
                     key=lambda p: p.relative_to(base).as_posix())
    if not folders:
        raise ProblemError(f"rtllm:{root}: no design folders (none holds a {TESTBENCH})")
    names = [f.name for f in folders]
    out = []
    for folder in folders:
        rel = folder.relative_to(base).as_posix()
        task_id = folder.name if names.count(folder.name) == 1 else rel
        out.append(design_problem(folder, task_id, rel, name or f"{PREFIX}{root}"))
    return out


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def design_problem(folder: Path, task_id: str, rel: str, benchmark: str) -> Problem:
    """One design folder as a Problem (reference-named: ``ref_top == top`` for most designs)."""
    tb = _read(folder / TESTBENCH)
    desc_path = folder / DESCRIPTION
    prompt = _read(desc_path) if desc_path.is_file() else ""
    refs = sorted(folder.glob("verified_*.v")) + sorted(folder.glob("verified_*.sv"))
    ref = "\n".join(_read(p) for p in refs) or None
    top = find_top(tb, ref)
    if top is None:
        raise ProblemError(f"{folder}: cannot tell which module {TESTBENCH} tests (no verified_*.v module it "
                           "instantiates, and not exactly one module it instantiates but does not define)")
    test_top = _testbench_top(tb)
    if test_top is None:
        raise ProblemError(f"{folder}: {TESTBENCH} defines no module")
    tb, extra, rewritten = _data_files(folder, tb)
    pass_line = next((s for s in _PASS_LINES if s in tb), _PASS_LINES[0])
    fails = [s for s in _STRING.findall(tb) if re.search(FAIL_REGEX, s)]
    return Problem(task_id=task_id, prompt=prompt, top=top, ref=ref, ref_top=reference_top(ref, top), test=tb,
                   test_kind="verilog", test_top=test_top, pass_regex=re.escape(pass_line).replace("\\ ", " "),
                   fail_regex=FAIL_REGEX if fails else None, extra_files=extra or None,
                   meta={"suite": "rtllm", "benchmark": benchmark, "path": rel, "rewritten": rewritten,
                         "icarus_notes": icarus_notes(tb, top, ref)})


def reference_top(ref: str | None, top: str) -> str | None:
    """The reference's module under test: ``top`` itself (most designs), else its single root module
    (``alu``'s reference is ``module verified_alu``: the testbench still instantiates ``alu``)."""
    if not ref:
        return None
    if top in module_names(ref):
        return top
    roots = root_modules(ref)
    return roots[0] if len(roots) == 1 else None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ProblemError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def find_top(tb: str, ref: str | None) -> str | None:
    """The module under test: a root of the reference that the testbench names, else the single module
    the testbench instantiates without defining it."""
    clean = blank_comments_and_strings(tb)
    own = set(module_names(tb))
    if ref:
        named = [m for m in root_modules(ref) if m not in own and re.search(rf"\b{re.escape(m)}\b", clean)]
        if len(named) == 1:
            return named[0]
        named_any = [m for m in dict.fromkeys(module_names(ref))
                     if m not in own and re.search(rf"\b{re.escape(m)}\s*(?:#|[A-Za-z_])", clean)]
        if len(named_any) == 1:
            return named_any[0]
    used = [m.group(1) for m in _INSTANCE.finditer(clean)
            if m.group(1) not in _NOT_A_MODULE and m.group(2) not in _NOT_A_MODULE and m.group(1) not in own]
    used = list(dict.fromkeys(used))
    return used[0] if len(used) == 1 else None


def _testbench_top(tb: str) -> str | None:
    roots = root_modules(tb)
    return next((r for r in roots if "tb" in r.lower() or "test" in r.lower()), roots[0] if roots else None)


def _data_files(folder: Path, tb: str) -> tuple[str, dict[str, str], list[str]]:
    """(testbench, extra_files, rewrites): the folder's files the testbench names in a string."""
    files = {p.name: p for p in folder.iterdir()
             if p.is_file() and p.name not in _NOT_DATA and not p.name.startswith(("verified_", "."))}
    extra: dict[str, str] = {}
    rewritten: list[str] = []

    def visit(m: re.Match[str]) -> str:
        literal = m.group(1)
        name = literal.replace("\\", "/").rsplit("/", 1)[-1]
        if not literal or name not in files:
            return m.group(0)
        path = files[name]
        if path.stat().st_size > _MAX_DATA_BYTES:
            raise ProblemError(f"{path}: data file larger than {_MAX_DATA_BYTES >> 20} MiB")
        extra[name] = _read(path)
        if literal in (name, f"./{name}"):
            return m.group(0)
        rewritten.append(f"{literal!r} -> {name!r}")
        return f'"{name}"'

    return _STRING.sub(visit, tb), extra, rewritten


def icarus_notes(tb: str, top: str | None = None, ref: str | None = None) -> list[str]:
    """Why Icarus may not judge this testbench as VCS does (statically visible reasons only)."""
    clean = blank_comments_and_strings(tb)
    notes = []
    for pattern, text in _ICARUS_NOTES:
        found = sorted(set(pattern.findall(clean)))
        if found:
            notes.append(text.format(", ".join(found)))
    raced = edge_races(clean, top, blank_comments_and_strings(ref)) if top and ref else []
    if raced:
        notes.append(f"drives {', '.join(raced)} with a blocking assignment at the clock edge the reference "
                     "samples on: a race that VCS and Icarus may order differently")
    return notes


def edge_races(clean_tb: str, top: str, clean_ref: str) -> list[str]:
    """Signals wired to the ``top`` instance that the testbench assigns with ``=`` in the statement right
    after ``@(posedge c)`` (or negedge) when the reference is sensitive to that edge of the port ``c`` drives
    (comments and strings blanked in both texts)."""
    inst = re.search(rf"\b{re.escape(top)}\s*(?:#\s*\((?:[^()]|\([^()]*\))*\)\s*)?\w+\s*\(((?:[^()]|\([^()]*\))*)\)",
                     clean_tb)
    if not inst:
        return []
    named = dict((sig, port) for port, sig in re.findall(r"\.\s*(\w+)\s*\(\s*(\w+)\s*\)", inst.group(1)))
    wired = set(named) or set(re.findall(r"\b(\w+)\b", inst.group(1)))
    ref_edges = set(re.findall(r"\b(posedge|negedge)\s+(\w+)", clean_ref))
    hits = re.findall(r"@\s*\(\s*(posedge|negedge)\s+(\w+)\s*\)\s*(?:begin\s+)?(\w+)\s*(?:\[[^\]]*\]\s*)?=(?!=)",
                      clean_tb)
    return sorted({x for edge, clk, x in hits if x in wired and (edge, named.get(clk, clk)) in ref_edges})
