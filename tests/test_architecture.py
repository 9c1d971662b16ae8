"""The structure ARCHITECTURE.md describes, checked against the imports (function-level imports included).

- ``verilog_sim`` never imports ``hdlgen`` or an ML library;
- inside ``verilog_sim`` a stage imports only stages below it (the ``RANK`` table, as in ARCHITECTURE.md);
- no import cycles between modules of either package.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ML = {"torch", "transformers", "trl", "peft", "vllm", "accelerate", "datasets", "ray"}

# verilog_sim's stages, lowest first: a module may import its own stage or a lower one, never a higher one.
RANK = {"errors": 0, "verdict": 0, "jsonl": 1, "problem": 2, "source": 1, "sandbox": 2, "frontend": 2, "tools": 3, "admission": 3, "sim": 4, "formal": 4,
        "judge": 5, "lint": 5, "verilog_eval": 6, "__init__": 7}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, known: set[str] | None = None) -> set[str]:
    """Absolute names of every module ``path`` imports, at any depth of the file.

    ``from pkg import name`` counts as importing ``pkg.name`` when that is a module, else ``pkg``.
    """
    known = known if known is not None else MODULES
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for a in node.names:
                out.add(f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod)
    return out


def sources(package: str) -> list[Path]:
    return sorted(p for p in (REPO / package).rglob("*.py") if "harness" not in p.parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in ("verilog_sim", "hdlgen") for p in sources(pkg)}


MODULES = set(all_modules())


def graph() -> dict[str, set[str]]:
    mods = all_modules()
    return {m: {i for i in imports(p, set(mods)) if i in mods and i != m} for m, p in mods.items()}


def stage(mod: str) -> str:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_verilog_sim_imports_no_ml_library_and_not_hdlgen() -> None:
    bad = [(module_name(p), i) for p in sources("verilog_sim") for i in imports(p)
           if i.split(".")[0] in ML or i.split(".")[0] == "hdlgen"]
    assert bad == []


def test_every_verilog_sim_stage_is_ranked() -> None:
    assert {stage(module_name(p)) for p in sources("verilog_sim")} <= set(RANK)


def test_stages_import_only_downward() -> None:
    g = graph()
    bad = [f"{m} -> {i}" for m, deps in g.items() if m.startswith("verilog_sim")
           for i in deps if i.startswith("verilog_sim") and stage(i) != stage(m) and RANK[stage(i)] >= RANK[stage(m)]]
    assert bad == [], "imports against the stated direction (see ARCHITECTURE.md):\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    g = graph()
    # a package's __init__ importing its own modules is not a cycle of concern; every other edge counts
    edges = {m: {d for d in deps if not (m.rsplit(".", 1)[0] == d.rsplit(".", 1)[0] and d.endswith("__init__"))}
             for m, deps in g.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(edges.get(m, ())):
            if d.startswith(m + "."):  # a package importing its own submodule (its __init__ re-exports)
                continue
            if state.get(d) == 1:
                cycles.append(path[path.index(d):] + [d] if d in path else [m, d])
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_direction_check_can_fail(tmp_path: Path) -> None:
    """The checker itself: a sim module importing the judge is reported."""
    fake = REPO / "verilog_sim" / "sim" / "zz_probe_upward.py"
    fake.write_text("from ..judge import verify\n")
    try:
        g = graph()
        assert "verilog_sim.judge" in g["verilog_sim.sim.zz_probe_upward"] or \
            "verilog_sim.judge.verify" in g["verilog_sim.sim.zz_probe_upward"]
        bad = [i for i in g["verilog_sim.sim.zz_probe_upward"] if RANK[stage(i)] >= RANK["sim"]]
        assert bad
    finally:
        fake.unlink()
